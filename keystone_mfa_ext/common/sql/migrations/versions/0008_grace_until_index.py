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
"""An index on the end of enrollment grace periods.

Every request asks whether any grace period is over (so the rules of a
domain policy hold for every way in the moment a grace period ends): an
indexed range read, however many users are in their grace period.

Revision ID: 0008_grace_until_index
Revises: 0007_device_created_at_fsp
Create Date: 2026-12-02
"""

from alembic import op

revision = '0008_grace_until_index'
down_revision = '0007_device_created_at_fsp'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_mfa_enrollment_grace_until', 'mfa_enrollment_grace',
                    ['grace_until'])
