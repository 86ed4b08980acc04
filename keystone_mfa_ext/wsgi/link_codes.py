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
"""Keep the codes of emailed links out of every log.

A mail link carries its code in the path (`/v3/users/{id}/{checkemail|
sndfa|reset_password}/{code}`, keystone-spassword's paths). keystone logs
PATH_INFO at DEBUG, and WSGI servers such as gunicorn write the request
line and the Referer from the environ to their access logs. This
middleware takes the code out of the environ before anything sees it,
keeps it under its own key for our resources, and leaves a placeholder in
the path, the raw URI and the Referer. An error that escapes everything
inside is answered here (keystone's JSON 500), so the WSGI server never
logs a traceback with the request line.
"""

import json
import re
import sys

from oslo_log import log

LOG = log.getLogger(__name__)

CODE_KEY = 'keystone_mfa_ext.link_code'
PLACEHOLDER = '***'
LINK_PATH = re.compile(
    r'^(/v3/users/[^/]+/(?:checkemail|sndfa|reset_password)/)([^/]+)(/?)$')
LINK_IN_URI = re.compile(
    r'(/users/[^/?#\s]+/(?:checkemail|sndfa|reset_password)/)[^/?#\s]+')
URI_KEYS = ('RAW_URI', 'REQUEST_URI', 'HTTP_REFERER')


def code(environ, routed):
    """The request's real link code (`routed` is the placeholder)."""
    return environ.get(CODE_KEY, routed)


class HideLinkCodes:

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        match = LINK_PATH.match(environ.get('PATH_INFO') or '')
        if match:
            environ[CODE_KEY] = match.group(2)
            environ['PATH_INFO'] = (match.group(1) + PLACEHOLDER
                                    + match.group(3))
        for key in URI_KEYS:
            if isinstance(environ.get(key), str):
                environ[key] = LINK_IN_URI.sub(r'\1' + PLACEHOLDER,
                                               environ[key])
        try:
            return self.app(environ, start_response)
        except Exception as e:
            # Nothing reaches the WSGI server, whose error log would print
            # the request's path (and so a live link code) with it.
            LOG.error('Unexpected %s outside the application, answered '
                      '500', e.__class__.__name__)
            return _unexpected_error(start_response)


def _unexpected_error(start_response):
    """keystone's 500 body, for an error no Flask handler saw."""
    body = json.dumps({'error': {
        'code': 500, 'title': 'Internal Server Error',
        'message': 'An unexpected error prevented the server from '
                   'fulfilling your request.'}}).encode()
    start_response('500 Internal Server Error', [
        ('Content-Type', 'application/json'),
        ('Content-Length', str(len(body)))], sys.exc_info())
    return [body]
