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
"""Storage of login attempts (the audit trail of every second-factor try)."""

import sqlalchemy as sa

from keystone_mfa_ext.attempts.backends import base
from keystone_mfa_ext.common import sql


class LoginAttempt(sql.ModelBase, sql.ModelDictMixin):
    """One authentication attempt by one of our methods.

    `user_id` and `domain_id` are keystone ids without foreign keys: rows
    are cleaned up by user-deletion callbacks and the retention purge.
    """

    __tablename__ = 'mfa_login_attempt'
    attributes = ['id', 'user_id', 'domain_id', 'method', 'status', 'message',
                  'client_ip', 'request_id', 'timestamp', 'client_headers',
                  'extra']
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=True)
    domain_id = sa.Column(sa.String(64), nullable=True)
    method = sa.Column(sa.String(64), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    message = sa.Column(sa.String(255), nullable=True)
    client_ip = sa.Column(sa.String(64), nullable=True)
    request_id = sa.Column(sa.String(64), nullable=True)
    timestamp = sa.Column(sql.PreciseDateTime, nullable=False)
    client_headers = sa.Column(sa.Text(), nullable=True)
    extra = sa.Column(sa.Text(), nullable=True)
    __table_args__ = (
        sa.Index('ix_mfa_login_attempt_timestamp', 'timestamp'),
        sa.Index('ix_mfa_login_attempt_user_timestamp', 'user_id',
                 'timestamp'),
        sa.Index('ix_mfa_login_attempt_domain_timestamp', 'domain_id',
                 'timestamp'),
        sql.TABLE_ARGS,
    )


class Attempts(base.AttemptDriverBase):

    def add(self, attempt):
        """Store one attempt given as a dict of LoginAttempt's columns."""
        with sql.session_for_write() as session:
            session.add(LoginAttempt(**attempt))

    def list_newest(self, equal, since, until, after, count):
        """Up to `count` attempts as dicts, newest first.

        `equal` maps column names to required values; `since` (inclusive) and
        `until` (exclusive) bound the timestamp when not None. `after` is the
        id of the last attempt of the previous page: the (timestamp, id) order
        with it as a keyset keeps every page an index range scan, however many
        rows there are. Raises MarkerNotFound if no attempt has that id.
        """
        query = sa.select(LoginAttempt)
        for name, value in equal.items():
            query = query.where(getattr(LoginAttempt, name) == value)
        if since is not None:
            query = query.where(LoginAttempt.timestamp >= since)
        if until is not None:
            query = query.where(LoginAttempt.timestamp < until)
        with sql.session_for_read() as session:
            if after:
                last = session.get(LoginAttempt, after)
                if last is None:
                    raise base.MarkerNotFound(after)
                query = query.where(sa.or_(
                    LoginAttempt.timestamp < last.timestamp,
                    sa.and_(LoginAttempt.timestamp == last.timestamp,
                            LoginAttempt.id < last.id)))
            rows = session.execute(
                query.order_by(LoginAttempt.timestamp.desc(),
                               LoginAttempt.id.desc())
                .limit(count)).scalars().all()
            return [row.to_dict() for row in rows]

    def get(self, attempt_id):
        """The attempt as a dict, or None."""
        with sql.session_for_read() as session:
            row = session.get(LoginAttempt, attempt_id)
            return row.to_dict() if row else None

    def delete_older_than(self, older_than):
        """Delete attempts older than `older_than`; returns how many."""
        with sql.session_for_write() as session:
            return session.execute(sa.delete(LoginAttempt).where(
                LoginAttempt.timestamp < older_than)).rowcount
