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
