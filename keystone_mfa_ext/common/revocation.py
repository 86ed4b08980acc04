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
"""Revoking a user's tokens the way keystone does, and what it costs.

keystone revokes by time: every token of the user issued up to now. Fernet
tokens carry whole seconds, so the tokens issued in the rest of that second
are revoked as well; a client that switched MFA on and logs in straight
away would get a token that is already dead. The request that revoked
therefore answers only once that second is over (wait_out_revocations,
after the request's transaction): at most a second, and only when a user's
rules start to require a second factor.
"""

import contextvars
import math
import time

from keystone import notifications

from keystone_mfa_ext.common import provider_api

PROVIDERS = provider_api.ProviderAPIs
_revoked_at = contextvars.ContextVar('mfa_ext_revoked_at', default=None)


def revoke_user_tokens(user_id, reason):
    """Revoke every token of the user issued until now, on every node."""
    PROVIDERS.revoke_api.revoke_by_user(user_id)
    # As keystone does after each revocation: no process keeps validating
    # a revoked token from its token cache.
    notifications.invalidate_token_cache_notification(
        reason + ' Its earlier tokens are revoked.')
    _revoked_at.set(time.time())


def wait_out_revocations():
    """Sleep until tokens issued from now on are not revoked."""
    at = _revoked_at.get()
    if at is None:
        return
    _revoked_at.set(None)
    delay = math.floor(at) + 1 - time.time()
    if delay > 0:
        time.sleep(delay)
