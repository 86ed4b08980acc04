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
"""Bad requests that keystone's app would answer with a 500.

keystone decodes every JSON body before routing; a body nested deeper
than Python's recursion limit (`[[[[...`, a few KB) raises RecursionError
there, which keystone registers no handler for. On our app it is the 400
keystone gives any other undecodable body, in keystone's error format.
"""

import http.client

import flask
from keystone.i18n import _
from keystone.server.flask import common as ks_flask_common


def _too_deep(error):
    # Raised before any resource ran, like keystone's own body check.
    ks_flask_common.set_unenforced_ok()
    response = flask.jsonify({'error': {
        'code': http.client.BAD_REQUEST,
        'title': http.client.responses[http.client.BAD_REQUEST],
        'message': _('The request body is nested too deeply.')}})
    response.status_code = http.client.BAD_REQUEST
    return response


def register(app):
    app.register_error_handler(RecursionError, _too_deep)
