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
"""The keystone-mfa-ext REST API, called with the logged-in user's token.

Every call goes to keystone's /v3 with the token Horizon keeps in its
session; nothing here stores or logs a code, secret or token.
"""

from django.conf import settings
from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import token_endpoint
from openstack_auth import utils as auth_utils

# The server's 403 for a factor change without a fresh second factor:
# its header (keystone-mfa-ext 2026.12 on), else its English message.
MFA_REQUIRED_HEADER = 'Openstack-MFA-Required'
FACTOR_CHANGE_MARK = 'needs a token that used a second factor'
PAGE_SIZE = 20


class FactorChangeRequired(Exception):
    """keystone wants a token that used a second factor (a fresh login)."""


def v3_url(request_or_user):
    user = getattr(request_or_user, 'user', request_or_user)
    url = (getattr(user, 'endpoint', None)
           or settings.OPENSTACK_KEYSTONE_URL).rstrip('/')
    return url if url.endswith('/v3') else url + '/v3'


def session(request=None):
    ip = auth_utils.get_client_ip(request) if request is not None else None
    return auth_utils.get_session(original_ip=ip)


def client(request, token=None):
    """An Adapter on keystone's /v3 with the user's current token."""
    url = v3_url(request)
    auth = token_endpoint.Token(url, token or request.user.token.id)
    return adapter.Adapter(session(request), auth=auth, endpoint_override=url,
                           raise_exc=False)


def _check(resp):
    if resp.status_code == 403 and _needs_second_factor(resp):
        raise FactorChangeRequired(error_message(resp))
    if resp.status_code >= 400:
        raise ks_exceptions.from_response(resp, resp.request.method,
                                          resp.url)
    return resp


def _needs_second_factor(resp):
    needs = resp.headers.get(MFA_REQUIRED_HEADER)
    if needs is not None:
        return needs == 'second-factor'
    return FACTOR_CHANGE_MARK in resp.text


def error_message(exc_or_resp):
    resp = getattr(exc_or_resp, 'response', exc_or_resp)
    try:
        return resp.json()['error']['message']
    except Exception:
        return str(exc_or_resp)


def call(request, method, path, token=None, **kwargs):
    resp = client(request, token).request(path, method, **kwargs)
    return _check(resp)


def user_path(request, suffix=''):
    return f'/users/{request.user.id}{suffix}'


# --- the user's own factors -----------------------------------------------
def get_mfa(request):
    return call(request, 'GET', user_path(request, '/mfa')).json()['mfa']


def set_mfa(request, enabled):
    body = {'mfa': {'enabled': bool(enabled)}}
    return call(request, 'PATCH', user_path(request, '/mfa'),
                json=body).json()['mfa']


def list_devices(request):
    return call(request, 'GET', user_path(
        request, '/otp_devices')).json()['otp_devices']


def create_device(request, name):
    body = {'otp_device': {'name': name}}
    return call(request, 'POST', user_path(request, '/otp_devices'),
                json=body).json()['otp_device']


def verify_device(request, device_id, code):
    call(request, 'POST', user_path(
        request, f'/otp_devices/{device_id}/verify'),
        json={'verify': {'code': code}})


def rename_device(request, device_id, name):
    call(request, 'PATCH', user_path(request, f'/otp_devices/{device_id}'),
         json={'otp_device': {'name': name}})


def delete_device(request, device_id):
    call(request, 'DELETE', user_path(request, f'/otp_devices/{device_id}'))


def create_recovery_codes(request):
    return call(request, 'POST', user_path(
        request, '/recovery_codes')).json()['recovery_codes']


def check_email(request):
    return call(request, 'GET', user_path(
        request, '/checkemail')).json()['checkemail']


def get_sndfa(request):
    return call(request, 'GET', user_path(request, '/sndfa')).json()


def set_sndfa(request, enable):
    return call(request, 'POST', user_path(request, '/sndfa'),
                json={'enable': bool(enable)}).json()


def list_attempts(request, path, marker=None, token=None, **filters):
    """One page of login attempts and the marker of the next, or None."""
    params = {k: v for k, v in filters.items() if v}
    params['limit'] = PAGE_SIZE
    if marker:
        params['marker'] = marker
    data = call(request, 'GET', path, token=token, params=params).json()
    items = data['attempts']
    nxt = (data.get('links') or {}).get('next')
    return items, (items[-1]['id'] if nxt and items else None)


# --- login-time helpers -----------------------------------------------------
def fresh_login(request, password, passcode):
    """Log in again with password + TOTP (or a recovery code): unscoped.

    Returns the keystoneauth1 AccessInfo; raises keystoneauth1 errors.
    """
    auth = v3.Password(auth_url=v3_url(request), user_id=request.user.id,
                       password=password, unscoped=True)
    auth.add_method(v3.TOTPMethod(user_id=request.user.id,
                                  passcode=passcode))
    return auth.get_access(session(request))


def password_receipt(request, password):
    """Password alone: keystone's receipt and rules when it wants more.

    Returns (receipt, rules, user_id), or (None, None, None) when the
    password alone gave a token (no second factor to use).
    """
    auth = v3.Password(auth_url=v3_url(request), user_id=request.user.id,
                       password=password, unscoped=True)
    try:
        auth.get_access(session(request))
    except ks_exceptions.MissingAuthMethods as exc:
        return exc.receipt, exc.required_auth_methods, request.user.id
    return None, None, None


def sndfa_login(request, receipt, code):
    """The mailed code with the receipt: a fresh unscoped token."""
    from keystone_mfa_dashboard import login
    auth = v3.Auth(auth_url=v3_url(request), auth_methods=[
        login.SndfaMethod(user_id=request.user.id, code=code),
        v3.ReceiptMethod(receipt=receipt)], unscoped=True)
    return auth.get_access(session(request))


def rescope(request, unscoped_token):
    """The unscoped token scoped as the session's token is now."""
    user = request.user
    kwargs = {'project_id': user.project_id} if user.project_id else {}
    if getattr(user, 'system_scoped', False):
        kwargs = {'system_scope': 'all'}
    elif not kwargs and getattr(user, 'domain_id', None):
        kwargs = {'domain_id': user.domain_id}
    auth = v3.Token(auth_url=v3_url(request), token=unscoped_token, **kwargs)
    return auth.get_access(session(request))


def admin_token(request):
    """A system-scoped token for the admin pages when the user has one.

    Horizon's session token is usually project-scoped; keystone's rules
    for our admin routes want system (or domain) scope. Rescoping the
    session's unscoped token keeps its factors; without a system role the
    session token is used as it is (keystone then decides).
    """
    if getattr(request.user, 'system_scoped', False):
        return request.user.token.id
    cached = request.session.get('mfa_admin_token')
    if cached and cached.get('for') == request.user.token.id:
        return cached['id']
    token = request.user.token.id
    try:
        auth = v3.Token(auth_url=v3_url(request),
                        token=request.user.unscoped_token,
                        system_scope='all')
        token = auth.get_access(session(request)).auth_token
    except ks_exceptions.ClientException:
        pass
    request.session['mfa_admin_token'] = {'for': request.user.token.id,
                                          'id': token}
    return token


def admin_call(request, method, path, **kwargs):
    return call(request, method, path, token=admin_token(request), **kwargs)
