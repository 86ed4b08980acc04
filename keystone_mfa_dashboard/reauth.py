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
"""Factor changes that keystone refuses without a fresh second factor.

keystone answers 403 "... needs a token that used a second factor ..."
when a user with MFA (or any factor) changes factors with a token that did
not use one lately. Instead of failing, the page asks for the password and
a code, logs in again, replaces the session's token with the new one (the
old single-factor token may be revoked once MFA is on) and runs the
pending action again.
"""

from django.utils.translation import gettext_lazy as _
from keystoneauth1 import exceptions as ks_exceptions
from openstack_auth import user as auth_user

from keystone_mfa_dashboard import api

PENDING_KEY = 'mfa_pending_action'
RECEIPT_KEY = 'mfa_reauth_receipt'


def remember(request, action, data):
    """Keep the refused action (server-side session) to run it again."""
    request.session[PENDING_KEY] = {'action': action, 'data': data}


def pop_pending(request):
    return request.session.pop(PENDING_KEY, None)


def has_pending(request):
    return PENDING_KEY in request.session


def mail_code(request, password):
    """Password, then keystone mails a login code (the sndfa factor).

    The receipt waits in the (server-side) session for the code. Returns
    (message, ok).
    """
    from keystone_mfa_dashboard import login
    try:
        receipt, rules, user_id = api.password_receipt(request, password)
    except ks_exceptions.Unauthorized:
        return _('The password is wrong.'), False
    except ks_exceptions.ClientException as exc:
        return api.error_message(exc), False
    if not receipt or not any('sndfa' in rule for rule in rules or []):
        return _('Your login has no email factor: use a code of your '
                 'authenticator app or a recovery code.'), False
    challenge = login.send_code(api.v3_url(request), user_id, receipt,
                                api.session(request))
    request.session[RECEIPT_KEY] = receipt
    if challenge.get('email'):
        return _('A code was mailed to %s.') % challenge['email'], True
    return _('A code was mailed to you (or shortly before: a new one is '
             'sent at most once a minute).'), True


def login_again(request, password, passcode):
    """Password + code: a fresh two-factor token becomes the session's.

    With a receipt waiting (mail_code), the code is the mailed one and the
    password is not needed again. Returns None on success, else a message
    for the form.
    """
    receipt = request.session.get(RECEIPT_KEY)
    try:
        if receipt:
            unscoped = api.sndfa_login(request, receipt, passcode)
        else:
            unscoped = api.fresh_login(request, password, passcode)
        scoped = api.rescope(request, unscoped.auth_token)
    except ks_exceptions.Unauthorized:
        return _('The password or the code is wrong (or your second '
                 'factors are locked).')
    except ks_exceptions.ClientException as exc:
        return api.error_message(exc)
    request.session.pop(RECEIPT_KEY, None)
    endpoint = request.user.endpoint
    user = auth_user.create_user_from_token(
        request, auth_user.Token(scoped, unscoped_token=unscoped.auth_token),
        endpoint, services_region=request.user.services_region)
    auth_user.set_session_from_user(request, user)
    request.session['unscoped_token'] = unscoped.auth_token
    request.session.pop('mfa_admin_token', None)
    request.user = user
    return None
