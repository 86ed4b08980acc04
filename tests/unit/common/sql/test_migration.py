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
"""Our migrations on empty SQLite, MariaDB and PostgreSQL databases."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import fixtures
import sqlalchemy as sa
import testtools

from keystone_mfa_ext.common.sql import migration
from keystone_mfa_ext.common.sql import models
from tests import db


class _MigrationTests:

    def make_url(self):
        raise NotImplementedError

    def setUp(self):
        super().setUp()
        self.engine = sa.create_engine(self.make_url())
        self.addCleanup(self.engine.dispose)

    def test_untouched_database_has_no_version(self):
        self.assertEqual((), migration.db_version(self.engine))

    def test_db_sync_reaches_the_packaged_head(self):
        migration.db_sync(self.engine)
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(self.engine))

    def test_db_sync_again_changes_nothing(self):
        migration.db_sync(self.engine)
        before = sa.inspect(self.engine).get_table_names()
        migration.db_sync(self.engine)
        self.assertEqual(before, sa.inspect(self.engine).get_table_names())
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(self.engine))

    def test_migrated_schema_matches_the_models(self):
        migration.db_sync(self.engine)
        with self.engine.connect() as conn:
            context = alembic_migration.MigrationContext.configure(
                conn, opts={'compare_type': True})
            diff = autogenerate.compare_metadata(context, models.metadata)
        ours = {t.name for t in models.metadata.sorted_tables}
        # Only our own tables: keystone's live in the same database.
        diff = [d for d in diff if _table_of(d) in ours]
        self.assertEqual([], diff)

    def test_uses_its_own_version_table(self):
        migration.db_sync(self.engine)
        tables = sa.inspect(self.engine).get_table_names()
        self.assertIn(migration.VERSION_TABLE, tables)
        self.assertNotIn('alembic_version', tables)


def _table_of(diff):
    """Table name of one autogenerate diff entry (tuple or list of tuples)."""
    entry = diff[0] if isinstance(diff, list) else diff
    for item in entry[1:]:
        name = getattr(item, 'name', None)
        table = getattr(item, 'table', None)
        if table is not None:
            return table.name
        if isinstance(item, str):
            return item
        if name:
            return name
    return None


class SQLiteMigrationTestCase(_MigrationTests, testtools.TestCase):
    def make_url(self):
        path = self.useFixture(fixtures.TempDir()).join('keystone.db')
        return f'sqlite:///{path}'


class _ServerMigrationTests(_MigrationTests):
    backend = None

    def make_url(self):
        try:
            url, drop = db.create_database(self.backend)
        except db.Unavailable as e:
            self.skipTest(str(e))
        self.addCleanup(drop)
        return url


class MySQLMigrationTestCase(_ServerMigrationTests, testtools.TestCase):
    backend = 'mysql'


class PostgreSQLMigrationTestCase(_ServerMigrationTests, testtools.TestCase):
    backend = 'postgresql'
