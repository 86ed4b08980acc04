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
"""The email second factor end to end: real server, real SMTP, real mails."""

import os
import secrets

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import openstack
import requests

from keystone_mfa_ext.client import auth as client_auth
from tests.functional import base
from tests.functional import mail_helpers as mails
from tests import utils

RECEIPT = 'Openstack-Auth-Receipt'
FIWARE_MESSAGE = ('Expecting Second Factor Authentication, email was sent. '
                  'Please check it and click in provided link.')


class _EmailUserMixin:

    def new_user(self):
        self.email = f'u{secrets.token_hex(4)}@example.org'
        self.user = self.server.create_user(email=self.email)
        self.uid = self.user['id']
        self.path = f'/users/{self.uid}'
        self.me = self.server.adapter(ks_session.Session(auth=v3.Password(
            auth_url=self.server.auth_url, user_id=self.uid,
            password=self.user['password'], unscoped=True)))

    def url(self, path):
        return self.server.auth_url + path

    def verify_email(self):
        self.assertEqual(200, self.me.get(f'{self.path}/checkemail')
                         .status_code)
        link = mails.link_in(mails.last_mail(self.server, self.email))
        r = requests.post(link, json={}, timeout=30)
        self.assertEqual(200, r.status_code, r.text)
        return link

    def password_body(self, password=None):
        return {'auth': {'identity': {'methods': ['password'], 'password': {
            'user': {'id': self.uid,
                     'password': password or self.user['password']}}}}}

    def post_token(self, body, headers=None):
        return requests.post(self.url('/auth/tokens'), json=body,
                             headers=headers or {}, timeout=30)


class CheckEmailAndNativeSndfaTestCase(base.FunctionalTestCase,
                                       _EmailUserMixin):

    def setUp(self):
        super().setUp()
        self.new_user()

    def test_checkemail_link_get_changes_nothing_post_verifies_once(self):
        r = self.me.get(f'{self.path}/checkemail')
        self.assertTrue(r.json()['checkemail']['code_sent'])
        message = mails.last_mail(self.server, self.email)
        link = mails.link_in(message)
        self.assertTrue(link.startswith(self.server.url + '/v3/users/'))
        page = requests.get(link, timeout=30)
        self.assertEqual(200, page.status_code)
        self.assertIn('text/html', page.headers['Content-Type'])
        self.assertIn('<form method="post"', page.text)
        state = self.me.get(f'{self.path}/sndfa').json()
        self.assertEqual({'sndfa': False, 'sndfa_email': False}, state)
        # The page's button: a plain form post, answered with a page.
        r = requests.post(link, data={'confirm': '1'}, timeout=30)
        self.assertEqual(200, r.status_code)
        self.assertIn('text/html', r.headers['Content-Type'])
        self.assertTrue(self.me.get(f'{self.path}/sndfa')
                        .json()['sndfa_email'])
        again = requests.post(link, json={}, timeout=30)
        self.assertEqual(401, again.status_code)
        self.assertEqual(401, again.json()['error']['code'])

    def test_wrong_code_or_other_user_changes_nothing(self):
        self.me.get(f'{self.path}/checkemail')
        link = mails.link_in(mails.last_mail(self.server, self.email))
        other = self.server.create_user()
        for bad in (link[:-3] + 'AAA',
                    link.replace(self.uid, other['id']),
                    link.replace(self.uid, 'f' * 32)):
            r = requests.post(bad, json={}, timeout=30)
            self.assertEqual(401, r.status_code)
        self.assertFalse(self.me.get(f'{self.path}/sndfa')
                         .json()['sndfa_email'])
        self.assertEqual(200, requests.post(link, json={},
                                            timeout=30).status_code)

    def test_enable_needs_a_verified_email(self):
        r = self.me.post(f'{self.path}/sndfa', json={'enable': True},
                         raise_exc=False)
        self.assertEqual(400, r.status_code)
        for body in ({}, {'enable': 'yes'}, {'enable': None},
                     {'enable': True, 'x': 1}):
            r = self.me.post(f'{self.path}/sndfa', json=body,
                             raise_exc=False)
            self.assertEqual(400, r.status_code)

    def test_native_receipt_flow_with_the_emailed_code(self):
        self.verify_email()
        r = self.me.post(f'{self.path}/sndfa', json={'enable': True})
        self.assertEqual({'modified': True}, r.json())

        r = self.post_token(self.password_body())
        self.assertEqual(401, r.status_code)
        receipt = r.headers[RECEIPT]
        required = r.json()['required_auth_methods']
        self.assertIn(['password', 'sndfa'], [sorted(x) for x in required])
        sndfa = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.uid}}}}}
        # No receipt: no mail.
        before = len(self.server.mails())
        self.assertEqual(401, self.post_token(sndfa).status_code)
        self.assertEqual(before, len(self.server.mails()))

        r = self.post_token(sndfa, {RECEIPT: receipt})
        self.assertEqual(401, r.status_code)
        challenge = r.json()['identity']['sndfa']
        self.assertTrue(challenge['code_sent'])
        self.assertEqual(self.email[0] + '***@example.org',
                         challenge['email'])
        again = self.post_token(sndfa, {RECEIPT: receipt}).json()
        self.assertFalse(again['identity']['sndfa']['code_sent'])
        self.assertGreater(again['identity']['sndfa']['retry_after'], 0)

        code = mails.code_in(mails.last_mail(self.server, self.email, 2))
        wrong = '0' * len(code) if code != '0' * len(code) else '1' * 6
        sndfa['auth']['identity']['sndfa']['code'] = wrong
        self.assertEqual(401, self.post_token(sndfa, {RECEIPT: receipt})
                         .status_code)
        sndfa['auth']['identity']['sndfa']['code'] = code
        r = self.post_token(sndfa, {RECEIPT: receipt})
        self.assertEqual(201, r.status_code, r.text)
        token = r.json()['token']
        self.assertEqual({'password', 'sndfa'}, set(token['methods']))
        self.assertEqual({'sndfa': True, 'sndfa_email': True},
                         token['extras'])
        shown = self.server.adapter().get('/auth/tokens', headers={
            'X-Subject-Token': r.headers['X-Subject-Token']}).json()
        self.assertEqual({'sndfa': True, 'sndfa_email': True},
                         shown['token']['extras'])
        # single use
        self.assertEqual(401, self.post_token(sndfa, {RECEIPT: receipt})
                         .status_code)


class RecoverPasswordTestCase(base.FunctionalTestCase, _EmailUserMixin):

    def setUp(self):
        super().setUp()
        self.new_user()

    def test_same_answer_for_every_user_id(self):
        self.verify_email()
        answers = []
        for user_id in (self.uid, 'f' * 32, 'not-a-user', self.uid.upper()):
            for method in (requests.get, requests.post):
                r = method(self.url(f'/users/{user_id}/recover_password'),
                           timeout=30)
                answers.append((r.status_code, r.text))
        self.assertEqual(1, len(set(answers)), answers)
        self.assertEqual(202, answers[0][0])

    def test_recover_reset_and_old_tokens_are_revoked(self):
        self.verify_email()
        old_token = self.me.session.get_token()
        r = requests.post(self.url(f'{self.path}/recover_password'),
                          timeout=30)
        self.assertEqual(202, r.status_code)
        message = mails.last_mail(self.server, self.email, 2)
        self.assertNotIn(self.user['password'], mails.body(message))
        link = mails.link_in(message)
        self.assertIn('/reset_password/', link)
        form = requests.get(link, timeout=30)
        self.assertIn('type="password"', form.text)
        # keystone's own password rules answer first (empty password: 400)
        self.assertEqual(400, requests.post(link, json={'password': ''},
                                            timeout=30).status_code)
        new_password = secrets.token_urlsafe(16)
        r = requests.post(link, json={'password': new_password}, timeout=30)
        self.assertEqual(204, r.status_code, r.text)
        self.assertEqual(401, requests.post(
            link, json={'password': 'again' + new_password},
            timeout=30).status_code)
        self.assertEqual(201, self.post_token(
            self.password_body(new_password)).status_code)
        self.assertEqual(401, self.post_token(self.password_body())
                         .status_code)
        check = self.server.adapter().get(
            '/auth/tokens', headers={'X-Subject-Token': old_token},
            raise_exc=False)
        self.assertEqual(404, check.status_code)


class FiwareGateTestCase(base.FunctionalTestCase, _EmailUserMixin):
    """`[auth] password = spassword` with `[spassword] sndfa = true`."""

    server_kwargs = {'extra_config': '[auth]\npassword = spassword\n'
                                     '[spassword]\nsndfa = true\n'}

    def test_login_is_approved_by_the_emailed_link(self):
        self.new_user()
        self.verify_email()
        self.me.post(f'{self.path}/sndfa', json={'enable': True})
        # the owner's session predates sndfa; log in again with the gate
        r = self.post_token(self.password_body())
        self.assertEqual(401, r.status_code)
        self.assertEqual(FIWARE_MESSAGE, r.json()['error']['message'])
        link = mails.link_in(mails.last_mail(self.server, self.email, 2))
        self.assertIn(f'/v3/users/{self.uid}/sndfa/', link)
        requests.get(link, timeout=30)     # a mail scanner's prefetch
        self.assertEqual(401, self.post_token(self.password_body())
                         .status_code)
        self.assertEqual(200, requests.post(link, json={},
                                            timeout=30).status_code)
        r = self.post_token(self.password_body())
        self.assertEqual(201, r.status_code, r.text)
        self.assertEqual({'sndfa': True, 'sndfa_email': True},
                         r.json()['token']['extras'])


class RecoverRateLimitTestCase(base.FunctionalTestCase, _EmailUserMixin):

    def test_per_user_limit_sends_nothing_more_but_answers_the_same(self):
        self.new_user()
        self.verify_email()
        answers = set()
        for _ in range(4):
            r = requests.post(self.url(f'{self.path}/recover_password'),
                              timeout=30)
            answers.add((r.status_code, r.text))
        self.assertEqual(1, len(answers))
        # 1 checkemail mail + [spassword] recover_max_per_user (3) links
        got = self.server.wait_for_mail(self.email, count=5, timeout=5)
        self.assertEqual(4, len(got))


class ClientPluginTestCase(base.FunctionalTestCase, _EmailUserMixin):
    """keystoneauth1 `v3sndfa`, alone with a receipt and in v3multifactor."""

    def setUp(self):
        super().setUp()
        self.new_user()
        self.verify_email()
        self.me.post(f'{self.path}/sndfa', json={'enable': True})
        self.sent = 1   # the checkemail mail

    def mailed_code(self):
        self.sent += 1
        return mails.code_in(mails.last_mail(self.server, self.email,
                                             self.sent))

    def multifactor(self, **kwargs):
        return v3.MultiFactor(
            auth_url=self.server.auth_url,
            auth_methods=['v3password', 'v3sndfa'], user_id=self.uid,
            password=self.user['password'], unscoped=True, **kwargs)

    def test_v3multifactor_password_and_sndfa(self):
        # First call: the server mails a code and answers 401.
        self.assertRaises(ks_exceptions.Unauthorized,
                          self.multifactor().get_access, ks_session.Session())
        access = self.multifactor(sndfa_code=self.mailed_code()).get_access(
            ks_session.Session())
        self.assertTrue(access.auth_token)

    def test_v3sndfa_alone_with_the_receipt(self):
        password = v3.Password(auth_url=self.server.auth_url,
                               user_id=self.uid,
                               password=self.user['password'], unscoped=True)
        e = self.assertRaises(ks_exceptions.MissingAuthMethods,
                              password.get_access, ks_session.Session())
        ask = client_auth.Sndfa(self.server.auth_url, user_id=self.uid,
                                receipt=e.receipt, unscoped=True)
        self.assertRaises(ks_exceptions.Unauthorized, ask.get_access,
                          ks_session.Session())
        done = client_auth.Sndfa(self.server.auth_url, user_id=self.uid,
                                 receipt=e.receipt, unscoped=True,
                                 sndfa_code=self.mailed_code())
        self.assertTrue(done.get_access(ks_session.Session()).auth_token)

    def test_openstack_cli(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        args = ['--os-auth-url', self.server.auth_url,
                '--os-auth-type', 'v3multifactor',
                '--os-auth-methods', 'v3password,v3sndfa',
                '--os-user-id', self.uid,
                '--os-password', self.user['password']]
        first = utils.run_script('openstack', *args, 'token', 'issue',
                                 env=env, check=False)
        self.assertNotEqual(0, first.returncode)   # the code was mailed
        out = utils.run_script(
            'openstack', *args, '--os-sndfa-code', self.mailed_code(),
            'token', 'issue', '-f', 'value', '-c', 'user_id', env=env)
        self.assertEqual(self.uid, out.stdout.strip())

    def test_openstacksdk(self):
        conn = openstack.connect(
            auth_url=self.server.auth_url, auth_type='v3multifactor',
            auth_methods=['v3password', 'v3sndfa'], user_id=self.uid,
            password=self.user['password'], identity_api_version='3')
        self.assertRaises((ks_exceptions.Unauthorized,
                           openstack.exceptions.SDKException),
                          conn.authorize)
        conn = openstack.connect(
            auth_url=self.server.auth_url, auth_type='v3multifactor',
            auth_methods=['v3password', 'v3sndfa'], user_id=self.uid,
            password=self.user['password'], identity_api_version='3',
            sndfa_code=self.mailed_code())
        self.assertTrue(conn.authorize())
