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

import flask
import flask_restful
from keystone.common import json_home
import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone.server import flask as ks_flask
from oslo_log import log

from keystone_mfa_ext.api import _pages
from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_context
from keystone_mfa_ext.common import request_token
from keystone_mfa_ext import exception
from keystone_mfa_ext.password_recovery import core as password_recovery
from keystone_mfa_ext.sndfa import core as spassword
from keystone_mfa_ext.sndfa import enrollment as sndfa_enrollment
from keystone_mfa_ext.sndfa import links
from keystone_mfa_ext.sndfa import mail_codes
from keystone_mfa_ext.sndfa import schema
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


def _link_code(code):
    """The link's code, from the form post when the path hid it."""
    return link_codes.code(flask.request.environ, code)


def _redeem(user_id, purpose, code):
    return links.redeem(user_id, purpose, _link_code(code))


def _form_post():
    return forms.is_form_post(flask.request.environ)


def _bad_link():
    """401: for an unknown user exactly as for a wrong or old code."""
    if _form_post():
        return _pages.page('result', status=401, title='Invalid link',
                           message=BAD_LINK, error=True)
    raise ks_exception.Unauthorized(BAD_LINK)


def _done(body, title, message, status=http.client.OK):
    if _form_post():
        return _pages.page('result', title=title, message=message,
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
    return _pages.page('result', status=status, error=True,
                       title=error.get('title', reason),
                       message=error.get('message', reason))


def _reset_form_again(error):
    """For a form post, the form again with why: the code is unspent.

    JSON clients get keystone's 400, as before.
    """
    if not _form_post():
        raise error
    return _pages.page('reset_form', status=error.code,
                       title='Choose a new password',
                       message=str(error.args[0]))


class CheckEmailResource(flask_restful.Resource):

    def get(self, user_id):
        """Mail a verification link. GET /v3/users/{user_id}/checkemail"""
        user = _shared.enforce_factor_change(
            'identity:check_user_email')['user']
        email = sndfa_enrollment.checked_email(user)
        wait = spassword.retry_after(user_id, spassword.CHECKEMAIL)
        if wait:
            raise exception.TooManyRequests(retry_after=wait)
        row = mail_codes.mail_code(
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
        return _pages.page(
            'confirm', title='Confirm your email address', button='Confirm',
            message='Press the button to confirm that this email address '
                    'belongs to your account.')

    @ks_flask.unenforced_api
    def post(self, user_id, code):
        """POST /v3/users/{user_id}/checkemail/{code}"""
        _shared.validated_body(schema.confirm, missing={})
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
        enable = _shared.validated_body(
            schema.sndfa_update, missing={})['enable']
        if enable and sndfa_enrollment.already_enabled(user):
            return {'modified': False}   # changes nothing
        if not enable and not request_token.used_second_factor():
            _shared.enforce('identity:disable_user_sndfa')
        return {'modified': sndfa_enrollment.set_enabled(
            user_id, user['domain_id'], enable)}


class SndfaCodeResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id, code):
        return _pages.page(
            'confirm', title='Approve your login', button='Approve',
            message='Press the button to approve the login that sent you '
                    'this link. If it was not you, close this page.')

    @ks_flask.unenforced_api
    def post(self, user_id, code):
        """Approve the pending login. POST /v3/users/{user_id}/sndfa/{code}"""
        _shared.validated_body(schema.confirm, missing={})
        row, user = _redeem(user_id, spassword.APPROVE, code)
        if not user:
            return _bad_link()
        settings = PROVIDERS.mfa_provider_api.effective(
            spassword.SNDFA, user['domain_id']).settings
        spassword.approve(user_id, row['client_ip'], settings['time_window'])
        return _done({'sndfa': {'approved': True}}, 'Login approved',
                     'Your login is approved. Log in again now.')


class RecoverPasswordResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id):
        """Always 202, for every user id. GET or POST .../recover_password"""
        password_recovery.request_reset(
            user_id, request_context.client_address())
        return RECOVER_ANSWER, http.client.ACCEPTED

    post = get


class ResetPasswordResource(flask_restful.Resource):

    @ks_flask.unenforced_api
    def get(self, user_id, code):
        return _pages.page('reset_form', title='Choose a new password')

    @ks_flask.unenforced_api
    def post(self, user_id, code):
        """Set the password through keystone; the link is used up."""
        try:
            password = _shared.validated_body(
                schema.reset_password, missing={})['password']
        except ks_exception.ValidationError as e:
            return _reset_form_again(e)   # the code was not even tried
        try:
            valid = password_recovery.reset_password(
                user_id, _link_code(code), password)
        except ks_exception.ValidationError as e:
            return _reset_form_again(e)   # rolled back: the link still works
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
