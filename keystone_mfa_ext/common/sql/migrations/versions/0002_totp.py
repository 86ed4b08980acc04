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
"""OTP devices, used TOTP steps and per-user second-factor state.

Revision ID: 0002_totp
Revises: 0001_login_attempts
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '0002_totp'
down_revision = '0001_login_attempts'
branch_labels = None
depends_on = None

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def upgrade():
    op.create_table(
        'mfa_otp_device',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('key_hash', sa.String(64), nullable=False),
        sa.Column('algorithm', sa.String(16), nullable=False),
        sa.Column('digits', sa.Integer(), nullable=False),
        sa.Column('period', sa.Integer(), nullable=False),
        sa.Column('verified', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('verified_at', sa.DateTime(), nullable=True),
        sa.UniqueConstraint('user_id', 'name',
                            name='uq_mfa_otp_device_user_name'),
        **TABLE_ARGS,
    )
    op.create_index('ix_mfa_otp_device_user_id', 'mfa_otp_device',
                    ['user_id'])
    op.create_table(
        'mfa_totp_used_step',
        sa.Column('secret_id', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('last_step', sa.BigInteger(), nullable=False),
        **TABLE_ARGS,
    )
    op.create_index('ix_mfa_totp_used_step_user_id', 'mfa_totp_used_step',
                    ['user_id'])
    op.create_table(
        'mfa_user_state',
        sa.Column('user_id', sa.String(64), primary_key=True),
        sa.Column('failed_attempts', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(), nullable=True),
        **TABLE_ARGS,
    )
