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
"""MFA providers: CRUD, validation, personas, and that settings take effect."""

import http.client
import re
import urllib.parse
import uuid

from keystone.common import provider_api
import pyotp
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from tests.unit.api import test_spassword
from tests.unit import base

PROVIDERS = provider_api.ProviderAPIs
OK, CREATED, NO_CONTENT = http.client.OK, http.client.CREATED, 204
BAD, FORBIDDEN, NOT_FOUND, CONFLICT = 400, 403, 404, 409


class _ProvidersTestCase(base.TOTPRestfulTestCase, base.PersonasMixin):

    def setUp(self):
        super().setUp()
        self.setup_personas()
        self.admin = self.token(self.system_admin, system=True)
        self.dpath = f'/domains/{self.domain["id"]}/mfa/providers'

    def create(self, path, expected_status=CREATED, token=None, **ref):
        ref.setdefault('name', 'p-' + uuid.uuid4().hex[:6])
        ref.setdefault('provider_name', 'totp')
        return self.post(path, body={'provider': ref},
                         token=token or self.admin,
                         expected_status=expected_status)


class ProviderCRUDTestCase(_ProvidersTestCase):

    def test_create_list_get_patch_put_delete(self):
        r = self.create('/mfa/providers', settings={'issuer': 'Cloud'})
        ref = r.result['provider']
        self.assertIsNone(ref['domain_id'])
        self.assertTrue(r.headers['Location'].endswith(
            f'/v3/mfa/providers/{ref["id"]}'))
        path = f'/mfa/providers/{ref["id"]}'
        self.assertEqual([ref['id']], [p['id'] for p in self.get(
            '/mfa/providers', token=self.admin).result['providers']])
        r = self.patch(path, token=self.admin, body={'provider': {
            'enabled': False, 'settings': {'digits': 8}}})
        self.assertEqual({'issuer': 'Cloud', 'digits': 8},
                         r.result['provider']['settings'])
        self.assertFalse(r.result['provider']['enabled'])
        r = self.put(path, token=self.admin, expected_status=OK, body={
            'provider': {'name': 'n', 'provider_name': 'totp',
                         'enabled': True, 'settings': {'period': 60}}})
        self.assertEqual({'period': 60}, r.result['provider']['settings'])
        self.delete(path, token=self.admin)
        self.get(path, token=self.admin, expected_status=NOT_FOUND)

    def test_secret_settings_are_write_only_and_encrypted(self):
        r = self.create(self.dpath, provider_name='sndfa', settings={
            'smtp': {'server': 'mail.example', 'password': 'hunter22'}})
        self.assertEqual({'smtp': {'server': 'mail.example'}},
                         r.result['provider']['settings'])
        shown = self.get(f'{self.dpath}/{r.result["provider"]["id"]}',
                         token=self.admin)
        self.assertNotIn(b'hunter22', shown.body)
        with sql.session_for_read() as session:
            stored = repr(session.execute(sa.text(
                'SELECT settings, secrets FROM mfa_provider')).all())
        self.assertNotIn('hunter22', stored)

    def test_bad_input(self):
        for ref in ({'provider_name': 'sms'}, {'name': ''},
                    {'settings': {'digits': 7}},
                    {'settings': {'past_windows': 11}},
                    {'settings': {'issuer': 5}},
                    {'settings': {'unknown': 1}},
                    {'enabled': 'yes'}, {'extra': 1},
                    {'provider_name': 'sndfa', 'settings': {'code_ttl': 1}},
                    {'provider_name': 'sndfa',
                     'settings': {'smtp': {'port': 70000}}}):
            self.create('/mfa/providers', expected_status=BAD, **ref)
        self.post('/mfa/providers', body={}, token=self.admin,
                  expected_status=BAD)
        ref = self.create('/mfa/providers').result['provider']
        self.create('/mfa/providers', expected_status=CONFLICT)
        path = f'/mfa/providers/{ref["id"]}'
        self.put(path, token=self.admin, body={'provider': {'name': 'x'}},
                 expected_status=BAD)
        self.patch(path, token=self.admin, expected_status=BAD,
                   body={'provider': {'provider_name': 'sndfa'}})
        self.create(f'/domains/{uuid.uuid4().hex}/mfa/providers',
                    expected_status=NOT_FOUND)
        # a system provider is not a provider of the domain
        self.get(f'{self.dpath}/{ref["id"]}', token=self.admin,
                 expected_status=NOT_FOUND)

    def test_personas(self):
        tokens = dict(self.persona_tokens(), **self.reader_tokens())
        system_read = {'system_admin', 'system_reader'}
        domain = {'system_admin', 'domain_admin'}
        for name, token in tokens.items():
            self.get('/mfa/providers', token=token, expected_status=OK
                     if name in system_read else FORBIDDEN)
            self.create('/mfa/providers', token=token,
                        expected_status=CREATED
                        if name == 'system_admin' else FORBIDDEN)
            self.get(self.dpath, token=token,
                     expected_status=OK if name in domain else FORBIDDEN)
            r = self.create(self.dpath, token=token, provider_name='sndfa',
                            expected_status=CREATED
                            if name in domain else FORBIDDEN)
            if name in domain:
                self.delete(f'{self.dpath}/{r.result["provider"]["id"]}',
                            token=token)
            if name == 'system_admin':
                for p in self.get('/mfa/providers',
                                  token=token).result['providers']:
                    self.delete(f'/mfa/providers/{p["id"]}', token=token)


class TOTPSettingsTakeEffectTestCase(_ProvidersTestCase):

    def setUp(self):
        super().setUp()
        self.uid = self.target['id']
        self.owner = self.token(self.target,
                                project_id=self.target_project['id'])

    def enroll(self):
        r = self.post(f'/users/{self.uid}/otp_devices', token=self.owner,
                      body={'otp_device': {'name': uuid.uuid4().hex}})
        return r.result['otp_device']

    def test_domain_settings_shape_enrolled_devices(self):
        self.create('/mfa/providers', settings={'issuer': 'Cloud'})
        self.create(self.dpath, settings={'issuer': 'ACME', 'digits': 8,
                                          'period': 60})
        dev = self.enroll()
        self.assertEqual((8, 60, 'SHA1'),
                         (dev['digits'], dev['period'], dev['algorithm']))
        query = urllib.parse.parse_qs(
            urllib.parse.urlparse(dev['key_uri']).query)
        self.assertEqual(['ACME'], query['issuer'])

    def test_domain_windows_apply_to_its_users_only(self):
        secret = pyotp.random_base32(32)
        for user in (self.target, self.other_domain_admin):
            PROVIDERS.credential_api.create_credential(
                uuid.uuid4().hex, {'id': uuid.uuid4().hex, 'type': 'totp',
                                   'user_id': user['id'], 'blob': secret})
        self.create(self.dpath, settings={'past_windows': 0})
        old = pyotp.TOTP(secret).at(self.ts - 30)
        self.issue(self.totp_auth(self.uid, old),
                   expected_status=http.client.UNAUTHORIZED)
        self.issue(self.totp_auth(self.other_domain_admin['id'], old))

    def test_disabled_provider_fails_closed(self):
        dev = self.enroll()
        otp = pyotp.parse_uri(dev['key_uri'])
        self.post(f'/users/{self.uid}/otp_devices/{dev["id"]}/verify',
                  token=self.owner, body={'verify': {'code': otp.at(self.ts)}},
                  expected_status=NO_CONTENT)
        self.create(self.dpath, enabled=False)
        self.set_clock(30)
        self.issue(self.totp_auth(self.uid, otp.at(self.ts)),
                   expected_status=http.client.UNAUTHORIZED)
        self.post(f'/users/{self.uid}/otp_devices', token=self.owner,
                  body={'otp_device': {'name': 'x'}},
                  expected_status=FORBIDDEN)


class SndfaSettingsTakeEffectTestCase(test_spassword._EmailTestCase):

    def test_domain_code_length_and_smtp(self):
        admin = self.token(self.system_admin, system=True)
        other_smtp = self.useFixture(test_spassword.smtp.SMTPServer())
        self.post(f'/domains/{self.domain["id"]}/mfa/providers', token=admin,
                  body={'provider': {
                      'name': 'mail', 'provider_name': 'sndfa',
                      'settings': {'code_length': 8, 'smtp': {
                          'server': '127.0.0.1', 'port': other_smtp.port,
                          'tls': False}}}})
        self.enable_sndfa(server=other_smtp)
        self.assertEqual([], self.smtp.messages)  # the domain's server got it
        r = self.issue(self.password_auth(self.uid, self.target['password']),
                       expected_status=http.client.UNAUTHORIZED)
        body = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.uid}}}}}
        self.issue(body, expected_status=http.client.UNAUTHORIZED,
                   headers={'Openstack-Auth-Receipt':
                            r.headers['Openstack-Auth-Receipt']})
        text = other_smtp.messages[-1].get_body(
            preferencelist=('plain',)).get_content()
        self.assertRegex(text, re.compile(r'^\s+[0-9]{8}\s*$', re.M))


class ProviderSecretsNeverEchoedTestCase(_ProvidersTestCase):

    def test_bad_patch_does_not_show_the_stored_password(self):
        ref = self.create(self.dpath, provider_name='sndfa', settings={
            'smtp': {'password': 'hunter22-secret'}}).result['provider']
        r = self.patch(f'{self.dpath}/{ref["id"]}', token=self.admin,
                       body={'provider': {'settings': {'bogus': 1}}},
                       expected_status=BAD)
        self.assertNotIn(b'hunter22', r.body)
        r = self.patch(f'{self.dpath}/{ref["id"]}', token=self.admin,
                       body={'provider': {'settings': {'smtp': {
                           'password': 'x' * 300}}}},
                       expected_status=BAD)
        self.assertNotIn(b'xxxxxxxx', r.body)
