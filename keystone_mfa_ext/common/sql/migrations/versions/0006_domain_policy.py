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
"""Domain MFA policies and enrollment grace periods.

Revision ID: 0006_domain_policy
Revises: 0005_providers
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '0006_domain_policy'
down_revision = '0005_providers'
branch_labels = None
depends_on = None

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def upgrade():
    op.create_table(
        'mfa_domain_policy',
        sa.Column('domain_id', sa.String(64), primary_key=True),
        sa.Column('enforcement', sa.String(16), nullable=False),
        sa.Column('rules', sa.Text(), nullable=False),
        sa.Column('grace_period_days', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        **TABLE_ARGS)
    op.create_table(
        'mfa_enrollment_grace',
        sa.Column('user_id', sa.String(64), primary_key=True),
        sa.Column('domain_id', sa.String(64), nullable=False),
        sa.Column('grace_until', sa.DateTime(), nullable=False),
        **TABLE_ARGS)
    op.create_index('ix_mfa_enrollment_grace_domain', 'mfa_enrollment_grace',
                    ['domain_id'])
