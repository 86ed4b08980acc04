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
"""Storage of MFA provider configurations (system-wide or per domain)."""

import sqlalchemy as sa

from keystone_mfa_ext.common import sql

SYSTEM = ''  # domain_id of system-wide providers (NULL is not unique)


class Provider(sql.ModelBase, sql.ModelDictMixin):
    __tablename__ = 'mfa_provider'
    attributes = ['id', 'name', 'provider_name', 'enabled', 'domain_id',
                  'settings', 'secrets', 'created_at', 'updated_at']
    id = sa.Column(sa.String(64), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    provider_name = sa.Column(sa.String(16), nullable=False)
    enabled = sa.Column(sa.Boolean(), nullable=False, default=True)
    domain_id = sa.Column(sa.String(64), nullable=False)
    settings = sa.Column(sa.Text(), nullable=False)
    # Secret settings, encrypted with keystone's credential keys.
    secrets = sa.Column(sa.Text(), nullable=True)
    created_at = sa.Column(sa.DateTime(), nullable=False)
    updated_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (
        sa.UniqueConstraint('domain_id', 'provider_name',
                            name='uq_mfa_provider_domain_type'),
        sql.TABLE_ARGS,
    )
