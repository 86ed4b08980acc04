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
"""Storage of recovery codes: a lookup id in clear, the rest slow-hashed."""

import uuid

import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.recovery.backends import base


class RecoveryCode(sql.ModelBase):
    __tablename__ = 'mfa_recovery_code'
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    lookup = sa.Column(sa.String(16), nullable=False)
    code_hash = sa.Column(sa.String(255), nullable=False)
    created_at = sa.Column(sa.DateTime(), nullable=False)
    used_at = sa.Column(sa.DateTime(), nullable=True)
    __table_args__ = (
        sa.Index('ix_mfa_recovery_code_user_lookup', 'user_id', 'lookup'),
        sql.TABLE_ARGS,
    )


class Recovery(base.RecoveryDriverBase):

    def replace_for_user(self, user_id, hashed_codes, created_at):
        """Delete the user's codes and store `hashed_codes` in one transaction.

        `hashed_codes` holds (lookup, code_hash) pairs.
        """
        rows = [RecoveryCode(id=uuid.uuid4().hex, user_id=user_id,
                             lookup=lookup, code_hash=code_hash,
                             created_at=created_at)
                for lookup, code_hash in hashed_codes]
        with sql.session_for_write() as session:
            session.execute(sa.delete(RecoveryCode)
                            .where(RecoveryCode.user_id == user_id))
            session.add_all(rows)

    def usage(self, user_id):
        """(unused codes, newest created_at or None) in one read."""
        unused = sa.case((RecoveryCode.used_at.is_(None), 1), else_=0)
        with sql.session_for_read() as session:
            remaining, created_at = session.execute(
                sa.select(sa.func.sum(unused),
                          sa.func.max(RecoveryCode.created_at))
                .where(RecoveryCode.user_id == user_id)).one()
        return int(remaining or 0), created_at

    def delete_for_user(self, user_id):
        with sql.session_for_write() as session:
            session.execute(sa.delete(RecoveryCode)
                            .where(RecoveryCode.user_id == user_id))

    def unused_candidates(self, user_id, lookup):
        """(id, code_hash) of the user's unused codes filed under `lookup`."""
        with sql.session_for_read() as session:
            return session.execute(
                sa.select(RecoveryCode.id, RecoveryCode.code_hash).where(
                    RecoveryCode.user_id == user_id,
                    RecoveryCode.used_at.is_(None),
                    RecoveryCode.lookup == lookup)).all()

    def mark_used(self, code_id, used_at):
        """Mark an unused code used; True only for the request that did it.

        The UPDATE is conditional on `used_at` still being NULL and its
        rowcount is read in the same transaction, so of two concurrent
        requests for the same code only one gets True.
        """
        with sql.session_for_write() as session:
            result = session.execute(
                sa.update(RecoveryCode)
                .where(RecoveryCode.id == code_id,
                       RecoveryCode.used_at.is_(None))
                .values(used_at=used_at))
            return result.rowcount == 1
