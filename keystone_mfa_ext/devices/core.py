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

from cryptography import fernet
from keystone.common import provider_api
import keystone.conf
from keystone.credential.providers import fernet as fernet_credentials
from keystone import exception as ks_exception
from keystone.i18n import _
from oslo_db import exception as db_exception
from oslo_log import log
from oslo_utils import timeutils
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.devices.backends import sql as devices_sql
from keystone_mfa_ext.totp import algorithm
from keystone_mfa_ext.totp.backends import sql as totp_sql

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs
Device = devices_sql.OTPDevice

SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation


def _encrypt(secret_b32):
    blob, key_hash = PROVIDERS.credential_provider_api.encrypt(secret_b32)
    if isinstance(blob, bytes):
        blob = blob.decode('ascii')
    return blob, key_hash


def _undecryptable(device_id):
    # Its key was rotated away without keystone-mfa-ext-manage reencrypt.
    LOG.warning('OTP device %s cannot be decrypted with the current '
                'credential keys; it is ignored.', device_id)
    return None


def _decrypt(row):
    try:
        return PROVIDERS.credential_provider_api.decrypt(row.secret)
    except ks_exception.CredentialEncryptionError:
        return _undecryptable(row.id)


def _decrypt_many(rows):
    """[secret or None] of `rows`, reading the credential keys only once.

    keystone's fernet credential provider reads its key repository from
    disk on every decrypt; per device that made a login of a user with 50
    devices read it 50 times. With that provider (keystone's default and
    only one) its own key loader is called once here; with any other the
    provider decrypts each row.
    """
    if not rows or CONF.credential.provider != 'fernet':
        return [_decrypt(row) for row in rows]
    crypto, _keys = fernet_credentials.get_multi_fernet_keys()
    secrets_ = []
    for row in rows:
        try:
            secrets_.append(crypto.decrypt(
                row.secret.encode('ascii')).decode('utf-8'))
        except (fernet.InvalidToken, TypeError, ValueError):
            secrets_.append(_undecryptable(row.id))
    return secrets_


def _purge_expired(session, user_id):
    """Unverified devices past `[mfa] unverified_device_ttl` are removed."""
    oldest = timeutils.utcnow() - datetime.timedelta(
        seconds=CONF.mfa.unverified_device_ttl)
    session.execute(sa.delete(Device).where(
        Device.user_id == user_id, Device.verified.is_(False),
        Device.created_at < oldest))


def _not_found(device_id):
    return ks_exception.NotFound(
        _('Could not find OTP device: %s.') % device_id)


def create(user_id, name, algorithm_name='SHA1', digits=6, period=30):
    """Store a new unverified device; return (device dict, base32 secret)."""
    secret_b32 = algorithm.encode_secret(secrets.token_bytes(SECRET_BYTES))
    blob, key_hash = _encrypt(secret_b32)
    row = Device(
        id=uuid.uuid4().hex, user_id=user_id, name=name, secret=blob,
        key_hash=key_hash, algorithm=algorithm_name, digits=digits,
        period=period, verified=False, created_at=timeutils.utcnow())
    try:
        with sql.session_for_write() as session:
            _purge_expired(session, user_id)
            count = session.execute(
                sa.select(sa.func.count()).select_from(Device)
                .where(Device.user_id == user_id)).scalar_one()
            if count >= CONF.mfa.max_devices_per_user:
                raise ks_exception.Conflict(
                    type='otp_device',
                    details=_('A user may have at most %d OTP devices.')
                    % CONF.mfa.max_devices_per_user)
            session.add(row)
            session.flush()
            return row.to_dict(), secret_b32
    except db_exception.DBDuplicateEntry:
        raise ks_exception.Conflict(
            type='otp_device',
            details=_('The user already has an OTP device with this name.'))


def list_for_user(user_id):
    with sql.session_for_write() as session:
        _purge_expired(session, user_id)
        rows = session.execute(
            sa.select(Device).where(Device.user_id == user_id)
            .order_by(Device.created_at, Device.id)).scalars()
        return [row.to_dict() for row in rows]


def _get_row(session, user_id, device_id):
    row = session.get(Device, device_id)
    if row is None or row.user_id != user_id:
        # Another user's device id is as unknown as a made-up one.
        raise _not_found(device_id)
    return row


def get(user_id, device_id):
    with sql.session_for_write() as session:
        _purge_expired(session, user_id)
        return _get_row(session, user_id, device_id).to_dict()


def rename(user_id, device_id, name):
    try:
        with sql.session_for_write() as session:
            row = _get_row(session, user_id, device_id)
            row.name = name
            session.flush()
            return row.to_dict()
    except db_exception.DBDuplicateEntry:
        raise ks_exception.Conflict(
            type='otp_device',
            details=_('The user already has an OTP device with this name.'))


def delete(user_id, device_id):
    with sql.session_for_write() as session:
        session.delete(_get_row(session, user_id, device_id))
    totp_sql.delete_for_secret(device_id)


def delete_for_user(user_id):
    with sql.session_for_write() as session:
        ids = session.execute(sa.select(Device.id).where(
            Device.user_id == user_id)).scalars().all()
        session.execute(sa.delete(Device).where(Device.user_id == user_id))
    return ids


def pending_with_secret(user_id, device_id):
    """(device dict, base32 secret) of one live device, for verification."""
    with sql.session_for_write() as session:
        _purge_expired(session, user_id)
        row = _get_row(session, user_id, device_id)
        secret = _decrypt(row)
        if secret is None:
            raise _not_found(device_id)
        return row.to_dict(), secret


def mark_verified(device_id):
    with sql.session_for_write() as session:
        session.execute(
            sa.update(Device).where(Device.id == device_id)
            .values(verified=True, verified_at=timeutils.utcnow()))


def verified_with_secrets(user_id):
    """[(device dict, base32 secret)] of the user's verified devices."""
    with sql.session_for_read() as session:
        rows = session.execute(
            sa.select(Device)
            .where(Device.user_id == user_id, Device.verified.is_(True))
            .order_by(Device.created_at)).scalars().all()
        pairs = zip([row.to_dict() for row in rows], _decrypt_many(rows))
    return [(device, secret) for device, secret in pairs if secret]


def count_verified(user_id):
    with sql.session_for_read() as session:
        return session.execute(
            sa.select(sa.func.count()).select_from(Device)
            .where(Device.user_id == user_id,
                   Device.verified.is_(True))).scalar_one()


def reencrypt_all():
    """Re-encrypt every device not under the current primary key.

    Run after `keystone-manage credential_rotate`; returns (moved, failed).
    """
    moved = failed = 0
    with sql.session_for_write() as session:
        for row in session.execute(sa.select(Device)).scalars():
            secret = _decrypt(row)
            if secret is None:
                failed += 1
                continue
            blob, key_hash = _encrypt(secret)
            if key_hash != row.key_hash:
                row.secret, row.key_hash = blob, key_hash
                moved += 1
    return moved, failed
