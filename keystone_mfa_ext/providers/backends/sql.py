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

from keystone import exception as ks_exception
from keystone.i18n import _
from oslo_db import exception as db_exception
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.providers.backends import base


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


def _get_row(session, provider_id, domain_id):
    row = session.get(Provider, provider_id)
    if row is None or row.domain_id != domain_id:
        raise ks_exception.NotFound(
            _('Could not find MFA provider: %s.') % provider_id)
    return row


class Providers(base.ProviderDriverBase):

    def create(self, provider):
        """Store `provider` (a dict of columns); return what was stored."""
        try:
            with sql.session_for_write() as session:
                row = Provider.from_dict(provider)
                session.add(row)
                session.flush()
                return row.to_dict()
        except db_exception.DBDuplicateEntry:
            raise ks_exception.Conflict(
                type='mfa_provider',
                details=_('This scope already has a provider of this type'))

    def list_for(self, domain_id):
        with sql.session_for_read() as session:
            rows = session.execute(
                sa.select(Provider).where(Provider.domain_id == domain_id)
                .order_by(Provider.provider_name)).scalars()
            return [r.to_dict() for r in rows]

    def get(self, provider_id, domain_id):
        with sql.session_for_read() as session:
            return _get_row(session, provider_id, domain_id).to_dict()

    def update(self, provider_id, domain_id, changes_for):
        """Read, change and write a provider in one transaction.

        `changes_for(stored)` gets the stored provider as a dict and returns
        the columns to set; what it raises rolls the transaction back.
        """
        with sql.session_for_write() as session:
            row = _get_row(session, provider_id, domain_id)
            for column, value in changes_for(row.to_dict()).items():
                setattr(row, column, value)
            session.flush()
            return row.to_dict()

    def delete(self, provider_id, domain_id):
        with sql.session_for_write() as session:
            session.delete(_get_row(session, provider_id, domain_id))

    def list_by_method(self, provider_name, domain_ids):
        """The providers of one type in any of `domain_ids`: one query."""
        with sql.session_for_read() as session:
            rows = session.execute(sa.select(Provider).where(
                Provider.provider_name == provider_name,
                Provider.domain_id.in_(domain_ids))).scalars()
            return [r.to_dict() for r in rows]

    def replace_secrets(self, reencrypt):
        """Store `reencrypt(provider)` as the secrets of every provider.

        Only providers with secrets are read; all of them are read and updated
        in one transaction. `reencrypt` gets the provider as a dict and returns
        None to leave it as it is.
        """
        with sql.session_for_write() as session:
            for row in session.execute(sa.select(Provider).where(
                    Provider.secrets.is_not(None))).scalars():
                replacement = reencrypt(row.to_dict())
                if replacement is not None:
                    row.secrets = replacement
