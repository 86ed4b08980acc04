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
"""The `mfa_ext` driver of keystone's `totp` auth method.

Enable with `[auth] totp = mfa_ext`. Same payload and method name as
keystone's built-in driver (so MFA rules and keystoneauth1's `v3totp` keep
working; the passcode may also sit beside `user`), plus what it lacks:
codes of verified OTP devices with their own algorithm/digits/period,
unused recovery codes, past and future drift windows, single-use codes
across processes, a per-user second-factor lockout, refusal of users that
keystone itself locked out, and an audit record + CADF event per attempt.
"""

from keystone.auth.plugins import base
from keystone.i18n import _

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.auth import schema
from keystone_mfa_ext.auth import second_factor
from keystone_mfa_ext import backends
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.totp import windows

PROVIDERS = provider_api.ProviderAPIs
METHOD_NAME = 'totp'
GENERIC_FAILURE = _('Invalid username or TOTP passcode')


class TOTP(base.AuthMethodHandler):

    def __init__(self):
        super().__init__()
        # Loaded after keystone locked its provider API: our managers.
        backends.load_backends()
        # keystone loads auth methods at start-up: say now if keystone's
        # and our past-window options disagree.
        windows.check_options()

    def authenticate(self, auth_payload):
        """Accept one unused code of the user's second factors."""
        attempt = second_factor.Attempt(METHOD_NAME, GENERIC_FAILURE)
        settings, secrets = attempt.start(
            auth_payload, schema.totp,
            read=PROVIDERS.mfa_totp_api.user_secrets,
            normalize=schema.totp_passcode_in_user)
        passcode = attempt.user_info.passcode.strip()
        result = PROVIDERS.mfa_totp_api.verify(
            attempt.user_id, passcode, secrets,
            past=settings['past_windows'], future=settings['future_windows'])
        if result.ok:
            return attempt.succeed(result.reason)
        if PROVIDERS.mfa_recovery_api.consume(attempt.user_id, passcode):
            return attempt.succeed('recovery code')
        attempt.refuse(attempts.FAILURE, result.reason, count=True)
