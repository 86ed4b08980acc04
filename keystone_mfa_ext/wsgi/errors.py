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
"""Errors keystone's app would leave to the WSGI server as a bare 500.

keystone's app renders only its own exceptions. Three more reach it from a
before-request hook or a resource and must still be keystone error bodies:

- a JSON body nested deeper than Python's recursion limit (`[[[[...`, a
  few KB) makes keystone's body check raise RecursionError: the 400 it
  gives any other undecodable body;
- an oslo.db error (the database restarted, a connection killed): a lost
  connection is a 503 the client may retry, anything else keystone's 500
  "unexpected error";
- keystone's CredentialEncryptionError (not one of its rendered
  exceptions): a credential encrypted with a key that was rotated away,
  or a missing key repository. keystone's 500 "unexpected error".
"""

import os
import traceback

import flask
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone.server.flask import common as ks_flask_common
from oslo_db import exception as db_exception
from oslo_log import log
from werkzeug import exceptions as werkzeug_exceptions

from keystone_mfa_ext import exception

LOG = log.getLogger(__name__)


def respond(error):
    """keystone's error body and status for a keystone exception."""
    # Maybe raised before the resource enforced its policy.
    ks_flask_common.set_unenforced_ok()
    response = flask.jsonify({'error': {
        'code': error.code, 'title': error.title,
        'message': str(error.args[0])}})
    response.status_code = error.code
    return response


def _too_deep(error):
    return respond(ks_exception.ValidationError(
        _('The request body is nested too deeply.')))


def _database_error(error):
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
    return respond(answer)


def _credential_encryption_error(error):
    # keystone's credential provider already logged what failed; this
    # names the route and what the operator can check.
    rule = flask.request.url_rule
    LOG.error('Credential encryption error on %(method)s %(route)s, '
              'answered 500: is the credential key repository there, and '
              'were credential_migrate and keystone-mfa-ext-manage '
              'reencrypt run after each credential_rotate?',
              {'method': flask.request.method,
               'route': rule.rule if rule else '(before routing)'})
    return respond(ks_exception.UnexpectedError())


def _unexpected(error):
    """Anything else: keystone's 500, logged by route, never by path.

    Flask would answer an HTML page and log the path, which may hold a
    mail link's live code (its code is hidden from PATH_INFO already, but
    not from a traceback's locals or a WSGI server's own error log).
    """
    if isinstance(error, werkzeug_exceptions.HTTPException):
        return error   # routing errors (404, 405) as Flask answers them
    rule = flask.request.url_rule
    LOG.error('Unexpected %(error)s on %(method)s %(route)s, answered 500 '
              '(raised at %(where)s)',
              {'error': error.__class__.__name__,
               'method': flask.request.method,
               'route': rule.rule if rule else '(before routing)',
               'where': where_raised(error)})
    return respond(ks_exception.UnexpectedError())


def where_raised(error, depth=6):
    """Where it was raised, as `dir/file:line function`, innermost first.

    The innermost frame, then the innermost frames of keystone's and our
    code (the bug is there, not in the database driver below it): enough
    for an operator to find it, with no exception message and no source
    line, which may hold a value of the request.
    """
    frames = traceback.extract_tb(error.__traceback__)
    chosen = frames[-1:] + [f for f in frames[:-1] if _ours(f)][-depth + 1:]
    return ' <- '.join(
        f'{os.path.join(*frame.filename.split(os.sep)[-2:])}:'
        f'{frame.lineno} {frame.name}'
        for frame in [chosen[0]] + list(reversed(chosen[1:])))


def _ours(frame):
    parts = frame.filename.split(os.sep)
    return 'keystone' in parts or 'keystone_mfa_ext' in parts


MFA_REQUIRED_HEADER = 'Openstack-MFA-Required'


def _factor_change_forbidden(error):
    """keystone's 403, and what the token lacks as a header for programs.

    A client (the dashboard) can then ask for the second factor and retry
    without reading the message, which keystone may translate.
    """
    response = respond(error)
    response.headers[MFA_REQUIRED_HEADER] = error.needs
    return response


def register(app):
    app.register_error_handler(Exception, _unexpected)
    app.register_error_handler(exception.FactorChangeForbidden,
                               _factor_change_forbidden)
    app.register_error_handler(RecursionError, _too_deep)
    app.register_error_handler(db_exception.DBError, _database_error)
    app.register_error_handler(ks_exception.CredentialEncryptionError,
                               _credential_encryption_error)
