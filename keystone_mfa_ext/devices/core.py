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
"""OTP devices: creation with a server-made secret, verification state.

Secrets are generated with `secrets`, encrypted at rest with keystone's
credential fernet keys (its `credential_provider_api`), and decrypted only
to check a code.
"""

import secrets
import uuid

from keystone.common import provider_api
from keystone import exception as ks_exception
from oslo_log import log
from oslo_utils import timeutils
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.devices.backends import sql as devices_sql
from keystone_mfa_ext.totp import algorithm

LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs

SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation


def create(user_id, name, algorithm_name='SHA1', digits=6, period=30):
    """Store a new unverified device; return (device dict, base32 secret)."""
    secret_b32 = algorithm.encode_secret(secrets.token_bytes(SECRET_BYTES))
    blob, key_hash = PROVIDERS.credential_provider_api.encrypt(secret_b32)
    if isinstance(blob, bytes):
        blob = blob.decode('ascii')
    row = devices_sql.OTPDevice(
        id=uuid.uuid4().hex, user_id=user_id, name=name, secret=blob,
        key_hash=key_hash, algorithm=algorithm_name, digits=digits,
        period=period, verified=False, created_at=timeutils.utcnow())
    with sql.session_for_write() as session:
        session.add(row)
        return row.to_dict(), secret_b32


def mark_verified(device_id):
    with sql.session_for_write() as session:
        session.execute(
            sa.update(devices_sql.OTPDevice)
            .where(devices_sql.OTPDevice.id == device_id)
            .values(verified=True, verified_at=timeutils.utcnow()))


def _decrypt(row):
    try:
        return PROVIDERS.credential_provider_api.decrypt(row.secret)
    except ks_exception.CredentialEncryptionError:
        # Its key was rotated away without keystone-mfa-ext-manage reencrypt.
        LOG.warning('OTP device %s cannot be decrypted with the current '
                    'credential keys; it is ignored.', row.id)
        return None


def verified_with_secrets(user_id):
    """[(device dict, base32 secret)] of the user's verified devices."""
    with sql.session_for_read() as session:
        rows = session.execute(
            sa.select(devices_sql.OTPDevice)
            .where(devices_sql.OTPDevice.user_id == user_id,
                   devices_sql.OTPDevice.verified.is_(True))
            .order_by(devices_sql.OTPDevice.created_at)).scalars().all()
        pairs = [(row.to_dict(), _decrypt(row)) for row in rows]
    return [(device, secret) for device, secret in pairs if secret]
