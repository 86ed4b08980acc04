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
"""The same stack on MariaDB/MySQL, where keystone runs in production."""

import time

import sqlalchemy as sa
import testtools

from keystone_mfa_ext.common.sql import migration
from tests import db
from tests.functional import base
from tests.functional import totp_helpers


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


class TwoKeystonesOneDatabaseTestCase(testtools.TestCase):
    """Replay protection holds across processes that share the database."""

    def setUp(self):
        super().setUp()
        try:
            db_url, drop = db.create_database('mysql')
        except db.Unavailable as e:
            self.skipTest(str(e))
        self.addCleanup(drop)
        self.first = self.useFixture(base.DevServer(database_url=db_url))
        # A second keystone: same database and keys, its own processes.
        keys = '\n'.join(
            f'[{group}]\nkey_repository = {self.first.state_dir}/{name}'
            for group, name in (('fernet_tokens', 'fernet-keys'),
                                ('fernet_receipts', 'fernet-receipt-keys'),
                                ('credential', 'credential-keys')))
        self.second = self.useFixture(base.DevServer(
            database_url=db_url, extra_config=keys + '\n',
            admin_password=self.first.admin_password))

    def test_one_code_sent_to_both_keystones_gives_one_token(self):
        urls = [self.first.auth_url, self.second.auth_url] * 3
        # Two rounds: the first creates the used-step row, the second
        # advances it. A fresh user each time: the 5 replays of a round
        # count as failures and reach the lockout threshold.
        for _round in range(2):
            user = self.first.create_user()
            otp = totp_helpers.add_totp_credential(self.first, user['id'])
            if _round:
                totp_helpers.race(urls[:1], totp_helpers.totp_body(
                    user['id'], otp.at(time.time() - 30)))
            statuses = totp_helpers.race(
                urls, totp_helpers.totp_body(user['id'], otp.now()))
            self.assertEqual([201] + [401] * 5, statuses)
