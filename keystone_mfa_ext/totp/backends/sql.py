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
"""Last accepted TOTP time step per secret: what makes codes single-use."""

from oslo_db import exception as db_exception
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.totp.backends import base


class UsedStep(sql.ModelBase):
    """`secret_id` is an OTP device id or a keystone credential id."""

    __tablename__ = 'mfa_totp_used_step'
    secret_id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    last_step = sa.Column(sa.BigInteger(), nullable=False)
    __table_args__ = (
        sa.Index('ix_mfa_totp_used_step_user_id', 'user_id'),
        sql.TABLE_ARGS,
    )


class TOTP(base.TOTPDriverBase):

    def _advance_existing(self, secret_id, step):
        """(row_exists, advanced) with one conditional UPDATE."""
        with sql.session_for_write() as session:
            result = session.execute(
                sa.update(UsedStep)
                .where(UsedStep.secret_id == secret_id,
                       UsedStep.last_step < step)
                .values(last_step=step))
            if result.rowcount == 1:
                return True, True
            exists = session.execute(
                sa.select(UsedStep.secret_id)
                .where(UsedStep.secret_id == secret_id)).first()
            return exists is not None, False

    def advance(self, secret_id, user_id, step):
        """Record `step` as used; False if it (or a later step) was.

        Atomic across processes sharing the database: the conditional
        UPDATE lets exactly one writer move the step forward, and the
        primary key lets exactly one writer create the first row.
        """
        exists, advanced = self._advance_existing(secret_id, step)
        if exists:
            return advanced
        try:
            with sql.session_for_write() as session:
                session.add(UsedStep(secret_id=secret_id, user_id=user_id,
                                     last_step=step))
            return True
        except db_exception.DBDuplicateEntry:
            # Another process inserted the first row meanwhile: compete
            # again.
            return self._advance_existing(secret_id, step)[1]

    def delete_for_secret(self, secret_id):
        with sql.session_for_write() as session:
            session.execute(sa.delete(UsedStep)
                            .where(UsedStep.secret_id == secret_id))

    def delete_for_user(self, user_id):
        with sql.session_for_write() as session:
            session.execute(sa.delete(UsedStep)
                            .where(UsedStep.user_id == user_id))
