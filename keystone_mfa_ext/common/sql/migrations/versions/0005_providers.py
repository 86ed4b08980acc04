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
"""MFA provider configurations.

Revision ID: 0005_providers
Revises: 0004_spassword
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '0005_providers'
down_revision = '0004_spassword'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mfa_provider',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('provider_name', sa.String(16), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('domain_id', sa.String(64), nullable=False),
        sa.Column('settings', sa.Text(), nullable=False),
        sa.Column('secrets', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('domain_id', 'provider_name',
                            name='uq_mfa_provider_domain_type'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
