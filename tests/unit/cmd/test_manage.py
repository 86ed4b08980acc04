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
"""keystone-mfa-ext-manage as an operator runs it, next to keystone-manage."""

import fixtures
import testtools

from keystone_mfa_ext.common.sql import migration
from tests import utils


class ManageCommandTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir())
        self.conf = tmp.join('keystone.conf')
        with open(self.conf, 'w') as f:
            f.write(f'[database]\nconnection = sqlite:///{tmp.path}/ks.db\n')

    def manage(self, *args, check=True):
        return utils.run_script('keystone-mfa-ext-manage',
                                '--config-file', self.conf, *args,
                                check=check)

    def keystone_manage(self, *args, check=True):
        return utils.run_script('keystone-manage', '--config-file', self.conf,
                                *args, check=check)

    def test_db_version_before_and_after_db_sync(self):
        self.assertEqual('None', _last_line(self.manage('db_version')))
        self.manage('db_sync')
        self.assertEqual(' '.join(migration.head_revisions()),
                         _last_line(self.manage('db_version')))

    def test_keystones_own_check_stays_clean_after_ours(self):
        self.keystone_manage('db_sync')
        self.manage('db_sync')
        self.manage('db_sync')
        check = self.keystone_manage('db_sync', '--check', check=False)
        self.assertEqual(0, check.returncode, check.stderr)

    def test_db_sync_before_keystones_own_is_fine_too(self):
        self.manage('db_sync')
        self.keystone_manage('db_sync')
        check = self.keystone_manage('db_sync', '--check', check=False)
        self.assertEqual(0, check.returncode, check.stderr)

    def test_unknown_command_is_a_usage_error(self):
        result = self.manage('no_such_command', check=False)
        self.assertEqual(2, result.returncode)


def _last_line(result):
    # oslo.log writes INFO lines to stdout when no log file is configured.
    return result.stdout.strip().splitlines()[-1]
