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
working), plus what it lacks: codes of verified OTP devices with their own
algorithm/digits/period, unused recovery codes, past and future drift
windows, single-use codes across processes, a per-user second-factor
lockout, refusal of users that keystone itself locked out, and an audit
record + CADF event per attempt.
"""

from keystone.auth import plugins as ks_auth_plugins
from keystone.auth.plugins import base
from keystone import exception
from keystone.i18n import _

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.auth import schema
from keystone_mfa_ext.lockout import core as lockout
from keystone_mfa_ext.recovery import core as recovery
from keystone_mfa_ext.totp import core as totp_core

METHOD_NAME = 'totp'
GENERIC_FAILURE = _('Invalid username or TOTP passcode')


def _refuse(status, user_info, reason):
    """Audit the attempt, then fail with the one generic message."""
    attempts.record(METHOD_NAME, status, user_id=user_info.user_id,
                    domain_id=user_info.domain_id, message=reason)
    raise exception.Unauthorized(GENERIC_FAILURE)


def _user_info(auth_payload):
    try:
        return ks_auth_plugins.TOTPUserInfo.create(auth_payload, METHOD_NAME)
    except exception.Unauthorized:
        # Unknown user, or user/domain disabled: nothing to count against.
        attempts.record(METHOD_NAME, attempts.FAILURE,
                        message='unknown or disabled user or domain')
        raise exception.Unauthorized(GENERIC_FAILURE)


class TOTP(base.AuthMethodHandler):

    def authenticate(self, auth_payload):
        """Accept one unused code of the user's second factors."""
        schema.validate(schema.totp, auth_payload)
        user_info = _user_info(auth_payload)
        user_id = user_info.user_id
        if lockout.keystone_locked_out(user_id):
            _refuse(attempts.LOCKED, user_info, 'locked by keystone')
        until = lockout.locked_until(user_id)
        if until:
            _refuse(attempts.LOCKED, user_info,
                    f'second factors locked until {until.isoformat()}Z')
        passcode = user_info.passcode.strip()
        result = totp_core.verify(user_id, passcode,
                                  totp_core.user_secrets(user_id))
        reason = result.reason
        if not result.ok and recovery.consume(user_id, passcode):
            reason = 'recovery code'
        elif not result.ok:
            lockout.record_failure(user_id)
            _refuse(attempts.FAILURE, user_info, reason)
        lockout.record_success(user_id)
        attempts.record(METHOD_NAME, attempts.SUCCESS, user_id=user_id,
                        domain_id=user_info.domain_id, message=reason)
        return base.AuthHandlerResponse(
            status=True, response_body=None,
            response_data={'user_id': user_id})
