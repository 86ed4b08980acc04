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
"""Provider secrets across real credential key rotations.

keystone's own key repository fixture and rotation code: after two
rotations the key that encrypted a provider's SMTP password is gone.
"""

import http.client
import json
import os
import uuid

import fixtures
from keystone.common import fernet_utils
from keystone.common import provider_api
import keystone.conf
from keystone.credential.providers import fernet as credential_fernet
from keystone.tests.unit import ksfixtures

from keystone_mfa_ext import exception as mfa_exception
from keystone_mfa_ext.providers import core as providers_core
from keystone_mfa_ext.sndfa import core as spassword
from tests.unit.api import test_spassword

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
PASSWORD = 'hunter22-smtp-secret'
SERVER_ERROR = http.client.INTERNAL_SERVER_ERROR


class _RotationTestCase(test_spassword._EmailTestCase):

    def config_overrides(self):
        super().config_overrides()
        self.useFixture(ksfixtures.KeyRepository(
            self.config_fixture, 'credential',
            credential_fernet.MAX_ACTIVE_KEYS))

    def setUp(self):
        super().setUp()
        self.admin = self.token(self.system_admin, system=True)
        r = self.post(f'/domains/{self.domain["id"]}/mfa/providers',
                      token=self.admin, body={'provider': {
                          'name': 'mail', 'provider_name': 'sndfa',
                          'settings': {'smtp': self.smtp_settings(PASSWORD)}}})
        self.provider_id = r.result['provider']['id']
        self.provider_path = (f'/domains/{self.domain["id"]}/mfa/providers/'
                              f'{self.provider_id}')
        self.first_primary_key = self.primary_credential_key()

    def smtp_settings(self, password):
        # No user: the test server does not ask for a login.
        return {'server': '127.0.0.1', 'port': self.smtp.port, 'tls': False,
                'password': password}

    def credential_keys(self):
        """{key number: key} of the credential key repository."""
        directory = CONF.credential.key_repository
        keys = {}
        for name in os.listdir(directory):
            with open(os.path.join(directory, name)) as f:
                keys[int(name)] = f.read()
        return keys

    def primary_credential_key(self):
        keys = self.credential_keys()
        return keys[max(keys)]

    def rotate_credential_keys(self):
        """What `keystone-manage credential_rotate` does to the keys."""
        fernet_utils.FernetUtils(
            CONF.credential.key_repository,
            credential_fernet.MAX_ACTIVE_KEYS, 'credential').rotate_keys()

    def stored_password(self):
        return providers_core.effective(
            'sndfa', self.domain['id']).settings['smtp'].get('password')

    def assert_keystone_error(self, response, code):
        """keystone's JSON error body: no HTML page, no traceback."""
        self.assertEqual('application/json',
                         response.headers['Content-Type'])
        error = json.loads(response.body)['error']
        self.assertEqual(code, error['code'])
        self.assertNotIn('Traceback', error['message'])
        self.assertNotIn(PASSWORD, response.body.decode())
        return error


class ReencryptTestCase(_RotationTestCase):

    def test_reencrypt_keeps_provider_secrets_readable(self):
        self.rotate_credential_keys()
        self.assertEqual((1, 0), providers_core.reencrypt_all())
        self.assertEqual((0, 0), providers_core.reencrypt_all())
        self.rotate_credential_keys()
        self.assertNotIn(self.first_primary_key,
                         self.credential_keys().values())
        self.assertEqual(PASSWORD, self.stored_password())
        self.checkemail()
        self.assertEqual(1, len(self.smtp.messages))
        self.assertEqual((1, 0), providers_core.reencrypt_all())

    def test_providers_without_secrets_are_not_touched(self):
        self.put(self.provider_path, token=self.admin,
                 expected_status=http.client.OK, body={'provider': {
                     'name': 'mail', 'provider_name': 'sndfa',
                     'enabled': True, 'settings': {'code_length': 8}}})
        self.post('/mfa/providers', token=self.admin, body={'provider': {
            'name': 'otp', 'provider_name': 'totp'}})
        self.rotate_credential_keys()
        self.assertEqual((0, 0), providers_core.reencrypt_all())

    def test_undecryptable_provider_is_counted_and_left_alone(self):
        self.rotate_credential_keys()
        self.rotate_credential_keys()
        logs = self.useFixture(fixtures.FakeLogger(level='WARNING'))
        self.assertEqual((0, 1), providers_core.reencrypt_all())
        self.assertIn(self.provider_id, logs.output)
        self.assertIn('keystone-mfa-ext-manage reencrypt', logs.output)
        self.assertNotIn(PASSWORD, logs.output)


class UndecryptableProviderTestCase(_RotationTestCase):
    """The key was rotated away twice without `reencrypt`."""

    def setUp(self):
        super().setUp()
        self.enable_sndfa()
        self.rotate_credential_keys()
        self.rotate_credential_keys()
        self.logs = self.useFixture(fixtures.FakeLogger(level='WARNING'))

    def assert_logged_for_the_operator(self):
        self.assertIn(f'MFA provider {self.provider_id} cannot be decrypted',
                      self.logs.output)
        self.assertIn('keystone-mfa-ext-manage reencrypt', self.logs.output)
        self.assertNotIn(PASSWORD, self.logs.output)

    def checkemail_again(self, expected_status=http.client.OK):
        """A new verification mail, asked by the admin once allowed.

        The owner's password token ended when enabling sndfa switched MFA
        on, and the owner can get no second factor by mail while the
        provider cannot be decrypted. The mail of setUp started the
        resend interval.
        """
        self.set_clock(CONF.spassword.checkemail_resend_interval)
        return self.checkemail(expected_status=expected_status,
                               token=self.admin)

    def test_effective_settings_fail_closed(self):
        self.assertNotIn(self.first_primary_key,
                         self.credential_keys().values())
        self.assertRaises(mfa_exception.ProviderSecretsUnreadable,
                          providers_core.effective, 'sndfa',
                          self.domain['id'])
        self.assert_logged_for_the_operator()
        # Other domains and methods are not affected.
        providers_core.effective('sndfa', self.other_domain['id'])
        providers_core.effective('totp', self.domain['id'])

    def test_checkemail_is_a_keystone_500_and_stores_no_code(self):
        sent = len(self.smtp.messages)
        r = self.checkemail_again(expected_status=SERVER_ERROR)
        error = self.assert_keystone_error(r, SERVER_ERROR)
        self.assertIn('cannot be decrypted', error['message'])
        self.assertEqual(sent, len(self.smtp.messages))
        self.assertEqual(0, spassword.retry_after(self.uid,
                                                  spassword.CHECKEMAIL))
        self.assert_logged_for_the_operator()

    def test_sndfa_login_is_a_keystone_500(self):
        r = self.issue(self.password_auth(self.uid, self.target['password']),
                       expected_status=http.client.UNAUTHORIZED)
        body = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.uid}}}}}
        r = self.issue(body, expected_status=SERVER_ERROR, headers={
            'Openstack-Auth-Receipt': r.headers['Openstack-Auth-Receipt']})
        self.assert_keystone_error(r, SERVER_ERROR)
        self.assert_logged_for_the_operator()

    def test_get_shows_the_provider(self):
        r = self.get(self.provider_path, token=self.admin)
        self.assertEqual({'smtp': {'server': '127.0.0.1',
                                   'port': self.smtp.port, 'tls': False}},
                         r.result['provider']['settings'])

    def test_patch_without_the_secrets_is_refused_with_a_hint(self):
        r = self.patch(self.provider_path, token=self.admin,
                       expected_status=http.client.BAD_REQUEST,
                       body={'provider': {'settings': {'code_length': 8}}})
        error = self.assert_keystone_error(r, http.client.BAD_REQUEST)
        self.assertIn('smtp.password', error['message'])
        self.assert_logged_for_the_operator()
        # Settings are unchanged; `enabled` alone needs no secret.
        r = self.patch(self.provider_path, token=self.admin,
                       body={'provider': {'enabled': False}})
        self.assertNotIn('code_length', r.result['provider']['settings'])

    def test_patch_with_new_secrets_repairs_the_provider(self):
        self.patch(self.provider_path, token=self.admin, body={'provider': {
            'settings': {'code_length': 8,
                         'smtp': {'password': 'new-secret'}}}})
        self.assertEqual('new-secret', self.stored_password())
        settings = providers_core.effective('sndfa',
                                            self.domain['id']).settings
        self.assertEqual((8, '127.0.0.1'), (settings['code_length'],
                                            settings['smtp']['server']))
        self.checkemail_again()

    def test_put_repairs_the_provider(self):
        self.put(self.provider_path, token=self.admin,
                 expected_status=http.client.OK, body={'provider': {
                     'name': 'mail', 'provider_name': 'sndfa',
                     'enabled': True,
                     'settings': {'smtp': self.smtp_settings('new-secret')}}})
        self.assertEqual('new-secret', self.stored_password())
        self.checkemail_again()
        self.assertEqual((0, 0), providers_core.reencrypt_all())


class CredentialEncryptionErrorTestCase(_RotationTestCase):

    def test_keystones_own_credentials_give_a_keystone_500(self):
        """keystone lets CredentialEncryptionError escape its app."""
        credential = PROVIDERS.credential_api.create_credential(
            uuid.uuid4().hex, {'id': uuid.uuid4().hex, 'type': 'totp',
                               'user_id': self.uid, 'blob': 'GEZDGNBVGY'})
        self.rotate_credential_keys()
        self.rotate_credential_keys()
        r = self.get(f'/credentials/{credential["id"]}', token=self.admin,
                     expected_status=SERVER_ERROR)
        self.assert_keystone_error(r, SERVER_ERROR)
