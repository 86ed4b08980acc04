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
"""Run and inspect the extension's migrations on keystone's database."""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from keystone.common import sql as ks_sql

VERSION_TABLE = 'keystone_mfa_ext_alembic_version'
MIGRATIONS_PATH = os.path.join(os.path.dirname(__file__), 'migrations')


def _alembic_config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS_PATH)
    config.attributes['connection'] = connection
    return config


def get_engine():
    """keystone's own engine, configured from `[database] connection`."""
    with ks_sql.session_for_write() as session:
        return session.get_bind()


def db_sync(engine=None):
    """Upgrade to the newest revision; a no-op when already there."""
    engine = engine or get_engine()
    with engine.begin() as connection:
        alembic_command.upgrade(_alembic_config(connection), 'heads')


def db_version(engine=None):
    """The applied revision(s), or () on a database we never touched."""
    engine = engine or get_engine()
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'version_table': VERSION_TABLE})
        return context.get_current_heads()


def head_revisions():
    """The revision(s) this installed package migrates to."""
    script = alembic_script.ScriptDirectory.from_config(_alembic_config())
    return tuple(script.get_heads())
