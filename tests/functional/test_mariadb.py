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
"""The same stack on MariaDB/MySQL, where keystone runs in production.

Several keystones sharing one MariaDB database: test_races.
"""

import sqlalchemy as sa
import testtools

from keystone_mfa_ext.common.sql import migration
from tests import db
from tests.functional import base


class MariaDBDevServerTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        try:
            self.db_url, drop = db.create_database('mysql')
        except db.Unavailable as e:
            self.skipTest(str(e))
        self.addCleanup(drop)
        self.server = self.useFixture(base.DevServer(database_url=self.db_url))

    def test_keystone_and_extension_share_the_mariadb_database(self):
        token = self.server.admin_token()
        r = self.server.get('/mfa', token=token)
        self.assertEqual(200, r.status_code)
        self.assertEqual(401, self.server.get('/mfa').status_code)

        engine = sa.create_engine(self.db_url)
        self.addCleanup(engine.dispose)
        tables = set(sa.inspect(engine).get_table_names())
        self.assertIn('user', tables)                     # keystone's
        self.assertIn('mfa_login_attempt', tables)        # ours
        self.assertEqual(migration.head_revisions(),
                         migration.db_version(engine))
