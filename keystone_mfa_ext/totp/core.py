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
"""Checking a TOTP passcode against a user's secrets, single use.

The secrets are the user's verified OTP devices and, unless
`[mfa] accept_keystone_totp_credentials = false`, keystone's own `totp`
credentials (SHA1, 6 digits, 30 s, as keystone's built-in method reads them).
"""

import dataclasses

import keystone.conf
from oslo_log import log
from oslo_utils import timeutils

from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.totp import algorithm
from keystone_mfa_ext.totp import windows

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs

OTP_DEVICE = 'otp_device'
CREDENTIAL = 'credential'
CREDENTIAL_TYPE = 'totp'   # keystone's credential type of TOTP secrets
# keystone's TOTP guide asks for at least 16 bytes of secret.
MIN_CREDENTIAL_SECRET_BYTES = 16


@dataclasses.dataclass(frozen=True)
class Secret:
    id: str
    kind: str
    key: bytes = dataclasses.field(repr=False)
    algorithm: str = 'SHA1'
    digits: int = 6
    period: int = 30


@dataclasses.dataclass(frozen=True)
class Result:
    secret: Secret | None
    reason: str

    @property
    def ok(self):
        return self.secret is not None


def device_secret(device, secret_b32):
    return Secret(id=device['id'], kind=OTP_DEVICE,
                  key=algorithm.decode_secret(secret_b32),
                  algorithm=device['algorithm'], digits=device['digits'],
                  period=device['period'])


def keystone_credentials(user_id):
    """The user's keystone credentials of type exactly `totp`.

    MariaDB/MySQL compare keystone's credential type case- and
    accent-insensitively and ignore trailing spaces: `TOTP` or `totp `
    would match the query, yet they are no factor keystone knows, and
    nothing guards their creation. Only the exact type counts.
    """
    return [cred for cred in PROVIDERS.credential_api
            .list_credentials_for_user(user_id, type=CREDENTIAL_TYPE)
            if cred.get('type') == CREDENTIAL_TYPE]


def _credential_secrets(user_id):
    found = []
    for cred in keystone_credentials(user_id):
        try:
            key = algorithm.decode_secret(
                cred['blob'], min_bytes=MIN_CREDENTIAL_SECRET_BYTES)
        except (algorithm.InvalidSecret, AttributeError, TypeError):
            LOG.warning('Skipping keystone totp credential %s: its blob is '
                        'not a base32 secret of at least %d bytes.',
                        cred['id'], MIN_CREDENTIAL_SECRET_BYTES)
            continue
        found.append(Secret(id=cred['id'], kind=CREDENTIAL, key=key))
    return found


class Manager(common_manager.Manager):
    """TOTP checks, on keystone's provider API as mfa_totp_api.

    The used steps are the driver's (`[mfa] totp_driver`); the secrets
    come from mfa_device_api and keystone's credential_api.
    """

    driver_namespace = 'keystone_mfa_ext.totp'
    _provides_api = 'mfa_totp_api'

    def __init__(self):
        super().__init__(CONF.mfa.totp_driver)

    def user_secrets(self, user_id):
        """Every secret a passcode of this user may match."""
        found = [device_secret(device, secret) for device, secret
                 in PROVIDERS.mfa_device_api.verified_with_secrets(user_id)]
        if CONF.mfa.accept_keystone_totp_credentials:
            found.extend(_credential_secrets(user_id))
        return found

    def verify(self, user_id, passcode, secrets, now=None, past=None,
               future=None):
        """Match `passcode` against `secrets` and consume its time step.

        Windows: `past` / `future` steps around now, in each secret's
        period (defaults: windows.past_windows(), `[mfa]
        totp_future_windows`). Replay: a step at or before the last
        accepted step of that secret is refused, on every process sharing
        the backend (the driver's `advance`).
        """
        now = timeutils.utcnow_ts(microsecond=True) if now is None else now
        matches = []
        for secret in secrets:
            step = algorithm.matching_step(
                secret.key, passcode, now, period=secret.period,
                digits=secret.digits, algorithm=secret.algorithm,
                past=windows.past_windows() if past is None else past,
                future=CONF.mfa.totp_future_windows if future is None
                else future)
            if step is not None:
                matches.append((secret, step))
        if not matches:
            return Result(None, 'wrong code')
        for secret, step in matches:
            if self.driver.advance(secret.id, user_id, step):
                return Result(secret, f'{secret.kind} {secret.id}')
        return Result(None, 'replayed code')

    def forget_secret(self, secret_id):
        """A secret is gone: so are its used steps."""
        self.driver.delete_for_secret(secret_id)

    def forget(self, user_id):
        """Remove the user's OTP devices and every used step of the user."""
        devices = PROVIDERS.mfa_device_api
        for device_id in devices.delete_for_user(user_id):
            self.driver.delete_for_secret(device_id)
        self.driver.delete_for_user(user_id)
