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
"""Database errors as keystone error bodies, not the WSGI server's HTML 500.

keystone's app only renders its own exceptions; an oslo.db error raised in
a before-request hook or a resource (the database restarted, a connection
killed) reaches the WSGI server, which answers a bare HTML page. On our app
a lost connection is a 503 the client may retry, any other database error
keystone's 500 "unexpected error".
"""

import flask
from keystone import exception as ks_exception
from keystone.server.flask import common as ks_flask_common
from oslo_db import exception as db_exception
from oslo_log import log

from keystone_mfa_ext import exception

LOG = log.getLogger(__name__)


def _render(error):
    # Maybe raised before the resource enforced its policy.
    ks_flask_common.set_unenforced_ok()
    if isinstance(error, db_exception.DBConnectionError):
        answer = exception.DatabaseUnavailable()
    else:
        answer = ks_exception.UnexpectedError()
    # The route's pattern, not the path: a path may hold a link's code.
    # oslo.log appends the first line of the error: the driver's reason,
    # never the SQL statement or its parameters (later lines).
    rule = flask.request.url_rule
    LOG.error('Database error on %(method)s %(route)s, answered %(code)s',
              {'method': flask.request.method, 'code': answer.code,
               'route': rule.rule if rule else '(before routing)'})
    response = flask.jsonify({'error': {
        'code': answer.code, 'title': answer.title,
        'message': str(answer.args[0])}})
    response.status_code = answer.code
    return response


def register(app):
    app.register_error_handler(db_exception.DBError, _render)
