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
"""Storage of OTP devices (authenticator apps) with encrypted secrets."""

from keystone import exception as ks_exception
from keystone.i18n import _
from oslo_db import exception as db_exception
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.devices.backends import base


class OTPDevice(sql.ModelBase, sql.ModelDictMixin):
    """A TOTP secret enrolled by a user; it counts only once verified.

    `secret` holds the base32 secret encrypted with keystone's credential
    fernet keys; `key_hash` names the key it was encrypted with, so rows can
    be moved to the current primary key after a rotation.
    """

    __tablename__ = 'mfa_otp_device'
    attributes = ['id', 'user_id', 'name', 'algorithm', 'digits', 'period',
                  'verified', 'created_at', 'verified_at']
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    secret = sa.Column(sa.Text(), nullable=False)
    key_hash = sa.Column(sa.String(64), nullable=False)
    algorithm = sa.Column(sa.String(16), nullable=False)
    digits = sa.Column(sa.Integer(), nullable=False)
    period = sa.Column(sa.Integer(), nullable=False)
    verified = sa.Column(sa.Boolean(), nullable=False, default=False)
    created_at = sa.Column(sql.PreciseDateTime, nullable=False)
    verified_at = sa.Column(sa.DateTime(), nullable=True)
    __table_args__ = (
        sa.UniqueConstraint('user_id', 'name',
                            name='uq_mfa_otp_device_user_name'),
        sa.Index('ix_mfa_otp_device_user_id', 'user_id'),
        sql.TABLE_ARGS,
    )


def _not_found(device_id):
    return ks_exception.NotFound(
        _('Could not find OTP device: %s.') % device_id)


def _duplicate_name():
    return ks_exception.Conflict(
        type='otp_device',
        details=_('The user already has an OTP device with this name'))


def _purge_expired(session, user_id, unverified_before):
    """Unverified devices created before `unverified_before` are removed."""
    session.execute(sa.delete(OTPDevice).where(
        OTPDevice.user_id == user_id, OTPDevice.verified.is_(False),
        OTPDevice.created_at < unverified_before))


def _get_row(session, user_id, device_id):
    row = session.get(OTPDevice, device_id)
    if row is None or row.user_id != user_id:
        # Another user's device id is as unknown as a made-up one.
        raise _not_found(device_id)
    return row


class Device(base.DeviceDriverBase):

    def create(self, device, max_devices, unverified_before):
        """Store `device` (its column values); return it as a dict.

        Expired unverified devices are purged first, in the same transaction
        as the count against `max_devices` and the insert.
        """
        row = OTPDevice(**device)
        try:
            with sql.session_for_write() as session:
                _purge_expired(session, row.user_id, unverified_before)
                count = session.execute(
                    sa.select(sa.func.count()).select_from(OTPDevice)
                    .where(OTPDevice.user_id == row.user_id)).scalar_one()
                if count >= max_devices:
                    raise ks_exception.Conflict(
                        type='otp_device',
                        details=_('A user may have at most %d OTP devices')
                        % max_devices)
                session.add(row)
                session.flush()
                return row.to_dict()
        except db_exception.DBDuplicateEntry:
            raise _duplicate_name()

    def list_for_user(self, user_id, unverified_before):
        with sql.session_for_write() as session:
            _purge_expired(session, user_id, unverified_before)
            rows = session.execute(
                sa.select(OTPDevice).where(OTPDevice.user_id == user_id)
                .order_by(OTPDevice.created_at, OTPDevice.id)).scalars()
            return [row.to_dict() for row in rows]

    def get(self, user_id, device_id, unverified_before):
        with sql.session_for_write() as session:
            _purge_expired(session, user_id, unverified_before)
            return _get_row(session, user_id, device_id).to_dict()

    def rename(self, user_id, device_id, name):
        try:
            with sql.session_for_write() as session:
                row = _get_row(session, user_id, device_id)
                row.name = name
                session.flush()
                return row.to_dict()
        except db_exception.DBDuplicateEntry:
            raise _duplicate_name()

    def delete(self, user_id, device_id):
        with sql.session_for_write() as session:
            session.delete(_get_row(session, user_id, device_id))

    def delete_for_user(self, user_id):
        """Delete all of the user's devices; return their ids."""
        with sql.session_for_write() as session:
            ids = session.execute(sa.select(OTPDevice.id).where(
                OTPDevice.user_id == user_id)).scalars().all()
            session.execute(sa.delete(OTPDevice)
                            .where(OTPDevice.user_id == user_id))
        return ids

    def get_with_secret(self, user_id, device_id, unverified_before, decrypt):
        """(device dict, decrypt(row)) of one live device.

        `decrypt` runs inside the transaction; a row it cannot decrypt (None)
        is reported as not found, and the purge is rolled back with it.
        """
        with sql.session_for_write() as session:
            _purge_expired(session, user_id, unverified_before)
            row = _get_row(session, user_id, device_id)
            secret = decrypt(row)
            if secret is None:
                raise _not_found(device_id)
            return row.to_dict(), secret

    def mark_verified(self, device_id, now):
        with sql.session_for_write() as session:
            session.execute(
                sa.update(OTPDevice).where(OTPDevice.id == device_id)
                .values(verified=True, verified_at=now))

    def list_verified_with_secrets(self, user_id, decrypt_many):
        """[(device dict, secret or None)] of verified devices, oldest first.

        The rows are read in one transaction and handed to `decrypt_many`
        together, which returns one secret (or None) per row.
        """
        with sql.session_for_read() as session:
            rows = session.execute(
                sa.select(OTPDevice)
                .where(OTPDevice.user_id == user_id,
                       OTPDevice.verified.is_(True))
                .order_by(OTPDevice.created_at)).scalars().all()
            return list(zip([row.to_dict() for row in rows],
                            decrypt_many(rows)))

    def count_verified(self, user_id):
        with sql.session_for_read() as session:
            return session.execute(
                sa.select(sa.func.count()).select_from(OTPDevice)
                .where(OTPDevice.user_id == user_id,
                       OTPDevice.verified.is_(True))).scalar_one()

    def replace_secrets(self, reencrypt):
        """Store `reencrypt(row)` as (secret, key_hash) of every device.

        All rows are read and updated in one transaction; `reencrypt`
        returns None to leave a row as it is.
        """
        with sql.session_for_write() as session:
            for row in session.execute(sa.select(OTPDevice)).scalars():
                replacement = reencrypt(row)
                if replacement is not None:
                    row.secret, row.key_hash = replacement
