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
"""Domain providers, enforcement and the audit API through a real server."""

import secrets

import pyotp
import requests

from tests.functional import base
from tests.functional import totp_helpers


class DomainAdminTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # Domain-level MFA administration is for system (or domain) admins.
        self.admin = self.server.adapter(
            self.server.session(system_scope='all'))
        self.domain = self.admin.post('/domains', json={'domain': {
            'name': 'd-' + secrets.token_hex(4)}}).json()['domain']
        self.dpath = f'/domains/{self.domain["id"]}'

    def tearDown(self):
        self.admin.patch(self.dpath, json={'domain': {'enabled': False}})
        self.admin.delete(self.dpath)
        super().tearDown()

    def login(self, user):
        return requests.post(self.server.auth_url + '/auth/tokens', json={
            'auth': {'identity': {'methods': ['password'], 'password': {
                'user': {'id': user['id'],
                         'password': user['password']}}}}}, timeout=30)

    def test_required_domain_and_its_audit_trail(self):
        user = self.server.create_user(domain_id=self.domain['id'])
        otp = totp_helpers.add_totp_credential(self.server, user['id'])
        r = self.admin.put(f'{self.dpath}/mfa/policy', json={'policy': {
            'enforcement': 'required', 'rules': [['password', 'totp']]}})
        policy = r.json()['policy']
        self.assertEqual((1, 0), (policy['enrolled'], policy['not_enrolled']))
        r = self.login(user)
        self.assertEqual(401, r.status_code)
        receipt = r.headers['Openstack-Auth-Receipt']
        r = requests.post(
            self.server.auth_url + '/auth/tokens', timeout=30,
            headers={'Openstack-Auth-Receipt': receipt},
            json=totp_helpers.totp_body(user['id'], otp.now()))
        self.assertEqual(201, r.status_code)

        page = self.admin.get(f'{self.dpath}/mfa/attempts').json()
        [attempt] = page['attempts']
        self.assertEqual(('totp', 'success', user['id']),
                         (attempt['method'], attempt['status'],
                          attempt['user_id']))
        detail = self.admin.get(
            f'{self.dpath}/mfa/attempts/{attempt["id"]}').json()['attempt']
        self.assertIn('user-agent', detail['client_headers'])

    def test_domain_provider_settings_reach_enrollment(self):
        self.admin.post(f'{self.dpath}/mfa/providers', json={'provider': {
            'name': 'acme', 'provider_name': 'totp',
            'settings': {'issuer': 'ACME', 'digits': 8}}})
        user = self.server.create_user(domain_id=self.domain['id'])
        dev = self.admin.post(f'/users/{user["id"]}/otp_devices', json={
            'otp_device': {'name': 'phone'}}).json()['otp_device']
        parsed = pyotp.parse_uri(dev['key_uri'])
        self.assertEqual(('ACME', 8), (parsed.issuer, parsed.digits))
