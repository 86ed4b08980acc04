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
"""Second-factor failure counters and lockouts per user."""

from oslo_db import exception as db_exception
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.lockout.backends import base


class UserState(sql.ModelBase, sql.ModelDictMixin):
    __tablename__ = 'mfa_user_state'
    attributes = ['user_id', 'failed_attempts', 'locked_until',
                  'last_failure_at']
    user_id = sa.Column(sa.String(64), primary_key=True)
    failed_attempts = sa.Column(sa.Integer(), nullable=False, default=0)
    locked_until = sa.Column(sa.DateTime(), nullable=True)
    last_failure_at = sa.Column(sa.DateTime(), nullable=True)
    __table_args__ = (sql.TABLE_ARGS,)


class Lockout(base.LockoutDriverBase):

    def get(self, user_id):
        """The user's state as a dict, or None if the user never failed."""
        with sql.session_for_read() as session:
            row = session.get(UserState, user_id)
            return row.to_dict() if row else None

    def _count_failure(self, user_id, now, max_attempts, lock_until):
        with sql.session_for_write() as session:
            # locked_until is computed from the OLD counter and listed
            # first: MySQL evaluates SET clauses left to right with updated
            # values, PostgreSQL and SQLite with old ones; this order is
            # right for both.
            result = session.execute(
                sa.update(UserState)
                .where(UserState.user_id == user_id)
                .ordered_values(
                    (UserState.locked_until, sa.case(
                        ((UserState.failed_attempts + 1) % max_attempts == 0,
                         lock_until),
                        else_=UserState.locked_until)),
                    (UserState.failed_attempts,
                     UserState.failed_attempts + 1),
                    (UserState.last_failure_at, now)))
            return result.rowcount == 1

    def record_failure(self, user_id, now, max_attempts, lock_until):
        """Count one failure atomically; lock at every `max_attempts`-th one.

        The count only grows until reset(): an ended lock leaves it, so
        failures stay consecutive across locks.
        """
        if self._count_failure(user_id, now, max_attempts, lock_until):
            return
        try:
            with sql.session_for_write() as session:
                session.add(UserState(
                    user_id=user_id, failed_attempts=1, last_failure_at=now,
                    locked_until=lock_until if max_attempts <= 1 else None))
        except db_exception.DBDuplicateEntry:
            self._count_failure(user_id, now, max_attempts, lock_until)

    def reset(self, user_id):
        """Clear counter and lock (a success, or an admin's unlock).

        Returns True if a row changed.
        """
        with sql.session_for_write() as session:
            result = session.execute(
                sa.update(UserState).where(UserState.user_id == user_id)
                .values(failed_attempts=0, locked_until=None))
            return result.rowcount > 0

    def delete(self, user_id):
        with sql.session_for_write() as session:
            session.execute(sa.delete(UserState)
                            .where(UserState.user_id == user_id))
