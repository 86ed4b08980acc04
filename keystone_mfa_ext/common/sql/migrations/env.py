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
"""Alembic environment of the extension, with its own version table."""

from alembic import context

from keystone_mfa_ext.common.sql import migration
from keystone_mfa_ext.common.sql import models

config = context.config


def run_migrations_online():
    """Run on the connection handed over by migration.db_sync()."""
    connection = config.attributes['connection']
    context.configure(
        connection=connection,
        target_metadata=models.metadata,
        version_table=migration.VERSION_TABLE,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit('Offline (SQL script) migrations are not supported.')
run_migrations_online()
