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
"""Pins the one use of keystone's fernet key loader (common.credential_keys).

If a keystone release moves `get_multi_fernet_keys` or changes what it
returns, these fail rather than devices or provider secrets becoming
unreadable.
"""

from cryptography import fernet
from keystone.common import fernet_utils
from keystone.common import provider_api
import keystone.conf
from keystone.credential.providers import fernet as credential_fernet
from keystone.tests.unit import ksfixtures

from keystone_mfa_ext.common import credential_keys
from tests.unit import base

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs


class CredentialKeysTestCase(base.RestfulTestCase):

    def config_overrides(self):
        super().config_overrides()
        self.useFixture(ksfixtures.KeyRepository(
            self.config_fixture, 'credential',
            credential_fernet.MAX_ACTIVE_KEYS))

    def rotate(self):
        fernet_utils.FernetUtils(
            CONF.credential.key_repository,
            credential_fernet.MAX_ACTIVE_KEYS, 'credential').rotate_keys()

    def test_round_trip_through_keystones_provider(self):
        blob, key_hash = credential_keys.encrypt('JBSWY3DPEHPK3PXP')
        self.assertIsInstance(blob, str)
        self.assertTrue(key_hash)
        self.assertEqual('JBSWY3DPEHPK3PXP', credential_keys.decrypt(blob))
        self.assertEqual(
            'JBSWY3DPEHPK3PXP',
            PROVIDERS.credential_provider_api.decrypt(blob))

    def test_many_at_once_as_keystone_decrypts_each(self):
        stranger = fernet.Fernet(fernet.Fernet.generate_key()).encrypt(
            b'other').decode('ascii')
        blobs = [credential_keys.encrypt(text)[0] for text in ('a', 'b')]
        self.assertEqual(['a', 'b', None],
                         credential_keys.decrypt_many(blobs + [stranger]))
        self.assertIsNone(credential_keys.decrypt(stranger))
        self.assertEqual([], credential_keys.decrypt_many([]))

    def test_under_the_primary_key_until_a_rotation(self):
        blob, _hash = credential_keys.encrypt('secret')
        self.assertTrue(credential_keys.primary_key_check()(blob))
        self.rotate()
        self.assertFalse(credential_keys.primary_key_check()(blob))
        self.assertEqual(['secret'], credential_keys.decrypt_many([blob]))
        fresh, _hash = credential_keys.encrypt('secret')
        self.assertTrue(credential_keys.primary_key_check()(fresh))
