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

import sqlalchemy as sa

from keystone_mfa_ext.common import sql


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
