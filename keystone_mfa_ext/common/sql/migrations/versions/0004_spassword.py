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
"""Email second factor: verified address, codes, approvals, rate events.

Revision ID: 0004_spassword
Revises: 0003_recovery_codes
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0004_spassword'
down_revision = '0003_recovery_codes'
branch_labels = None
depends_on = None

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}
PRECISE = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade():
    op.create_table(
        'mfa_email_factor',
        sa.Column('user_id', sa.String(64), primary_key=True),
        sa.Column('verified_email', sa.String(255), nullable=True),
        sa.Column('sndfa_enabled', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        **TABLE_ARGS)
    op.create_table(
        'mfa_email_code',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('purpose', sa.String(16), nullable=False),
        sa.Column('code_hash', sa.String(255), nullable=False),
        sa.Column('created_at', PRECISE, nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('client_ip', sa.String(64), nullable=True),
        sa.Column('email', sa.String(255), nullable=True),
        **TABLE_ARGS)
    op.create_index('ix_mfa_email_code_user_purpose', 'mfa_email_code',
                    ['user_id', 'purpose'])
    op.create_table(
        'mfa_sndfa_approval',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('client_ip', sa.String(64), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        **TABLE_ARGS)
    op.create_index('ix_mfa_sndfa_approval_user', 'mfa_sndfa_approval',
                    ['user_id'])
    op.create_table(
        'mfa_rate_event',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('bucket', sa.String(191), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        **TABLE_ARGS)
    op.create_index('ix_mfa_rate_event_bucket_created', 'mfa_rate_event',
                    ['bucket', 'created_at'])
