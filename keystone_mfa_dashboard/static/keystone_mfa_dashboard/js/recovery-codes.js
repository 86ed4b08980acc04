// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License. You may obtain
// a copy of the License at
//
//      http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
// WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
// License for the specific language governing permissions and limitations
// under the License.
// Copy and download of freshly created recovery codes, in the browser
// only: the codes never go into a URL or back to the server.
(function () {
  'use strict';
  function codesOf(button) {
    return document.getElementById(button.getAttribute('data-target'))
      .textContent.trim() + '\n';
  }
  var copy = document.getElementById('mfa-copy-codes');
  if (copy) {
    copy.addEventListener('click', function () {
      var text = codesOf(copy);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text);
      } else {
        var area = document.createElement('textarea');
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand('copy');
        document.body.removeChild(area);
      }
      copy.classList.add('btn-success');
    });
  }
  var download = document.getElementById('mfa-download-codes');
  if (download) {
    download.addEventListener('click', function () {
      var blob = new Blob([codesOf(download)], {type: 'text/plain'});
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = download.getAttribute('data-filename');
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
  }
}());
