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
"""OTP device creation times with microseconds on MySQL/MariaDB.

Devices are listed oldest first; MySQL's DATETIME keeps whole seconds
unless told otherwise, so devices made in the same second came back in
id (random) order. PostgreSQL and SQLite keep microseconds already.

Revision ID: 0007_device_created_at_fsp
Revises: 0006_domain_policy
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0007_device_created_at_fsp'
down_revision = '0006_domain_policy'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'mysql':
        return
    op.alter_column('mfa_otp_device', 'created_at',
                    existing_type=sa.DateTime(), existing_nullable=False,
                    type_=mysql.DATETIME(fsp=6), nullable=False)
