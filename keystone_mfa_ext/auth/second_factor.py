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

A failure counts toward the user's lockout only when the attempt proved
another factor of that user first (`proven`): anybody can name a user id,
and must not be able to lock its owner out. Unproven failures are
throttled per user and client address instead (lockout.core).
"""

from keystone.auth import plugins as ks_auth_plugins
from keystone.auth.plugins import base
from keystone.common import sql as ks_sql
from keystone import exception

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.auth import payload
from keystone_mfa_ext.auth import schema
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_context
from keystone_mfa_ext.lockout import core as lockout

PROVIDERS = provider_api.ProviderAPIs


def _receipt_user_id():
    """The user of the request's valid auth receipt, or None."""
    header = request_context.header(request_context.AUTH_RECEIPT_HEADER)
    if not header:
        return None
    try:
        return PROVIDERS.receipt_provider_api.validate_receipt(
            header).user_id
    except exception.Error:
        return None


def proved_other_factor(method, user_id):
    """Did this request prove a factor of `user_id` before `method` ran?

    Its valid auth receipt names the user, or another method listed
    before `method` in the same request names the user: keystone runs
    the methods in their order and stops at the first failure, so that
    one has succeeded when `method` runs.
    """
    for other, other_user in payload.method_users():
        if other == method:
            break
        if other_user == user_id:
            return True
    return _receipt_user_id() == user_id


class Attempt:
    """One authentication attempt of `method` with a generic failure."""

    def __init__(self, method, failure_message):
        self.method = method
        self.failure_message = failure_message
        self.user_info = None
        self.lock = None
        self.proven = False
        self.address = None

    def start(self, auth_payload, payload_schema, read=None, normalize=None):
        """Validate, find the user, refuse if locked or the method is off.

        Every read of the attempt, and `read(user_id)` (the method's own,
        e.g. the user's secrets), shares one database transaction:
        keystone's sessions nest per thread, so this is one round trip
        where there were several, on every login. Returns the effective
        provider settings of the user's domain and what `read` returned.
        `normalize(payload)`, after validation, returns the payload in the
        shape keystone's user info reads.
        """
        schema.validate(payload_schema, auth_payload)
        if normalize is not None:
            auth_payload = normalize(auth_payload)
        with ks_sql.session_for_read():
            try:
                self.user_info = ks_auth_plugins.TOTPUserInfo.create(
                    auth_payload, self.method)
            except exception.Unauthorized:
                self.user_info = None
            else:
                keystone_locked = lockout.keystone_locked_out(self.user_id)
                self.lock = lockout.status(self.user_id)
                provider = PROVIDERS.mfa_provider_api.effective(
                    self.method, self.user_info.domain_id)
                extra = read(self.user_id) if read else None
        # Refusals write their audit record: after the read transaction.
        if self.user_info is None:
            # Unknown user, or user/domain disabled: nothing to count.
            PROVIDERS.mfa_attempt_api.record(
                self.method, attempts.FAILURE,
                message='unknown or disabled user or domain')
            raise exception.Unauthorized(self.failure_message)
        if keystone_locked:
            self.refuse(attempts.LOCKED, 'locked by keystone')
        if self.lock.locked:
            self.refuse(attempts.LOCKED, lockout.reason(self.lock))
        if not provider.enabled:
            self.refuse(attempts.FAILURE, f'{self.method} provider disabled')
        self.proven = proved_other_factor(self.method, self.user_id)
        self.address = request_context.client_address()
        if not self.proven and lockout.unproven_throttled(
                self.user_id, self.address):
            self.refuse(attempts.LOCKED, 'throttled: too many failures '
                        'without another factor of the user')
        return provider.settings, extra

    @property
    def user_id(self):
        return self.user_info.user_id

    def refuse(self, status, reason, count=False):
        """Audit, optionally count a second-factor failure, then 401.

        Counted toward the lockout only when the attempt was `proven`,
        else toward the throttle of unproven attempts.
        """
        if count and self.proven:
            lockout.record_failure(self.user_id)
        elif count:
            lockout.record_unproven_failure(self.user_id, self.address)
        PROVIDERS.mfa_attempt_api.record(
            self.method, status, user_id=self.user_id,
            domain_id=self.user_info.domain_id, message=reason)
        raise exception.Unauthorized(self.failure_message)

    def succeed(self, reason):
        lockout.record_success(self.user_id, self.lock)
        PROVIDERS.mfa_attempt_api.record(
            self.method, attempts.SUCCESS, user_id=self.user_id,
            domain_id=self.user_info.domain_id, message=reason)
        return base.AuthHandlerResponse(
            status=True, response_body=None,
            response_data={'user_id': self.user_id})
