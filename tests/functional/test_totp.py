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
"""The mfa_ext totp method through a real server with real clients."""

import json
import time

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import sqlalchemy as sa

from tests.functional import base
from tests.functional import totp_helpers

LOCKOUT_SECONDS = 3


class TOTPTestCase(base.FunctionalTestCase):

    server_kwargs = {'extra_config':
                     f'[mfa]\nlockout_duration = {LOCKOUT_SECONDS}\n'}

    def setUp(self):
        super().setUp()
        self.user = self.server.create_user()
        self.uid = self.user['id']
        self.otp = totp_helpers.add_totp_credential(self.server, self.uid)

    def totp_access(self, passcode):
        auth = v3.TOTP(auth_url=self.server.auth_url, user_id=self.uid,
                       passcode=passcode, unscoped=True)
        return auth.get_access(ks_session.Session())

    def methods_of(self, access):
        """The token's methods, as keystone reports them on validation."""
        r = self.server.adapter().get(
            '/auth/tokens', headers={'X-Subject-Token': access.auth_token})
        return r.json()['token']['methods']

    def post_totp(self, passcode):
        return requests.post(self.server.auth_url + '/auth/tokens',
                             json=totp_helpers.totp_body(self.uid, passcode),
                             timeout=30)

    def test_seed_flow_with_keystoneauth1_v3totp(self):
        access = self.totp_access(self.otp.now())
        self.assertEqual(['totp'], self.methods_of(access))
        self.assertEqual(self.uid, access.user_id)

    def test_mfa_info_reports_the_totp_driver(self):
        r = self.server.get('/mfa', token=self.server.admin_token())
        self.assertIn('totp', r.json()['mfa']['methods'])

    def test_replayed_code_is_rejected(self):
        code = self.otp.now()
        self.totp_access(code)
        self.assertRaises(ks_exceptions.Unauthorized, self.totp_access, code)

    def test_concurrent_requests_with_one_code_give_exactly_one_token(self):
        statuses = totp_helpers.race(
            [self.server.auth_url] * 6,
            totp_helpers.totp_body(self.uid, self.otp.now()))
        self.assertEqual([201, 401, 401, 401, 401, 401], statuses)

    def test_password_and_totp_in_one_request_with_v3multifactor(self):
        auth = v3.MultiFactor(
            auth_url=self.server.auth_url,
            auth_methods=['v3password', 'v3totp'],
            username=self.user['name'], user_domain_id='default',
            password=self.user['password'], passcode=self.otp.now(),
            unscoped=True)
        access = auth.get_access(ks_session.Session())
        self.assertEqual({'password', 'totp'}, set(self.methods_of(access)))

    def enable_password_totp_rule(self):
        self.server.adapter().patch(f'/users/{self.uid}', json={'user': {
            'options': {'multi_factor_auth_enabled': True,
                        'multi_factor_auth_rules': [['password', 'totp']]}}})

    def test_receipt_flow(self):
        self.enable_password_totp_rule()
        password = v3.Password(auth_url=self.server.auth_url,
                               user_id=self.uid,
                               password=self.user['password'], unscoped=True)
        e = self.assertRaises(ks_exceptions.MissingAuthMethods,
                              password.get_access, ks_session.Session())
        self.assertIn({'password', 'totp'},
                      [set(rule) for rule in e.required_auth_methods])
        second = v3.Auth(auth_url=self.server.auth_url, unscoped=True,
                         auth_methods=[
                             v3.ReceiptMethod(receipt=e.receipt),
                             v3.TOTPMethod(user_id=self.uid,
                                           passcode=self.otp.now())])
        access = second.get_access(ks_session.Session())
        self.assertEqual({'password', 'totp'}, set(self.methods_of(access)))

    def test_one_factor_alone_gets_no_token_under_the_rule(self):
        self.enable_password_totp_rule()
        self.assertRaises(ks_exceptions.MissingAuthMethods,
                          self.totp_access, self.otp.now())
        password = v3.Password(auth_url=self.server.auth_url,
                               user_id=self.uid,
                               password=self.user['password'], unscoped=True)
        self.assertRaises(ks_exceptions.MissingAuthMethods,
                          password.get_access, ks_session.Session())

    def post_password_and_totp(self, passcode):
        return requests.post(
            self.server.auth_url + '/auth/tokens', timeout=30,
            json=totp_helpers.password_totp_body(
                self.uid, self.user['password'], passcode))

    def test_lockout_and_its_end(self):
        """Wrong codes after the right password lock; the lock ends."""
        wrong = '000000' if self.otp.now() != '000000' else '111111'
        for _ in range(5):
            self.assertEqual(401,
                             self.post_password_and_totp(wrong).status_code)
        self.assertEqual(401, self.post_password_and_totp(
            self.otp.now()).status_code)
        time.sleep(LOCKOUT_SECONDS + 0.5)
        self.assertEqual(201, self.post_password_and_totp(
            self.otp.now()).status_code)

    def test_attempts_are_audited_with_request_id_and_client_address(self):
        r = self.post_totp(self.otp.now())
        self.assertEqual(201, r.status_code)
        engine = sa.create_engine(
            f'sqlite:///{self.server.state_dir}/keystone.db')
        self.addCleanup(engine.dispose)
        with engine.connect() as conn:
            row = conn.execute(sa.text(
                'SELECT * FROM mfa_login_attempt WHERE user_id = :u'),
                {'u': self.uid}).mappings().one()
        self.assertEqual('success', row['status'])
        self.assertEqual('totp', row['method'])
        self.assertEqual('127.0.0.1', row['client_ip'])
        self.assertEqual(r.headers['x-openstack-request-id'],
                         row['request_id'])
        headers = json.loads(row['client_headers'])
        self.assertIn('user-agent', headers)
        self.assertNotIn('x-auth-token', headers)
