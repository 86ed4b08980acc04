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
"""The database matrix itself: skip or fail, and the selected backend."""

import io
import os
import subprocess
import sys
import uuid

import fixtures
from keystone.common import sql as ks_sql
import sqlalchemy as sa
import subunit
import testtools

from keystone_mfa_ext.attempts.backends import sql as attempts_sql
from keystone_mfa_ext.common.sql import migration
from keystone_mfa_ext.common.sql import models
from tests import db
from tests.unit import base
from tests.unit import db_fixtures

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE = {
    'mysql': 'mysql+pymysql://openstack_citest:openstack_citest'
             '@127.0.0.1:1/',
    'postgresql': 'postgresql+psycopg2://openstack_citest:openstack_citest'
                  '@127.0.0.1:1/postgres',
}


class RequirementSwitchTestCase(testtools.TestCase):
    """MFA_EXT_REQUIRE_DB_BACKENDS turns a missing server into a failure."""

    def require(self, value):
        self.useFixture(fixtures.EnvironmentVariable(db.REQUIRE_ENV, value))

    def test_a_missing_server_is_a_skip_by_default(self):
        self.require(None)
        for backend, url in UNREACHABLE.items():
            self.assertRaises(db.Unavailable,
                              db.create_database, backend, url)

    def test_a_missing_required_server_is_a_failure(self):
        self.require('mysql, postgresql')
        for backend, url in UNREACHABLE.items():
            e = self.assertRaises(db.RequiredBackendUnavailable,
                                  db.create_database, backend, url)
            self.assertNotIsInstance(e, db.Unavailable)
            self.assertIn(db.REQUIRE_ENV, str(e))

    def test_the_requirement_is_per_backend(self):
        self.require('postgresql')
        self.assertRaises(db.Unavailable, db.create_database, 'mysql',
                          UNREACHABLE['mysql'])

    def test_a_misspelt_backend_is_refused_not_ignored(self):
        self.require('mysql,mariadb')
        self.assertRaises(ValueError, db.required_backends)
        self.useFixture(fixtures.EnvironmentVariable(
            db_fixtures.BACKEND_ENV, 'oracle'))
        self.assertRaises(ValueError, db_fixtures.selected_backend)

    def test_whole_test_runs_skip_or_fail(self):
        """Real test runs in a child process, servers unreachable."""
        tests = [
            'tests.unit.common.sql.test_migration.MySQLMigrationTestCase.'
            'test_untouched_database_has_no_version',
            'tests.unit.common.sql.test_migration.'
            'PostgreSQLModelsSyncTestCase.test_models_sync',
            # keystone's RestfulTestCase moved to a missing MariaDB.
            'tests.unit.common.sql.test_backends.SelectedBackendTestCase.'
            'test_keystone_and_extension_share_the_selected_backend',
        ]
        env = dict(os.environ)
        env.pop(db.REQUIRE_ENV, None)
        env['OS_TEST_DBAPI_ADMIN_CONNECTION'] = ';'.join(UNREACHABLE.values())
        env[db_fixtures.BACKEND_ENV] = 'mysql'

        def statuses(**extra):
            child = subprocess.run(
                [sys.executable, '-m', 'subunit.run', *tests],
                env=dict(env, **extra), cwd=TOP, capture_output=True,
                timeout=300)
            found = {}

            def record(test):
                details = ''.join(
                    content.as_text() for content in test['details'].values())
                # A failure must be the requirement, not any error.
                if test['status'] == 'fail' and db.REQUIRE_ENV in details:
                    test['status'] = 'fail: required'
                found[test['id']] = test['status']

            result = testtools.StreamToDict(record)
            result.startTestRun()
            subunit.ByteStreamToStreamResult(
                io.BytesIO(child.stdout)).run(result)
            result.stopTestRun()
            return found

        self.assertEqual(dict.fromkeys(tests, 'skip'), statuses())
        self.assertEqual(dict.fromkeys(tests, 'fail: required'), statuses(
            **{db.REQUIRE_ENV: 'mysql,postgresql'}))


class SelectedBackendTestCase(base.RestfulTestCase):
    """keystone and the extension really run on MFA_EXT_TEST_DB_BACKEND."""

    def test_keystone_and_extension_share_the_selected_backend(self):
        backend = db_fixtures.selected_backend()
        with ks_sql.session_for_read() as session:
            self.assertEqual(backend, session.get_bind().dialect.name)
        engine = migration.get_engine()
        self.assertEqual(backend, engine.dialect.name)
        tables = set(sa.inspect(engine).get_table_names())
        self.assertTrue(set(models.metadata.tables) <= tables)
        self.assertIn('user', tables)
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(engine))

    def test_emptying_keeps_the_schema_and_its_versions(self):
        if self.process_database is None:
            self.skipTest('in-memory SQLite: a new database every test')
        engine = migration.get_engine()
        with engine.begin() as conn:
            conn.execute(sa.insert(attempts_sql.LoginAttempt).values(
                id=uuid.uuid4().hex, method='totp', status='failure',
                timestamp=sa.func.now()))
        self.process_database.empty(engine)
        with engine.connect() as conn:
            for table in self.process_database.tables:
                self.assertEqual(0, conn.scalar(
                    sa.select(sa.func.count()).select_from(table)),
                    table.name)
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(engine))
