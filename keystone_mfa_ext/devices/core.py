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
"""OTP devices: enrollment with a server-made secret, verify-before-use.

Secrets are generated with `secrets` (160 bits), encrypted at rest with
keystone's credential fernet keys (its `credential_provider_api`), shown
once in the create response, and decrypted only to check a code. A device
counts as a second factor only after a code of it was verified; unverified
devices expire after `[mfa] unverified_device_ttl` seconds.
"""

import datetime
import secrets
import uuid

import keystone.conf
from keystone import notifications
from oslo_log import log
from oslo_utils import timeutils

from keystone_mfa_ext.common import credential_keys
from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.totp import algorithm

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs

SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation
RESOURCE = 'otp_device'   # of audit notifications


def _undecryptable(device_id):
    # Its key was rotated away without keystone-mfa-ext-manage reencrypt.
    LOG.warning('OTP device %s cannot be decrypted with the current '
                'credential keys; it is ignored.', device_id)
    return None


def _decrypt(row):
    secret = credential_keys.decrypt(row.secret)
    return _undecryptable(row.id) if secret is None else secret


def _decrypt_many(rows):
    """[secret or None] of `rows`, reading the credential keys only once."""
    return [_undecryptable(row.id) if secret is None else secret
            for row, secret in zip(rows, credential_keys.decrypt_many(
                [row.secret for row in rows]))]


def _unverified_before():
    """Unverified devices created before this are past their TTL."""
    return timeutils.utcnow() - datetime.timedelta(
        seconds=CONF.mfa.unverified_device_ttl)


class Manager(common_manager.Manager):
    """OTP devices of users, on keystone's provider API as mfa_device_api.

    Device storage is the driver's (`[mfa] device_driver`); encryption,
    expiry of unverified devices and the user's device limit are here.
    """

    driver_namespace = 'keystone_mfa_ext.devices'
    _provides_api = 'mfa_device_api'

    def __init__(self):
        super().__init__(CONF.mfa.device_driver)

    def create(self, user_id, name, algorithm_name='SHA1', digits=6,
               period=30, initiator=None):
        """Store a new unverified device; return (device, base32 secret)."""
        secret_b32 = algorithm.encode_secret(
            secrets.token_bytes(SECRET_BYTES))
        blob, key_hash = credential_keys.encrypt(secret_b32)
        device = dict(
            id=uuid.uuid4().hex, user_id=user_id, name=name, secret=blob,
            key_hash=key_hash, algorithm=algorithm_name, digits=digits,
            period=period, verified=False, created_at=timeutils.utcnow())
        device = self.driver.create(device, CONF.mfa.max_devices_per_user,
                                    _unverified_before())
        notifications.Audit.created(RESOURCE, device['id'], initiator)
        return device, secret_b32

    def list_for_user(self, user_id):
        return self.driver.list_for_user(user_id, _unverified_before())

    def get(self, user_id, device_id):
        return self.driver.get(user_id, device_id, _unverified_before())

    def rename(self, user_id, device_id, name, initiator=None):
        device = self.driver.rename(user_id, device_id, name)
        notifications.Audit.updated(RESOURCE, device_id, initiator)
        return device

    def delete(self, user_id, device_id, initiator=None):
        self.driver.delete(user_id, device_id)
        PROVIDERS.mfa_totp_api.forget_secret(device_id)
        notifications.Audit.deleted(RESOURCE, device_id, initiator)

    def delete_for_user(self, user_id):
        return self.driver.delete_for_user(user_id)

    def pending_with_secret(self, user_id, device_id):
        """(device, base32 secret) of one live device, to verify it."""
        return self.driver.get_with_secret(user_id, device_id,
                                           _unverified_before(), _decrypt)

    def mark_verified(self, device_id, initiator=None):
        self.driver.mark_verified(device_id, timeutils.utcnow())
        notifications.Audit.updated(RESOURCE, device_id, initiator)

    def verified_with_secrets(self, user_id):
        """[(device dict, base32 secret)] of the user's verified devices."""
        pairs = self.driver.list_verified_with_secrets(user_id, _decrypt_many)
        return [(device, secret) for device, secret in pairs if secret]

    def count_verified(self, user_id):
        return self.driver.count_verified(user_id)

    def reencrypt_all(self):
        """Re-encrypt every device not under the current primary key.

        Run after `keystone-manage credential_rotate`; returns (moved,
        failed).
        """
        moved = failed = 0

        def reencrypt(row):
            nonlocal moved, failed
            secret = _decrypt(row)
            if secret is None:
                failed += 1
                return None
            blob, key_hash = credential_keys.encrypt(secret)
            if key_hash == row.key_hash:
                return None
            moved += 1
            return blob, key_hash

        self.driver.replace_secrets(reencrypt)
        return moved, failed


__getattr__ = common_manager.module_api(Manager)
