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
"""Our migrations on empty SQLite, MariaDB and PostgreSQL databases.

The server variants follow oslo.db's opportunistic convention (tests.db):
skipped where the server is missing, failed if MFA_EXT_REQUIRE_DB_BACKENDS
names it. Downgrades are not supported (as in keystone), so the walk only
goes up.
"""

import datetime

from alembic import command as alembic_command
from alembic import script as alembic_script
import fixtures
from keystone.common import sql as ks_sql
from keystone.common.sql import upgrades as ks_upgrades
# keystone's migrations read its options: registered there, as for
# keystone's own migration tests.
from keystone.tests import unit  # noqa: F401
from oslo_db.sqlalchemy import test_migrations
import sqlalchemy as sa
import testtools

from keystone_mfa_ext.common.sql import migration
from keystone_mfa_ext.common.sql import models
from tests import db
from tests import utils


def _revisions_oldest_first():
    config = migration._alembic_config()
    script = alembic_script.ScriptDirectory.from_config(config)
    return [r.revision for r in reversed(list(script.walk_revisions()))]


class _MigrationTests:

    def make_url(self):
        raise NotImplementedError

    def setUp(self):
        super().setUp()
        self.url = self.make_url()
        self.engine = sa.create_engine(self.url)
        self.addCleanup(self.engine.dispose)

    def tables(self):
        return set(sa.inspect(self.engine).get_table_names())

    def test_untouched_database_has_no_version(self):
        self.assertEqual((), migration.db_version(self.engine))

    def test_walk_from_empty_one_revision_at_a_time(self):
        revisions = _revisions_oldest_first()
        self.assertEqual(migration.head_revisions(), (revisions[-1],))
        for revision in revisions:
            with self.engine.begin() as conn:
                alembic_command.upgrade(
                    migration._alembic_config(conn), revision)
            self.assertEqual((revision,), migration.db_version(self.engine))
        self.assertEqual(set(models.metadata.tables)
                         | {migration.VERSION_TABLE}, self.tables())

    def test_db_sync_again_changes_nothing(self):
        migration.db_sync(self.engine)
        before = self.tables()
        migration.db_sync(self.engine)
        self.assertEqual(before, self.tables())
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(self.engine))

    def test_device_creation_time_keeps_microseconds(self):
        """Devices are listed by it: same-second ones must keep their order.

        (MySQL's DATETIME drops them unless the column asks for fsp=6.)
        """
        migration.db_sync(self.engine)
        moment = datetime.datetime(2026, 12, 2, 1, 2, 3, 456789)
        with self.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO mfa_otp_device (id, user_id, name, secret, "
                "key_hash, algorithm, digits, period, verified, created_at) "
                "VALUES ('d', 'u', 'n', 's', 'k', 'SHA1', 6, 30, :f, :t)"),
                {'f': False, 't': moment})
            stored = conn.execute(sa.text(
                'SELECT created_at FROM mfa_otp_device')).scalar_one()
        if isinstance(stored, str):   # SQLite hands back text
            stored = datetime.datetime.fromisoformat(stored)
        self.assertEqual(moment, stored)

    def test_uses_its_own_version_table(self):
        migration.db_sync(self.engine)
        tables = self.tables()
        self.assertIn(migration.VERSION_TABLE, tables)
        self.assertNotIn('alembic_version', tables)


class _ServerMigrationTests(_MigrationTests):

    def test_keystones_own_check_stays_clean_after_ours(self):
        """The real commands, in the order of an upgrade.

        (SQLite, and our db_sync before keystone's: tests.unit.cmd.)
        """
        conf = self.useFixture(fixtures.TempDir()).join('keystone.conf')
        with open(conf, 'w') as f:
            f.write(f'[database]\nconnection = {self.url}\n')
        for command in ('keystone-manage', 'keystone-mfa-ext-manage'):
            utils.run_script(command, '--config-file', conf, 'db_sync')
        check = utils.run_script('keystone-manage', '--config-file', conf,
                                 'db_sync', '--check', check=False)
        self.assertEqual(0, check.returncode, check.stdout + check.stderr)
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(self.engine))


class _ModelsMigrationsSync(test_migrations.ModelsMigrationsSync):
    """No drift between models.py and the migrations (oslo.db's check).

    Run on a database that holds keystone's schema too; only our tables
    are compared.
    """

    def setUp(self):
        super().setUp()
        ks_sql.initialize()  # keystone's alembic config reads [database]
        self.engine = sa.create_engine(self.make_url())
        self.addCleanup(self.engine.dispose)

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.metadata

    def db_sync(self, engine):
        ks_upgrades.offline_sync_database_to_version(engine=engine)
        migration.db_sync(engine)
        # keystone's tables really are there to be ignored.
        tables = set(sa.inspect(engine).get_table_names())
        self.assertIn('user', tables)
        self.assertIn('alembic_version', tables)

    def include_object(self, object_, name, type_, reflected, compare_to):
        if type_ == 'table':
            return name in models.metadata.tables
        return True


def _sqlite_url(test):
    path = test.useFixture(fixtures.TempDir()).join('keystone.db')
    return f'sqlite:///{path}'


def _server_url(test, backend):
    try:
        url, drop = db.create_database(backend)
    except db.Unavailable as e:
        test.skipTest(str(e))
    test.addCleanup(drop)
    return url


class SQLiteMigrationTestCase(_MigrationTests, testtools.TestCase):
    def make_url(self):
        return _sqlite_url(self)


class MySQLMigrationTestCase(_ServerMigrationTests, testtools.TestCase):
    def make_url(self):
        return _server_url(self, 'mysql')


class PostgreSQLMigrationTestCase(_ServerMigrationTests,
                                  testtools.TestCase):
    def make_url(self):
        return _server_url(self, 'postgresql')


class SQLiteModelsSyncTestCase(_ModelsMigrationsSync, testtools.TestCase):
    def make_url(self):
        return _sqlite_url(self)


class MySQLModelsSyncTestCase(_ModelsMigrationsSync, testtools.TestCase):
    def make_url(self):
        return _server_url(self, 'mysql')


class PostgreSQLModelsSyncTestCase(_ModelsMigrationsSync,
                                   testtools.TestCase):
    def make_url(self):
        return _server_url(self, 'postgresql')
