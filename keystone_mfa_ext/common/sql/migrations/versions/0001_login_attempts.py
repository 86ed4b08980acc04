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
"""Login attempts audit table.

Revision ID: 0001_login_attempts
Revises:
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0001_login_attempts'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mfa_login_attempt',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.String(64), nullable=True),
        sa.Column('domain_id', sa.String(64), nullable=True),
        sa.Column('method', sa.String(64), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('message', sa.String(255), nullable=True),
        sa.Column('client_ip', sa.String(64), nullable=True),
        sa.Column('request_id', sa.String(64), nullable=True),
        sa.Column('timestamp',
                  sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql'),
                  nullable=False),
        sa.Column('client_headers', sa.Text(), nullable=True),
        sa.Column('extra', sa.Text(), nullable=True),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    op.create_index('ix_mfa_login_attempt_timestamp', 'mfa_login_attempt',
                    ['timestamp'])
    op.create_index('ix_mfa_login_attempt_user_timestamp',
                    'mfa_login_attempt', ['user_id', 'timestamp'])
    op.create_index('ix_mfa_login_attempt_domain_timestamp',
                    'mfa_login_attempt', ['domain_id', 'timestamp'])
