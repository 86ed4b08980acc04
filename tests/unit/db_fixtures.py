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
"""keystone's RestfulTestCase on a real MariaDB/MySQL or PostgreSQL.

MFA_EXT_TEST_DB_BACKEND=mysql|postgresql (default sqlite) moves every test
built on tests/unit/base.py to that server. keystone's own fixture builds
and drops its whole schema in a fresh in-memory SQLite for every test,
which takes seconds per test on a real server; here each test process
creates one database (tests.db: the openstack_citest convention), migrates
it once with keystone's and our real migrations, as `keystone-manage
db_sync` and `keystone-mfa-ext-manage db_sync` do in a deployment, and
every test starts by emptying its tables.
"""

import atexit
import os

import fixtures
from keystone.common import sql as ks_sql
from keystone.common.sql import upgrades as ks_upgrades
from keystone.tests.unit.ksfixtures import database as ks_database
import sqlalchemy as sa

from keystone_mfa_ext.common.sql import migration
from tests import db

BACKEND_ENV = 'MFA_EXT_TEST_DB_BACKEND'
# Bookkeeping of the migrations themselves: kept, never emptied.
VERSION_TABLES = frozenset(['alembic_version', migration.VERSION_TABLE])


def selected_backend():
    """sqlite (keystone's default fixture), mysql or postgresql."""
    name = os.environ.get(BACKEND_ENV, '').strip().lower() or 'sqlite'
    if name not in ('sqlite',) + db.BACKENDS:
        raise ValueError(f'{BACKEND_ENV}={name}: use sqlite, '
                         f'{" or ".join(db.BACKENDS)}')
    return name


class ProcessDatabase:
    """The one migrated database of this test process on `backend`."""

    _created = {}

    def __init__(self, backend):
        self.backend = backend
        self.url, drop = db.create_database(backend)
        atexit.register(drop)
        engine = sa.create_engine(self.url)
        try:
            ks_upgrades.offline_sync_database_to_version(engine=engine)
            migration.db_sync(engine)
            schema = sa.MetaData()
            schema.reflect(engine)
        finally:
            engine.dispose()
        # Children before parents, so that deleting never breaks a
        # foreign key.
        self.tables = [t for t in reversed(schema.sorted_tables)
                       if t.name not in VERSION_TABLES]

    @classmethod
    def get(cls, backend):
        """Created and migrated on first use, then shared by every test."""
        if backend not in cls._created:
            cls._created[backend] = cls(backend)
        return cls._created[backend]

    def empty(self, engine):
        """Delete every row; one query finds the few tables that have any."""
        probes = [sa.exists(sa.select(sa.literal(1)).select_from(t))
                  for t in self.tables]
        with engine.begin() as conn:
            filled = conn.execute(sa.select(*probes)).one()
            if self.backend == 'mysql':
                # InnoDB checks a self-referencing key (project.domain_id)
                # row by row, even inside one DELETE.
                conn.exec_driver_sql('SET FOREIGN_KEY_CHECKS = 0')
            for table, has_rows in zip(self.tables, filled):
                if has_rows:
                    conn.execute(table.delete())
            if self.backend == 'mysql':
                conn.exec_driver_sql('SET FOREIGN_KEY_CHECKS = 1')


class Database(fixtures.Fixture):
    """Stands in for keystone's ksfixtures.Database on a real server.

    keystone's sessions reach the database through `[database] connection`
    (set by BackendDatabaseMixin), exactly as in a deployment.
    """

    def __init__(self, database):
        super().__init__()
        self.database = database

    def _setUp(self):
        with ks_sql.session_for_write() as session:
            self.engine = session.get_bind()
        # keystone's fixture resets its context manager the same way.
        self.addCleanup(ks_sql.cleanup)
        self.addCleanup(self.engine.dispose)
        if self.engine.url.database != sa.engine.make_url(
                self.database.url).database:
            raise AssertionError(f'keystone uses {self.engine.url!r}, not '
                                 f'the {self.database.backend} test database')
        self.database.empty(self.engine)


class BackendDatabaseMixin:
    """For keystone RestfulTestCases: honour MFA_EXT_TEST_DB_BACKEND."""

    db_backend = 'sqlite'
    process_database = None

    def config_overrides(self):
        super().config_overrides()
        self.db_backend = selected_backend()
        if self.db_backend == 'sqlite':
            return
        try:
            self.process_database = ProcessDatabase.get(self.db_backend)
        except db.Unavailable as e:
            # RequiredBackendUnavailable is not caught: the test fails.
            self.skipTest(str(e))
        self.config_fixture.config(group='database',
                                   connection=self.process_database.url)

    def useFixture(self, fixture):
        if (isinstance(fixture, ks_database.Database)
                and self.process_database is not None):
            fixture = Database(self.process_database)
        return super().useFixture(fixture)
