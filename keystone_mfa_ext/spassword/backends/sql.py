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
"""Storage of the email factor: verified address, codes, approvals, rates."""

import uuid

import sqlalchemy as sa

from keystone_mfa_ext.common import sql


class EmailFactor(sql.ModelBase, sql.ModelDictMixin):
    """The user's email factor.

    `verified_email` is the address that was verified: when the user's
    address changes, the verification no longer applies.
    """

    __tablename__ = 'mfa_email_factor'
    attributes = ['user_id', 'verified_email', 'sndfa_enabled',
                  'updated_at']
    user_id = sa.Column(sa.String(64), primary_key=True)
    verified_email = sa.Column(sa.String(255), nullable=True)
    sndfa_enabled = sa.Column(sa.Boolean(), nullable=False, default=False)
    updated_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (sql.TABLE_ARGS,)


class EmailCode(sql.ModelBase, sql.ModelDictMixin):
    """A code sent by mail; only its salted slow hash is stored."""

    __tablename__ = 'mfa_email_code'
    attributes = ['id', 'user_id', 'purpose', 'code_hash', 'created_at',
                  'expires_at', 'attempts', 'used_at', 'client_ip', 'email']
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    purpose = sa.Column(sa.String(16), nullable=False)
    code_hash = sa.Column(sa.String(255), nullable=False)
    created_at = sa.Column(sql.PreciseDateTime, nullable=False)
    expires_at = sa.Column(sa.DateTime(), nullable=False)
    attempts = sa.Column(sa.Integer(), nullable=False, default=0)
    used_at = sa.Column(sa.DateTime(), nullable=True)
    client_ip = sa.Column(sa.String(64), nullable=True)
    email = sa.Column(sa.String(255), nullable=True)
    __table_args__ = (
        sa.Index('ix_mfa_email_code_user_purpose', 'user_id', 'purpose'),
        sql.TABLE_ARGS,
    )


class Approval(sql.ModelBase, sql.ModelDictMixin):
    """A login approved from an emailed link (FIWARE mode)."""

    __tablename__ = 'mfa_sndfa_approval'
    attributes = ['id', 'user_id', 'client_ip', 'expires_at']
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    client_ip = sa.Column(sa.String(64), nullable=True)
    expires_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (
        sa.Index('ix_mfa_sndfa_approval_user', 'user_id'),
        sql.TABLE_ARGS,
    )


class RateEvent(sql.ModelBase):
    """One counted event (e.g. a password-recovery request) per bucket."""

    __tablename__ = 'mfa_rate_event'
    id = sa.Column(sa.String(64), primary_key=True)
    bucket = sa.Column(sa.String(191), nullable=False)
    created_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (
        sa.Index('ix_mfa_rate_event_bucket_created', 'bucket', 'created_at'),
        sql.TABLE_ARGS,
    )


def count_and_add_event(bucket, since, now):
    """Events in `bucket` since `since` (before this one); records one."""
    with sql.session_for_write() as session:
        count = session.execute(
            sa.select(sa.func.count()).select_from(RateEvent)
            .where(RateEvent.bucket == bucket,
                   RateEvent.created_at >= since)).scalar_one()
        session.execute(sa.delete(RateEvent).where(
            RateEvent.bucket == bucket, RateEvent.created_at < since))
        session.add(RateEvent(id=uuid.uuid4().hex, bucket=bucket,
                              created_at=now))
    return count
