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

import datetime
import json
import os
import uuid

from cryptography import fernet
import fixtures
from keystone.common import fernet_utils
from keystone.credential.providers import fernet as credential_fernet
import sqlalchemy as sa
import testtools

from keystone_mfa_ext.common.sql import migration
from tests import utils


class ManageCommandTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir())
        self.conf = tmp.join('keystone.conf')
        self.database = f'sqlite:///{tmp.path}/ks.db'
        self.key_repositories = {
            group: tmp.join(group) for group in
            ('credential', 'fernet_tokens', 'fernet_receipts')}
        self.key_repository = self.key_repositories['credential']
        with open(self.conf, 'w') as f:
            f.write(f'[database]\nconnection = {self.database}\n')
            for group, directory in self.key_repositories.items():
                f.write(f'[{group}]\nkey_repository = {directory}\n')

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

    def owner_args(self):
        return ('--keystone-user', str(os.getuid()),
                '--keystone-group', str(os.getgid()))

    def setup_key_repositories(self):
        """What keystone-manage's fernet, receipt and credential setup do."""
        for group, directory in self.key_repositories.items():
            keys = fernet_utils.FernetUtils(
                directory, credential_fernet.MAX_ACTIVE_KEYS, group)
            keys.create_key_directory()
            keys.initialize_key_repository()

    def primary_credential_key(self):
        newest = max(os.listdir(self.key_repository), key=int)
        with open(os.path.join(self.key_repository, newest)) as f:
            return f.read()

    def add_provider_secrets(self, key, secrets):
        """A domain's sndfa provider whose secrets `key` encrypted."""
        blob = fernet.Fernet(key).encrypt(json.dumps(secrets).encode())
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        engine = sa.create_engine(self.database)
        self.addCleanup(engine.dispose)
        with engine.begin() as connection:
            connection.execute(sa.text(
                'INSERT INTO mfa_provider (id, name, provider_name, enabled, '
                'domain_id, settings, secrets, created_at, updated_at) '
                "VALUES (:id, 'mail', 'sndfa', 1, :domain_id, '{}', "
                ':secrets, :now, :now)'),
                {'id': uuid.uuid4().hex, 'domain_id': uuid.uuid4().hex,
                 'secrets': blob.decode('ascii'), 'now': now})

    def test_reencrypt_covers_devices_and_provider_secrets(self):
        self.keystone_manage('db_sync')
        self.manage('db_sync')
        self.setup_key_repositories()
        self.add_provider_secrets(self.primary_credential_key(),
                                  {'smtp': {'password': 'hunter22'}})
        self.keystone_manage('credential_rotate', *self.owner_args())
        result = self.manage('reencrypt')
        self.assertIn('0 OTP device secrets re-encrypted, '
                      '0 could not be decrypted', result.stdout)
        self.assertIn('1 MFA provider secrets re-encrypted, '
                      '0 could not be decrypted', result.stdout)
        self.assertNotIn('hunter22', result.stdout + result.stderr)

        # A provider no current key decrypts: the others are still
        # re-encrypted, the command exits 1.
        self.add_provider_secrets(fernet.Fernet.generate_key(),
                                  {'smtp': {'password': 'lost'}})
        self.keystone_manage('credential_rotate', *self.owner_args())
        result = self.manage('reencrypt', check=False)
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('1 MFA provider secrets re-encrypted, '
                      '1 could not be decrypted', result.stdout)
        self.assertNotIn('lost', result.stdout + result.stderr)

    def test_unknown_command_is_a_usage_error(self):
        result = self.manage('no_such_command', check=False)
        self.assertEqual(2, result.returncode)


def _last_line(result):
    # oslo.log writes INFO lines to stdout when no log file is configured.
    return result.stdout.strip().splitlines()[-1]
