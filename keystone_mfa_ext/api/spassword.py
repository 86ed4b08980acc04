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
"""keystone-spassword's routes, with its paths and safe semantics.

Authenticated: GET /users/{id}/checkemail, GET/POST /users/{id}/sndfa.
Links from mails (no token; the code is the credential): GET shows a page
and changes nothing, POST acts: .../checkemail/{code}, .../sndfa/{code},
.../reset_password/{code}. GET or POST .../recover_password answers the
same 202 for every user id.
"""

import http.client
import threading

import flask
import flask_restful
from keystone.common import json_home
from keystone.common import sql as ks_sql
import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone.server import flask as ks_flask
from oslo_db import exception as db_exception
from oslo_log import log
import sqlalchemy.exc

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import client_address
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_token
from keystone_mfa_ext.common import validation
from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext import exception
from keystone_mfa_ext.spassword import core as spassword
from keystone_mfa_ext.spassword import schema
from keystone_mfa_ext.spassword import templates
from keystone_mfa_ext.user_mfa import core as user_mfa
from keystone_mfa_ext.wsgi import forms
from keystone_mfa_ext.wsgi import link_codes

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs
USER = '/users/<string:user_id>'
BAD_LINK = _('This link is invalid, was already used or has expired.')
RECOVER_ANSWER = {'recover_password': {
    'accepted': True,
    'message': 'If this user exists and has a verified email address, a '
               'link to reset the password was sent to it.'}}


def _body(schema_):
    body = flask.request.get_json(silent=True, force=True)
    body = {} if body is None else body
    validation.validate(schema_, body)
    return body


def _user_or_none(user_id):
    if '\x00' in user_id:
        return None   # names nobody; PostgreSQL cannot even look it up
    try:
        return PROVIDERS.identity_api.get_user(user_id)
    except (ks_exception.UserNotFound, ks_exception.ValidationError):
        return None


def _redeem(user_id, purpose, code):
    """(code row, user) of a valid link, else (None, None).

    The code is checked before the user is looked up, so an unknown user
    costs the same time as a wrong code.
    """
    code = link_codes.code(flask.request.environ, code)
    row = spassword.consume(user_id, purpose, code,
                            CONF.spassword.sndfa_code_max_attempts)
    user = row and _user_or_none(user_id)
    return (row, user) if user else (None, None)


def _form_post():
    return forms.is_form_post(flask.request.environ)


def _bad_link():
    """401: for an unknown user exactly as for a wrong or old code."""
    if _form_post():
        return templates.page('result', status=401, title='Invalid link',
                              message=BAD_LINK, error=True)
    raise ks_exception.Unauthorized(BAD_LINK)


def _done(body, title, message, status=http.client.OK):
    if _form_post():
        return templates.page('result', title=title, message=message,
                              error=False)
    return body, status


def _error_page_for_form_post(response):
    """A browser's form post gets a page for an error, never JSON.

    keystone renders errors (ours, and those of its before-request hooks)
    as JSON; the page keeps the status, title and message. JSON clients
    get keystone's response untouched.
    """
    if (not _form_post() or response.status_code < 400
            or not response.is_json):
        return response
    status = response.status_code
    reason = http.client.responses.get(status, 'Error')
    error = (response.get_json(silent=True) or {}).get('error') or {}
    return templates.page('result', status=status, error=True,
                          title=error.get('title', reason),
                          message=error.get('message', reason))


def _reset_form_again(error):
    """For a form post, the form again with why: the code is unspent.

    JSON clients get keystone's 400, as before.
    """
    if not _form_post():
        raise error
    return templates.page('reset_form', status=error.code,
                          title='Choose a new password',
                          message=str(error.args[0]))


def _checked_email(user):
    """The user's one address, or 400 saying what is wrong with it."""
    if spassword.has_malformed_email(user):
        raise ks_exception.ValidationError(
            _('The user\'s email attribute must be exactly one address, '
              'without a name or a line break.'))
    email = spassword.user_email(user)
    if not email:
        raise ks_exception.ValidationError(
            _('The user has no email address to verify.'))
    return email


class CheckEmailResource(flask_restful.Resource):

    def get(self, user_id):
        """Mail a verification link. GET /v3/users/{user_id}/checkemail"""
        user = _shared.enforce_factor_change(
            'identity:check_user_email')['user']
        email = _checked_email(user)
        wait = spassword.retry_after(user_id, spassword.CHECKEMAIL)
        if wait:
            raise exception.TooManyRequests(retry_after=wait)
        row = templates.mail_code(
            user, email, spassword.CHECKEMAIL,
            CONF.spassword.checkemail_code_ttl, 'checkemail',
            link_kind='checkemail')
        return {'checkemail': {
            'code_sent': True,
            'expires_at': _shared.isotime(row['expires_at'])}}


class CheckEmailCodeResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id, code):
        """A page whose button confirms; nothing changes here."""
        return templates.page(
            'confirm', title='Confirm your email address', button='Confirm',
            message='Press the button to confirm that this email address '
                    'belongs to your account.')

    @ks_flask.unenforced_api
    def post(self, user_id, code):
        """POST /v3/users/{user_id}/checkemail/{code}"""
        _body(schema.confirm)
        row, user = _redeem(user_id, spassword.CHECKEMAIL, code)
        # The link verifies the address it was sent to, and only while that
        # is still the user's address.
        if not user or row['email'] != spassword.user_email(user):
            return _bad_link()
        spassword.set_verified_email(user_id, row['email'])
        return _done({'checkemail': {'email_verified': True}},
                     'Email address confirmed',
                     'Your email address is confirmed. You can close this '
                     'page.')


class SndfaResource(flask_restful.Resource):

    def get(self, user_id):
        """GET /v3/users/{user_id}/sndfa"""
        user = _shared.enforce('identity:get_user_sndfa')['user']
        state = spassword.email_state(user)
        return {'sndfa': state['sndfa'],
                'sndfa_email': state['email_verified']}

    def post(self, user_id):
        """Enable or disable. POST /v3/users/{user_id}/sndfa {"enable": b}"""
        user = _shared.enforce_factor_change(
            'identity:update_user_sndfa')['user']
        enable = _body(schema.sndfa_update)['enable']
        if enable:
            _checked_email(user)
            state = spassword.email_state(user)
            if not state['email_verified']:
                raise ks_exception.ValidationError(
                    _('Verify the email address (checkemail) before '
                      'enabling the email second factor.'))
            if state['sndfa']:
                # Already on: changes nothing.
                return {'modified': False}
        if not enable and not request_token.used_second_factor():
            _shared.enforce('identity:disable_user_sndfa')
        modified = spassword.set_sndfa(user_id, enable)
        if enable:
            enforcement.on_enrolled(user_id)
        native = (spassword.SNDFA in CONF.auth.methods
                  and not CONF.spassword.sndfa)
        if native and not enforcement.is_required(user['domain_id']):
            # Native mode: keystone itself asks for the second step (MFA
            # rules and receipts); in a "required" domain its policy
            # governs the rules instead.
            user_mfa.set_rule(user_id, ['password', spassword.SNDFA],
                              enable)
        return {'modified': modified}


class SndfaCodeResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id, code):
        return templates.page(
            'confirm', title='Approve your login', button='Approve',
            message='Press the button to approve the login that sent you '
                    'this link. If it was not you, close this page.')

    @ks_flask.unenforced_api
    def post(self, user_id, code):
        """Approve the pending login. POST /v3/users/{user_id}/sndfa/{code}"""
        _body(schema.confirm)
        row, user = _redeem(user_id, spassword.APPROVE, code)
        if not user:
            return _bad_link()
        settings = PROVIDERS.mfa_provider_api.effective(
            spassword.SNDFA, user['domain_id']).settings
        spassword.approve(user_id, row['client_ip'], settings['time_window'])
        return _done({'sndfa': {'approved': True}}, 'Login approved',
                     'Your login is approved. Log in again now.')


def _mail_reset_link(user_id, client_ip):
    """Runs after the answer was sent: timing reveals nothing of the user."""
    user = _user_or_none(user_id)
    if not user or not user.get('enabled'):
        return
    state = spassword.email_state(user)
    if not state['email_verified']:
        return
    if spassword.mailbox_is_a_factor(user):
        # Whoever reads the mailbox would get the password and the
        # emailed code: two factors from one. Such users need an admin.
        LOG.info('No password reset mail for user %s: the email factor '
                 'can satisfy its MFA rules.', user_id)
        return
    try:
        templates.mail_code(user, state['email'], spassword.RESET,
                            CONF.spassword.recover_code_ttl,
                            'reset_password', link_kind='reset_password',
                            client_ip=client_ip)
    except exception.MailUnavailable:
        LOG.warning('Password reset mail for user %s not delivered.',
                    user_id)
    except Exception:
        LOG.exception('Password reset mail for user %s failed.', user_id)


def _within_recover_rates(user_id, client_ip):
    """Both buckets are counted for every request, known user or not.

    When the database cannot count (SQLite busy under concurrent writes)
    nothing is sent: the answer stays the same 202, never a 500.
    """
    try:
        address_ok = spassword.within_rate(
            f'recover:address:{client_ip}',
            CONF.spassword.recover_max_per_address)
        # MariaDB finds the user for any case of its id, with trailing
        # spaces too: one bucket for all of them.
        user_ok = spassword.within_rate(
            f'recover:user:{user_id.strip().lower()[:64]}',
            CONF.spassword.recover_max_per_user)
    except (db_exception.DBError, sqlalchemy.exc.OperationalError) as e:
        LOG.warning('Password recovery not rate counted (%s); nothing '
                    'sent.', e.__class__.__name__)
        return False
    return address_ok and user_ok


class RecoverPasswordResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id):
        """Always 202, for every user id. GET or POST .../recover_password"""
        client_ip = client_address.current()
        if _within_recover_rates(user_id, client_ip):
            threading.Thread(target=_mail_reset_link, daemon=True,
                             args=(user_id, client_ip)).start()
        return RECOVER_ANSWER, http.client.ACCEPTED

    post = get


class ResetPasswordResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id, code):
        return templates.page('reset_form', title='Choose a new password')

    @ks_flask.unenforced_api
    def post(self, user_id, code):
        """Set the password through keystone; the link is used up."""
        try:
            password = _body(schema.reset_password)['password']
        except ks_exception.ValidationError as e:
            return _reset_form_again(e)   # the code was not even tried
        # Claim and password change are one transaction: two posts of one
        # link cannot both win, and a failure on our side (the database
        # busy or gone) leaves the link usable.
        try:
            with ks_sql.session_for_write():
                row, user = _redeem(user_id, spassword.RESET, code)
                # A link mailed before the mailbox became a factor of
                # the user (sndfa or MFA switched on since) no longer
                # sets a password: the mailbox is never two factors.
                valid = bool(user and user.get('enabled')
                             and row['email'] == spassword.user_email(user)
                             and not spassword.mailbox_is_a_factor(user))
                if valid:
                    # keystone's password rules apply (400 with its
                    # message) and the change revokes the user's tokens.
                    PROVIDERS.identity_api.update_user(
                        user_id, {'password': password})
        except ks_exception.ValidationError as e:
            return _reset_form_again(e)   # rolled back: the link still works
        except (db_exception.DBError, sqlalchemy.exc.OperationalError):
            LOG.warning('Password reset not done: database unavailable; '
                        'the link stays usable.')
            raise exception.DatabaseUnavailable()
        if not valid:
            return _bad_link()   # wrong tries stay counted
        return _done(None, 'Password changed',
                     'Your password was changed. You can log in with it now.',
                     status=http.client.NO_CONTENT)


_USER_ID = {'user_id': json_home.Parameters.USER_ID}
_CODE = dict(_USER_ID, code=_shared.parameter_relation(parameter_name='code'))


class SpasswordAPI(_shared.APIBase):
    _name = 'spassword'
    _import_name = __name__
    resources = []
    resource_mapping = [
        _shared.resource_map(
            CheckEmailResource,
            USER + '/checkemail',
            'checkemail',
            _USER_ID),
        _shared.resource_map(
            CheckEmailCodeResource,
            USER + '/checkemail/<string:code>',
            'checkemail_code',
            _CODE),
        _shared.resource_map(
            SndfaResource,
            USER + '/sndfa',
            'sndfa',
            _USER_ID),
        _shared.resource_map(
            SndfaCodeResource,
            USER + '/sndfa/<string:code>',
            'sndfa_code',
            _CODE),
        _shared.resource_map(
            RecoverPasswordResource,
            USER + '/recover_password',
            'recover_password',
            _USER_ID),
        _shared.resource_map(
            ResetPasswordResource,
            USER + '/reset_password/<string:code>',
            'reset_password',
            _CODE),
    ]

    def _register_after_request_functions(self, functions=None):
        functions = list(functions or [])
        functions.append(_error_page_for_form_post)
        super()._register_after_request_functions(functions=functions)


APIs = (SpasswordAPI,)
