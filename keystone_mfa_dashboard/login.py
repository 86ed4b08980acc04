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
"""Login: the email-code (sndfa) step, and enrollment before the home page.

Horizon's own TOTP step (`OPENSTACK_KEYSTONE_MFA_TOTP_ENABLED`) already
sends a receipt plus a passcode; our `totp` driver accepts TOTP codes and
recovery codes there. Horizon knows no other second factor, so:

* `SndfaPasswordPlugin` (replaces Horizon's password plugin) sees keystone
  ask for `[password, sndfa]`, has keystone mail the code at once and hands
  Horizon a TOTP-style receipt step, so the user lands on Horizon's
  passcode page;
* `SndfaReceiptPlugin` (before Horizon's TOTP plugin) answers that page
  with the `sndfa` method for receipts marked as ours, never with `totp`
  (a mailed code sent as a TOTP code would count as a failure);
* `user_home` sends users of a `required` domain still in their grace
  period to the enrollment page right after login.
"""

import hashlib
import logging

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1.identity.v3 import base as v3_base
from openstack_auth import exceptions
from openstack_auth.plugin import password
from openstack_auth import utils as auth_utils

LOG = logging.getLogger(__name__)
# A mailed code lives [spassword] sndfa_code_ttl (600 s by default).
RECEIPT_TTL = 900


def _receipt_key(receipt):
    # Hashed: the cache never holds a usable receipt.
    return 'mfa-sndfa-receipt:' + hashlib.sha256(
        receipt.encode()).hexdigest()


class _Answered:
    """An auth plugin whose single login already happened.

    Horizon's error handling runs on it without a second request (a
    second wrong password would count twice toward keystone's lockout).
    """

    def __init__(self, result=None, error=None):
        self.result, self.error = result, error

    def get_access(self, session, **kwargs):
        if self.error is not None:
            raise self.error
        return self.result


def _wants_sndfa(rules):
    rules = [set(r) for r in rules or []]
    if any(r == {'password', 'totp'} for r in rules):
        return False        # Horizon's TOTP step handles these users
    return any('sndfa' in r and r <= {'password', 'sndfa'} for r in rules)


class SndfaMethod(v3_base.AuthMethod):
    """keystone-mfa-ext's `sndfa` method: a user id and the mailed code."""

    _method_parameters = ['user_id', 'code']

    def get_auth_data(self, session, auth, headers, **kwargs):
        data = {'user': {'id': self.user_id}}
        if self.code:
            data['code'] = self.code
        return 'sndfa', data


def send_code(auth_url, user_id, receipt, session=None):
    """Have keystone mail a login code for this receipt (sndfa, no code)."""
    session = session or auth_utils.get_session()
    body = {'auth': {'identity': {'methods': ['sndfa'],
                                  'sndfa': {'user': {'id': user_id}}}}}
    resp = session.post(auth_url.rstrip('/') + '/auth/tokens', json=body,
                        headers={'Openstack-Auth-Receipt': receipt},
                        raise_exc=False, authenticated=False)
    try:
        return resp.json()['identity']['sndfa']
    except (ValueError, KeyError, TypeError):
        return {}


class SndfaPasswordPlugin(password.PasswordPlugin):
    """Horizon's password plugin, plus the email-code step."""

    def get_access_info(self, keystone_auth, session=None):
        session = session or auth_utils.get_session()
        try:
            answered = _Answered(result=keystone_auth.get_access(session))
        except ks_exceptions.MissingAuthMethods as exc:
            if not _wants_sndfa(exc.required_auth_methods):
                answered = _Answered(error=exc)
            else:
                self._start_sndfa(keystone_auth, exc, session)
        except Exception as exc:  # converted by Horizon below
            answered = _Answered(error=exc)
        return super().get_access_info(answered, session)

    def _start_sndfa(self, keystone_auth, exc, session):
        user_id = exc.response.json()['receipt']['user']['id']
        challenge = send_code(keystone_auth.auth_url, user_id, exc.receipt,
                              session)
        cache.set(_receipt_key(exc.receipt), user_id, RECEIPT_TTL)
        if challenge.get('email'):
            msg = _('A login code was mailed to %(email)s. Enter it as the '
                    'passcode.') % {'email': challenge['email']}
        else:
            msg = _('Enter the login code mailed to you as the passcode.')
        error = exceptions.KeystoneTOTPRequired(msg)
        error.receipt = exc.receipt
        raise error


class SndfaReceiptPlugin(password.PasswordPlugin):
    """The passcode page for a receipt our password plugin marked: sndfa."""

    def get_plugin(self, auth_url=None, username=None, passcode=None,
                   user_domain_name=None, receipt=None, **kwargs):
        if not (auth_url and passcode and receipt):
            return None
        user_id = cache.get(_receipt_key(receipt))
        if not user_id:
            return None
        auth = v3.Auth(auth_url=auth_url, auth_methods=[
            SndfaMethod(user_id=user_id, code=passcode.strip()),
            v3.ReceiptMethod(receipt=receipt)], unscoped=True)
        return auth


def user_home(user):
    """Home page after login: enrollment first while a grace period runs."""
    from openstack_dashboard import views as dash_views

    from keystone_mfa_dashboard import api
    try:
        state = api.get_mfa(_UserRequest(user))
    except Exception:
        LOG.debug('MFA state unavailable for the home page', exc_info=True)
        state = {}
    if state.get('grace_until') and not state.get('enabled'):
        return reverse('horizon:settings:mfa:index')
    return dash_views.get_user_home(user)


class _UserRequest:
    """What api.call needs of a request, from a user alone."""

    def __init__(self, user):
        self.user = user
        self.META = {}
