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

import sqlalchemy as sa

from keystone_mfa_ext.common import sql


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
    created_at = sa.Column(sa.DateTime(), nullable=False)
    verified_at = sa.Column(sa.DateTime(), nullable=True)
    __table_args__ = (
        sa.UniqueConstraint('user_id', 'name',
                            name='uq_mfa_otp_device_user_name'),
        sa.Index('ix_mfa_otp_device_user_id', 'user_id'),
        sql.TABLE_ARGS,
    )
