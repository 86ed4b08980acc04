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
"""Recovery codes.

Revision ID: 0003_recovery_codes
Revises: 0002_totp
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '0003_recovery_codes'
down_revision = '0002_totp'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mfa_recovery_code',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('lookup', sa.String(16), nullable=False),
        sa.Column('code_hash', sa.String(255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    op.create_index('ix_mfa_recovery_code_user_lookup', 'mfa_recovery_code',
                    ['user_id', 'lookup'])
