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
"""What every second-factor method of ours does around its own check.

User lookup with audit, keystone's and our lockout, the shared failure
counter, one generic failure message, and the audit record + CADF event of
each outcome. The methods themselves only say whether the factor matched.
"""

from keystone.auth import plugins as ks_auth_plugins
from keystone.auth.plugins import base
from keystone import exception

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.auth import schema
from keystone_mfa_ext.lockout import core as lockout
from keystone_mfa_ext.providers import core as providers


class Attempt:
    """One authentication attempt of `method` with a generic failure."""

    def __init__(self, method, failure_message):
        self.method = method
        self.failure_message = failure_message
        self.user_info = None

    def start(self, auth_payload, payload_schema):
        """Validate, find the user, refuse if locked or the method is off.

        Returns the effective provider settings of the user's domain.
        """
        schema.validate(payload_schema, auth_payload)
        self.lookup_user(auth_payload)
        self.assert_not_locked()
        provider = providers.effective(self.method, self.user_info.domain_id)
        if not provider.enabled:
            self.refuse(attempts.FAILURE, f'{self.method} provider disabled')
        return provider.settings

    def lookup_user(self, auth_payload):
        try:
            self.user_info = ks_auth_plugins.TOTPUserInfo.create(
                auth_payload, self.method)
        except exception.Unauthorized:
            # Unknown user, or user/domain disabled: nothing to count.
            attempts.record(self.method, attempts.FAILURE,
                            message='unknown or disabled user or domain')
            raise exception.Unauthorized(self.failure_message)
        return self.user_info

    @property
    def user_id(self):
        return self.user_info.user_id

    def refuse(self, status, reason, count=False):
        """Audit, optionally count a second-factor failure, then 401."""
        if count:
            lockout.record_failure(self.user_id)
        attempts.record(self.method, status, user_id=self.user_id,
                        domain_id=self.user_info.domain_id, message=reason)
        raise exception.Unauthorized(self.failure_message)

    def assert_not_locked(self):
        if lockout.keystone_locked_out(self.user_id):
            self.refuse(attempts.LOCKED, 'locked by keystone')
        lock = lockout.status(self.user_id)
        if lock.locked:
            self.refuse(attempts.LOCKED, lockout.reason(lock))

    def succeed(self, reason):
        lockout.record_success(self.user_id)
        attempts.record(self.method, attempts.SUCCESS, user_id=self.user_id,
                        domain_id=self.user_info.domain_id, message=reason)
        return base.AuthHandlerResponse(
            status=True, response_body=None,
            response_data={'user_id': self.user_id})
