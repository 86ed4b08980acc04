# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.
"""Let the buttons of our emailed-link pages post plain HTML forms.

keystone's app accepts only JSON bodies. For exactly our link routes
(`POST /v3/users/{id}/{checkemail|sndfa|reset_password}/{code}`) this
WSGI middleware turns a small HTML form post into the equivalent JSON body
and marks the request, so the resource answers with a page instead of JSON,
errors included. A form too large to convert is only marked: its 400 is a
page too. Every other request passes through untouched.
"""

import io
import json
import re

from werkzeug import exceptions
from werkzeug import wrappers

FORM_POST = 'keystone_mfa_ext.form_post'
LINK_PATH = re.compile(
    r'^/v3/users/[^/]+/(checkemail|sndfa|reset_password)/[^/]+/?$')
FORM_TYPES = ('application/x-www-form-urlencoded', 'multipart/form-data')
MAX_FORM_BYTES = 16 * 1024


def is_form_post(environ):
    return bool(environ.get(FORM_POST))


class FormPosts:

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        mimetype = (environ.get('CONTENT_TYPE') or '').split(';')[0].strip()
        if (environ.get('REQUEST_METHOD') != 'POST'
                or mimetype not in FORM_TYPES
                or not LINK_PATH.match(environ.get('PATH_INFO') or '')):
            return self.app(environ, start_response)
        environ[FORM_POST] = True
        try:
            length = int(environ.get('CONTENT_LENGTH') or 0)
        except ValueError:
            length = None
        if length is not None and length <= MAX_FORM_BYTES:
            body = self._as_json(environ)
            environ.update({
                'CONTENT_TYPE': ('application/json' if body
                                 else environ['CONTENT_TYPE']),
                'CONTENT_LENGTH': str(len(body)),
                'wsgi.input': io.BytesIO(body),
            })
        return self.app(environ, start_response)

    @staticmethod
    def _as_json(environ):
        """The form as a JSON body; b'' when werkzeug cannot parse it.

        Older werkzeug releases (keystone 25's) raise on a body that is
        not UTF-8 instead of skipping it; the request then goes on empty
        and still marked, so keystone's 400 is a page.
        """
        try:
            form = wrappers.Request(environ).form
            return json.dumps({k: form[k] for k in form}).encode()
        except (exceptions.HTTPException, ValueError):
            return b''
