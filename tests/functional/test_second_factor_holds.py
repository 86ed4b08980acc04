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
"""The ways past the second factor an attacker found, closed: real server.

One class per way (issue 14's numbered list, in its order), each driven
over real HTTP against the devserver (gunicorn, SQL, an SMTP sink): what
the attacker tried, and what happens now. README's threat table points
here.
"""

import concurrent.futures
import datetime
import os
import secrets
import sqlite3
import time
import urllib.parse

from keystoneclient.contrib.ec2 import utils as ec2_utils
import pyotp
import requests

from tests.functional import base
from tests.functional import mail_helpers as mails

RECEIPT = 'Openstack-Auth-Receipt'


class _Attack(base.FunctionalTestCase):
    """A real user on the shared devserver, and the requests around it."""

    def setUp(self):
        super().setUp()
        self.admin = self.server.session(system_scope='all').get_token()
        self.project_id = self.call('GET', '/auth/projects', self.admin)\
            .json()['projects'][0]['id']

    # --- plain HTTP --------------------------------------------------------
    def call(self, method, path, token=None, **kwargs):
        headers = kwargs.pop('headers', {})
        if token:
            headers['X-Auth-Token'] = token
        return requests.request(method, self.server.auth_url + path,
                                headers=headers, timeout=60, **kwargs)

    def auth(self, identity, scope=None, headers=None):
        body = {'auth': {'identity': identity}}
        if scope:
            body['auth']['scope'] = scope
        return self.call('POST', '/auth/tokens', json=body,
                         headers=headers or {})

    def token_of(self, response):
        self.assertEqual(201, response.status_code, response.text)
        return response.headers['X-Subject-Token']

    # --- users and their factors -------------------------------------------
    def new_user(self, domain_id='default', role='member', **extra):
        user = self.server.create_user(domain_id=domain_id, **extra)
        roles = self.call('GET', f'/roles?name={role}', self.admin).json()
        self.call('PUT', f'/projects/{self.project_id}/users/{user["id"]}'
                  f'/roles/{roles["roles"][0]["id"]}', self.admin)
        return user

    @staticmethod
    def password(user):
        return {'methods': ['password'], 'password': {'user': {
            'id': user['id'], 'password': user['password']}}}

    @staticmethod
    def password_and_code(user, code):
        return {'methods': ['password', 'totp'],
                'password': {'user': {'id': user['id'],
                                      'password': user['password']}},
                'totp': {'user': {'id': user['id'], 'passcode': code}}}

    @staticmethod
    def code_alone(user, code):
        return {'methods': ['totp'],
                'totp': {'user': {'id': user['id'], 'passcode': code}}}

    def project_scope(self):
        return {'project': {'id': self.project_id}}

    def password_token(self, user, scope=None):
        return self.token_of(self.auth(self.password(user), scope))

    def enroll(self, user, token):
        """A verified OTP device (phone), then ten recovery codes.

        The device's verification uses the current step; the recovery codes,
        a second factor change, need the password and the phone's next code
        (one step ahead, within the future window).
        """
        path = f'/users/{user["id"]}'
        r = self.call('POST', path + '/otp_devices', token,
                      json={'otp_device': {'name': 'phone'}})
        self.assertEqual(201, r.status_code, r.text)
        device = r.json()['otp_device']
        secret = urllib.parse.parse_qs(urllib.parse.urlparse(
            device['key_uri']).query)['secret'][0]
        phone = pyotp.TOTP(secret)
        r = self.call('POST', f'{path}/otp_devices/{device["id"]}/verify',
                      token, json={'verify': {'code': phone.now()}})
        self.assertEqual(204, r.status_code, r.text)
        user['phone'] = phone
        r = self.call('POST', path + '/recovery_codes', self.token_of(
            self.auth(self.password_and_code(
                user, phone.at(time.time() + phone.interval)))))
        self.assertEqual(201, r.status_code, r.text)
        user['recovery'] = r.json()['recovery_codes']['codes']

    def two_factor_token(self, user, scope=None):
        """Password and an unused recovery code in one request."""
        return self.token_of(self.auth(
            self.password_and_code(user, user['recovery'].pop()), scope))

    def mfa_user(self, **extra):
        """A user with a device, recovery codes and MFA on."""
        user = self.new_user(**extra)
        self.enroll(user, self.password_token(user))
        r = self.call('PATCH', f'/users/{user["id"]}/mfa',
                      self.two_factor_token(user),
                      json={'mfa': {'enabled': True}})
        self.assertEqual(200, r.status_code, r.text)
        return user

    def assertRefused(self, response, words, status=403):
        self.assertEqual(status, response.status_code, response.text)
        error = response.json()['error']
        self.assertEqual(status, error['code'])
        self.assertIn(words, error['message'])

    def assertPasswordAloneGetsNoToken(self, user):
        r = self.auth(self.password(user))
        self.assertEqual(401, r.status_code, r.text)
        self.assertIn(RECEIPT, r.headers)

    def mfa_state(self, user):
        return self.call('GET', f'/users/{user["id"]}/mfa',
                         self.admin).json()['mfa']

    # --- email --------------------------------------------------------------
    def email_user(self, **extra):
        address = f'u{secrets.token_hex(5)}@example.org'
        user = self.new_user(email=address, **extra)
        user['email'] = address
        return user

    def verify_email(self, user, token):
        r = self.call('GET', f'/users/{user["id"]}/checkemail', token)
        self.assertEqual(200, r.status_code, r.text)
        link = mails.link_in(mails.last_mail(self.server, user['email']))
        self.assertEqual(200, requests.post(link, json={},
                                            timeout=30).status_code)

    def sndfa_user(self):
        """Email verified and sndfa on: rules [["password","sndfa"]]."""
        user = self.email_user()
        token = self.password_token(user)
        self.verify_email(user, token)
        r = self.call('POST', f'/users/{user["id"]}/sndfa', token,
                      json={'enable': True})
        self.assertEqual(200, r.status_code, r.text)
        state = self.mfa_state(user)
        self.assertEqual((True, [['password', 'sndfa']]),
                         (state['enabled'], state['rules']))
        return user


class DelegatedTokensTestCase(_Attack):
    """1. Trusts and application credentials change no factor."""

    def test_a_trustee_cannot_mint_codes_or_switch_mfa_off(self):
        # bob proves two factors of his own: the token is still delegated.
        alice, bob = self.mfa_user(), self.mfa_user()
        r = self.call('POST', '/OS-TRUST/trusts', self.two_factor_token(
            alice, self.project_scope()), json={'trust': {
                'trustor_user_id': alice['id'], 'trustee_user_id': bob['id'],
                'project_id': self.project_id, 'impersonation': True,
                'roles': [{'name': 'reader'}]}})
        self.assertEqual(201, r.status_code, r.text)
        trust_token = self.token_of(self.auth(
            self.password_and_code(bob, bob['recovery'].pop()),
            {'OS-TRUST:trust': {'id': r.json()['trust']['id']}}))
        path = f'/users/{alice["id"]}'
        self.assertRefused(self.call('POST', path + '/recovery_codes',
                                     trust_token), 'delegated')
        self.assertRefused(self.call('PATCH', path + '/mfa', trust_token,
                                     json={'mfa': {'enabled': False}}),
                           'delegated')
        self.assertTrue(self.mfa_state(alice)['enabled'])
        self.assertPasswordAloneGetsNoToken(alice)

    def test_an_application_credential_cannot_become_the_second_factor(self):
        carol = self.new_user(role='reader')
        token = self.password_token(carol, self.project_scope())
        r = self.call('POST', f'/users/{carol["id"]}/application_credentials',
                      token, json={'application_credential': {
                          'name': 'ci', 'roles': [{'name': 'reader'}]}})
        self.assertEqual(201, r.status_code, r.text)
        cred = r.json()['application_credential']
        app_token = self.token_of(self.auth({
            'methods': ['application_credential'],
            'application_credential': {'id': cred['id'],
                                       'secret': cred['secret']}}))
        path = f'/users/{carol["id"]}'
        self.assertRefused(self.call(
            'POST', path + '/otp_devices', app_token,
            json={'otp_device': {'name': 'mine-now'}}), 'delegated')
        self.assertRefused(self.call('POST', path + '/recovery_codes',
                                     app_token), 'delegated')
        self.assertRefused(self.call('PATCH', path + '/mfa', app_token,
                                     json={'mfa': {'enabled': True}}),
                           'delegated')
        self.assertRefused(self.call('POST', '/credentials', app_token, json={
            'credential': {'type': 'totp', 'user_id': carol['id'],
                           'blob': pyotp.random_base32()}}), 'delegated')
        state = self.mfa_state(carol)
        self.assertEqual((False, 0), (state['enabled'],
                                      state['otp_devices']))


class SingleFactorTokensTestCase(_Attack):
    """2. A password-only token neither mints nor removes a factor."""

    def test_switching_mfa_on_revokes_earlier_password_tokens(self):
        dave = self.new_user()
        earlier = self.password_token(dave, self.project_scope())
        self.enroll(dave, self.password_token(dave))
        r = self.call('PATCH', f'/users/{dave["id"]}/mfa',
                      self.two_factor_token(dave),
                      json={'mfa': {'enabled': True}})
        self.assertEqual(200, r.status_code, r.text)
        self.assertEqual(404, self.call(
            'GET', '/auth/tokens', self.admin,
            headers={'X-Subject-Token': earlier}).status_code)
        r = self.call('POST', '/credentials', earlier, json={'credential': {
            'type': 'totp', 'user_id': dave['id'],
            'blob': pyotp.random_base32()}})
        self.assertEqual(401, r.status_code, r.text)
        self.assertPasswordAloneGetsNoToken(dave)

    def test_with_a_factor_the_password_alone_changes_none(self):
        erin = self.new_user()
        self.enroll(erin, self.password_token(erin))   # MFA still off
        password_only = self.password_token(erin)
        path = f'/users/{erin["id"]}'
        self.assertRefused(self.call('POST', '/credentials', password_only,
                                     json={'credential': {
                                         'type': 'totp', 'user_id': erin['id'],
                                         'blob': pyotp.random_base32()}}),
                           'second factor')
        devices = self.call('GET', path + '/otp_devices',
                            self.admin).json()['otp_devices']
        self.assertRefused(self.call(
            'DELETE', f'{path}/otp_devices/{devices[0]["id"]}',
            password_only), 'second factor')
        self.assertRefused(self.call('DELETE', path + '/recovery_codes',
                                     password_only), 'second factor')
        self.assertEqual([], self.call(
            'GET', f'/credentials?user_id={erin["id"]}&type=totp',
            self.admin).json()['credentials'])
        self.assertEqual(10, self.mfa_state(erin)['recovery_codes_remaining'])
        # With the password and a second factor, the change is allowed.
        self.assertEqual(204, self.call(
            'DELETE', path + '/recovery_codes',
            self.two_factor_token(erin)).status_code)


class MailboxTestCase(_Attack):
    """3. Whoever reads the mailbox does not hold two factors."""

    def test_no_reset_link_for_a_user_whose_rules_the_mail_satisfies(self):
        frank = self.sndfa_user()
        mailed = len(self.server.mails())
        r = self.call('POST', f'/users/{frank["id"]}/recover_password')
        self.assertEqual(202, r.status_code, r.text)
        # A user without the email factor gets a link, in the same answer.
        grace = self.email_user()
        self.verify_email(grace, self.password_token(grace))
        same = self.call('POST', f'/users/{grace["id"]}/recover_password')
        self.assertEqual((202, r.json()), (same.status_code, same.json()))
        mails.last_mail(self.server, grace['email'], count=2)
        self.assertEqual(
            [grace['email']] * 2,
            [m['To'] for m in self.server.mails()[mailed:]])

    def test_a_link_mailed_before_the_email_factor_sets_no_password(self):
        quinn = self.email_user()
        token = self.password_token(quinn)
        self.verify_email(quinn, token)
        self.call('POST', f'/users/{quinn["id"]}/recover_password')
        link = mails.link_in(mails.last_mail(self.server, quinn['email'],
                                             count=2))
        r = self.call('POST', f'/users/{quinn["id"]}/sndfa', token,
                      json={'enable': True})
        self.assertEqual(200, r.status_code, r.text)
        r = requests.post(link, json={'password': secrets.token_urlsafe(16)},
                          timeout=30)
        self.assertEqual(401, r.status_code, r.text)
        self.assertPasswordAloneGetsNoToken(quinn)   # the old one


class AnonymousLockoutTestCase(_Attack):
    """4. Guesses without the password cannot lock the owner out."""

    def test_a_stranger_throttles_itself_not_the_owner(self):
        hank = self.mfa_user()
        by_name = {'methods': ['totp'], 'totp': {'user': {
            'name': hank['name'], 'domain': {'id': 'default'},
            'passcode': '000000'}}}
        statuses = set()
        for i in range(60):
            identity = (self.code_alone(hank, '%06d' % i) if i % 2
                        else by_name)
            statuses.add(self.auth(identity).status_code)
            r = self.auth({'methods': ['sndfa'], 'sndfa': {
                'user': {'id': hank['id']}, 'code': '%06d' % i}})
            statuses.add(r.status_code)
        self.assertEqual({401}, statuses)
        state = self.mfa_state(hank)
        self.assertEqual((False, 0), (state['locked'],
                                      state['failed_attempts']))
        # Throttled: even a right code alone yields no receipt now.
        r = self.auth(self.code_alone(hank, hank['recovery'][0]))
        self.assertEqual(401, r.status_code)
        self.assertNotIn(RECEIPT, r.headers)
        # The owner's password and a right code still log in.
        self.two_factor_token(hank)


class RequiredDomainTestCase(_Attack):
    """5. A user's rules stay within a required domain's rules."""

    def test_enabling_mfa_with_another_factor_does_not_add_its_rule(self):
        domain = self.call('POST', '/domains', self.admin, json={'domain': {
            'name': 'd-' + secrets.token_hex(4)}}).json()['domain']
        r = self.call('PUT', f'/domains/{domain["id"]}/mfa/policy',
                      self.admin, json={'policy': {
                          'enforcement': 'required',
                          'rules': [['password', 'totp']],
                          'grace_period_days': 7}})
        self.assertEqual(200, r.status_code, r.text)
        ivan = self.email_user(domain_id=domain['id'])
        token = self.password_token(ivan)
        self.verify_email(ivan, token)
        self.enroll(ivan, token)
        r = self.call('POST', f'/users/{ivan["id"]}/sndfa',
                      self.two_factor_token(ivan), json={'enable': True})
        self.assertEqual(200, r.status_code, r.text)
        r = self.call('PATCH', f'/users/{ivan["id"]}/mfa',
                      self.two_factor_token(ivan),
                      json={'mfa': {'enabled': True}})
        self.assertIn(r.status_code, (200, 400), r.text)
        self.assertEqual([['password', 'totp']],
                         self.mfa_state(ivan)['rules'])
        # Keystone's own user API cannot widen them either.
        r = self.call('PATCH', f'/users/{ivan["id"]}', self.admin, json={
            'user': {'options': {'multi_factor_auth_rules': [
                ['password', 'totp'], ['password', 'sndfa']]}}})
        self.assertRefused(r, 'required', status=400)
        # The password and the emailed code: never a token.
        receipt = self.auth(self.password(ivan)).headers[RECEIPT]
        sndfa = {'methods': ['sndfa'], 'sndfa': {'user': {'id': ivan['id']}}}
        self.auth(sndfa, headers={RECEIPT: receipt})
        sndfa['sndfa']['code'] = mails.code_in(mails.last_mail(
            self.server, ivan['email'], count=2))
        r = self.auth(sndfa, headers={RECEIPT: receipt})
        self.assertEqual(401, r.status_code, r.text)
        self.assertNotIn('X-Subject-Token', r.headers)


class GraceEndTestCase(_Attack):
    """6. When a grace period is over, no earlier way in still works."""

    def run_out_of_grace(self, user_id):
        """The clock of the server passing the deadline, in its database.

        The devserver's SQLite database is this test's to edit; a week
        cannot pass in a test run.
        """
        past = datetime.datetime.utcnow() - datetime.timedelta(seconds=1)
        db = sqlite3.connect(os.path.join(self.server.state_dir,
                                          'keystone.db'), timeout=30)
        with db:
            db.execute('UPDATE mfa_enrollment_grace SET grace_until = ? '
                       'WHERE user_id = ?', (past.isoformat(' '), user_id))
        db.close()

    def test_application_credentials_and_old_tokens_end_with_it(self):
        domain = self.call('POST', '/domains', self.admin, json={'domain': {
            'name': 'd-' + secrets.token_hex(4)}}).json()['domain']
        self.call('PUT', f'/domains/{domain["id"]}/mfa/policy', self.admin,
                  json={'policy': {'enforcement': 'required',
                                   'rules': [['password', 'totp']],
                                   'grace_period_days': 7}})
        judy = self.new_user(domain_id=domain['id'])
        unscoped = self.password_token(judy)
        scoped = self.password_token(judy, self.project_scope())
        r = self.call('POST', f'/users/{judy["id"]}/application_credentials',
                      scoped, json={'application_credential': {'name': 'ci'}})
        self.assertEqual(201, r.status_code, r.text)
        cred = r.json()['application_credential']
        self.run_out_of_grace(judy['id'])
        # keystone: 404 for a credential that is gone, 401 for a token
        r = self.auth({'methods': ['application_credential'],
                       'application_credential': {
                           'id': cred['id'], 'secret': cred['secret']}})
        self.assertIn(r.status_code, (401, 404), r.text)
        r = self.auth({'methods': ['token'], 'token': {'id': unscoped}},
                      self.project_scope())
        self.assertIn(r.status_code, (401, 404), r.text)
        r = self.call('POST', f'/users/{judy["id"]}/application_credentials',
                      scoped, json={'application_credential': {'name': 'x'}})
        self.assertEqual(401, r.status_code, r.text)
        self.assertPasswordAloneGetsNoToken(judy)


class ClientAddressTestCase(_Attack):
    """7. No client-chosen text in mail; limits key on the real address."""

    server_kwargs = {'extra_config': '[spassword]\n'
                                     'recover_max_per_address = 1\n'}

    def test_forwarded_for_is_not_trusted_from_an_unknown_peer(self):
        kate, leo = self.email_user(), self.email_user()
        for user in (kate, leo):
            self.verify_email(user, self.password_token(user))
        injected = 'evil.example.org <a href="http://evil.example.org">'
        r = self.call('POST', f'/users/{kate["id"]}/recover_password',
                      headers={'X-Forwarded-For': injected})
        self.assertEqual(202, r.status_code)
        text = mails.body(mails.last_mail(self.server, kate['email'],
                                          count=2))
        self.assertNotIn('evil', text)
        self.assertIn('127.0.0.1', text)
        # The one request of 127.0.0.1 this hour is spent: another
        # X-Forwarded-For does not make a new address.
        r = self.call('POST', f'/users/{leo["id"]}/recover_password',
                      headers={'X-Forwarded-For': '198.51.100.7'})
        self.assertEqual(202, r.status_code)
        self.assertEqual(1, len(self.server.wait_for_mail(leo['email'],
                                                          count=2,
                                                          timeout=5)))


class EC2TestCase(_Attack):
    """8. An EC2 credential is no way around the user's rules."""

    def ec2_token(self, access, secret):
        params = {'SignatureVersion': '2', 'SignatureMethod': 'HmacSHA256',
                  'Action': 'DescribeInstances', 'AWSAccessKeyId': access}
        credentials = {'access': access, 'host': 'ec2.example.org:8773',
                       'verb': 'GET', 'path': '/', 'params': params}
        credentials['signature'] = ec2_utils.Ec2Signer(secret).generate(
            credentials)
        # What an EC2 API service asks keystone, with its own token.
        return self.call('POST', '/ec2tokens', self.admin,
                         json={'credentials': credentials})

    def new_ec2_credential(self, user, token):
        r = self.call('POST', f'/users/{user["id"]}/credentials/OS-EC2',
                      token, json={'tenant_id': self.project_id})
        self.assertEqual(201, r.status_code, r.text)
        return r.json()['credential']

    def test_ec2_gives_no_token_to_a_user_with_mfa(self):
        mike = self.new_user()
        before = self.new_ec2_credential(
            mike, self.password_token(mike, self.project_scope()))
        self.assertEqual(200, self.ec2_token(before['access'],
                                             before['secret']).status_code)
        self.enroll(mike, self.password_token(mike))
        r = self.call('PATCH', f'/users/{mike["id"]}/mfa',
                      self.two_factor_token(mike),
                      json={'mfa': {'enabled': True}})
        self.assertEqual(200, r.status_code, r.text)
        # Switching MFA on removed it (keystone: 404 for an unknown key).
        r = self.ec2_token(before['access'], before['secret'])
        self.assertEqual(404, r.status_code, r.text)
        after = self.new_ec2_credential(
            mike, self.two_factor_token(mike, self.project_scope()))
        revoked = self.audit_id_revocations()
        r = self.ec2_token(after['access'], after['secret'])
        self.assertRefused(r, 'second factor', status=401)
        self.assertNotIn('X-Subject-Token', r.headers)
        # keystone had issued it: it is revoked, not only withheld.
        self.assertEqual(revoked + 1, self.audit_id_revocations())

    def audit_id_revocations(self):
        events = self.call('GET', '/OS-REVOKE/events',
                           self.admin).json()['events']
        return len([e for e in events if e.get('audit_id')])


class LinkRoutesTestCase(_Attack):
    """9. Link codes: one winner, nothing lost, nothing logged."""

    def test_racing_posts_of_one_reset_link(self):
        nina = self.email_user()
        self.verify_email(nina, self.password_token(nina))
        self.call('POST', f'/users/{nina["id"]}/recover_password')
        link = mails.link_in(mails.last_mail(self.server, nina['email'],
                                             count=2))
        new_password = secrets.token_urlsafe(16)

        def post(_):
            return requests.post(link, json={'password': new_password},
                                 timeout=60)

        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(post, range(10)))
        statuses = sorted(a.status_code for a in answers)
        for answer in answers:
            if answer.status_code != 204:   # keystone's errors, no page
                self.assertEqual(answer.status_code,
                                 answer.json()['error']['code'])
        if 204 not in statuses:   # the server failed: the link still works
            self.assertTrue(all(s in (500, 503) for s in statuses), statuses)
            self.assertEqual(204, post(0).status_code)
        else:
            self.assertEqual(1, statuses.count(204), statuses)
            self.assertTrue(set(statuses) <= {204, 401, 503}, statuses)
        nina['password'] = new_password
        self.password_token(nina)
        code = link.rsplit('/', 1)[1]
        self.assertFalse(self.server.log_contains(code))

    def test_checkemail_waits_between_mails(self):
        olga = self.email_user()
        token = self.password_token(olga)
        path = f'/users/{olga["id"]}/checkemail'
        self.assertEqual(200, self.call('GET', path, token).status_code)
        r = self.call('GET', path, token)
        self.assertEqual(429, r.status_code, r.text)
        self.assertEqual(429, r.json()['error']['code'])
        self.assertEqual(1, len(self.server.wait_for_mail(olga['email'],
                                                          count=2,
                                                          timeout=3)))

    def test_an_email_attribute_must_be_exactly_one_address(self):
        for email in ('a@example.org, b@example.org',
                      'a@example.org\r\nBcc: b@example.org'):
            user = self.new_user(email=email)
            r = self.call('GET', f'/users/{user["id"]}/checkemail',
                          self.password_token(user))
            self.assertEqual(400, r.status_code, r.text)
            self.assertEqual(400, r.json()['error']['code'])
        # Whole addresses: other tests mail u<hex>@example.org.
        recipients = {a.addr_spec for m in self.server.mails()
                      for header in ('To', 'Cc', 'Bcc') if m[header]
                      for a in m[header].addresses}
        self.assertEqual(set(), recipients & {'a@example.org',
                                              'b@example.org'})
