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
"""Edges of the email factor on keystone's test app with a real SMTP server."""

import html
import http.client
import json
import re
from unittest import mock

from cryptography import fernet
import fixtures
from keystone.common import provider_api
import keystone.conf
from keystone import exception as ks_exception
from oslo_utils import timeutils

from keystone_mfa_ext.api import spassword as spassword_api
from keystone_mfa_ext.sndfa import core as spassword
from tests import smtp
from tests.unit import base

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
LINK = re.compile(r'http://\S+/v3/users/\S+')
CODE = re.compile(r'^\s+([0-9]{6,10})\s*$', re.M)
FORM = 'application/x-www-form-urlencoded'
RULES = 'at least 8 characters & a digit <b>'


class _TooManyTries(ks_exception.Error):
    """A 4xx our views may raise some day (a rate limit)."""

    code = http.client.TOO_MANY_REQUESTS
    title = 'Too Many Requests'
    message_format = 'Slow down <now> & try later.'


class _TestClock:
    """fernet's time.time(): the test's clock, as keystone's revocations.

    Fernet stamps tokens and receipts with the real time, which lags the
    test's clock; a token issued after a revocation by the test's clock
    would look older than it.
    """

    @staticmethod
    def time():
        return timeutils.utcnow_ts(microsecond=True)


class _EmailTestCase(base.TOTPRestfulTestCase, base.PersonasMixin):
    METHODS = base.TOTPRestfulTestCase.METHODS + ['sndfa']

    def auth_plugin_config_override(self, methods=None, **method_classes):
        super().auth_plugin_config_override(methods, **method_classes)
        self.config_fixture.config(group='auth',
                                   additional_primary_auth_methods=['sndfa'])

    def setUp(self):
        super().setUp()
        self.smtp = self.useFixture(smtp.SMTPServer())
        self.config_fixture.config(
            group='spassword', smtp_server='127.0.0.1', smtp_tls=False,
            smtp_port=self.smtp.port, sndfa_endpoint='http://localhost')
        self.setup_personas()
        self.uid = self.target['id']
        PROVIDERS.identity_api.update_user(
            self.uid, {'email': 'target@example.org'})
        self.owner = self.token(self.target,
                                project_id=self.target_project['id'])

    def mails(self, server=None):
        return [m.get_body(preferencelist=('plain',)).get_content()
                for m in (server or self.smtp).messages]

    def link_path(self, server=None):
        return LINK.search(self.mails(server)[-1]).group(0).replace(
            'http://localhost/v3', '')

    def checkemail(self, expected_status=http.client.OK, token=None):
        return self.get(f'/users/{self.uid}/checkemail',
                        token=token or self.owner,
                        expected_status=expected_status)

    def post_link(self, path, expected_status):
        return self.admin_request(method='POST', path='/v3' + path,
                                  body=b'{}', expected_status=expected_status,
                                  headers={'Content-Type':
                                           'application/json'},
                                  convert=False)

    def enable_sndfa(self, server=None):
        self.checkemail()
        self.post_link(self.link_path(server), http.client.OK)
        self.post(f'/users/{self.uid}/sndfa', token=self.owner,
                  body={'enable': True}, expected_status=http.client.OK)


class CheckEmailEdgesTestCase(_EmailTestCase):

    def test_expired_link_is_refused(self):
        self.checkemail()
        path = self.link_path()
        self.set_clock(86401)
        self.post_link(path, http.client.UNAUTHORIZED)

    def test_smtp_down_is_503_and_nothing_is_stored(self):
        self.config_fixture.config(group='spassword',
                                   smtp_port=smtp.free_port())
        r = self.checkemail(expected_status=http.client.SERVICE_UNAVAILABLE)
        self.assertEqual(503, r.result['error']['code'])
        self.assertEqual(0, spassword.retry_after(self.uid,
                                                  spassword.CHECKEMAIL))

    def test_user_without_address_is_400(self):
        PROVIDERS.identity_api.update_user(self.uid, {'email': None})
        self.checkemail(expected_status=http.client.BAD_REQUEST)

    def test_changed_address_voids_the_verification(self):
        self.enable_sndfa()
        PROVIDERS.identity_api.update_user(self.uid,
                                           {'email': 'new@example.org'})
        # An admin looks: the owner's password token ended with MFA on.
        admin = self.token(self.system_admin, system=True)
        r = self.get(f'/users/{self.uid}/sndfa', token=admin)
        self.assertEqual({'sndfa': True, 'sndfa_email': False}, r.result)

    def test_pages_are_not_cached_or_framed(self):
        self.checkemail()
        r = self.admin_request(method='GET', path='/v3' + self.link_path(),
                               convert=False)
        self.assertEqual('no-store', r.headers['Cache-Control'])
        self.assertEqual('DENY', r.headers['X-Frame-Options'])

    def test_one_mail_per_resend_interval(self):
        interval = CONF.spassword.checkemail_resend_interval
        self.checkemail()
        self.set_clock(interval - 1)
        r = self.checkemail(expected_status=http.client.TOO_MANY_REQUESTS)
        self.assertIn('try again in 1 second', r.result['error']['message'])
        self.assertEqual(1, len(self.smtp.messages))
        self.set_clock(interval)
        self.checkemail()
        self.assertEqual(2, len(self.smtp.messages))

    def test_personas(self):
        expected = {'system_admin': 200, 'domain_admin': 200, 'owner': 200,
                    'other_domain_admin': 403, 'other_member': 403}
        interval = CONF.spassword.checkemail_resend_interval
        for i, (persona, token) in enumerate(self.persona_tokens().items()):
            # One mail per user and interval, whoever asks for it.
            self.set_clock(i * interval)
            self.get(f'/users/{self.uid}/checkemail', token=token,
                     expected_status=expected[persona])
            self.get(f'/users/{self.uid}/sndfa', token=token,
                     expected_status=expected[persona])


class SndfaEdgesTestCase(_EmailTestCase):

    def setUp(self):
        super().setUp()
        self.enable_sndfa()
        # That switched MFA on, which revoked the owner's tokens issued
        # until now (by the test's clock): later ones carry that clock too.
        self.useFixture(fixtures.MockPatchObject(fernet, 'time', _TestClock))

    def request_code(self):
        r = self.issue(self.password_auth(self.uid, self.target['password']),
                       expected_status=http.client.UNAUTHORIZED)
        receipt = r.headers['Openstack-Auth-Receipt']
        body = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.uid}}}}}
        self.issue(body, headers={'Openstack-Auth-Receipt': receipt},
                   expected_status=http.client.UNAUTHORIZED)
        return receipt, CODE.search(self.mails()[-1]).group(1)

    def with_code(self, receipt, code, expected_status):
        body = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.uid}, 'code': code}}}}
        return self.issue(body, headers={'Openstack-Auth-Receipt': receipt},
                          expected_status=expected_status)

    def sndfa_token(self, at=1):
        """The owner's token from the password and an emailed code.

        Issued `at` seconds into the test: MFA, on since 0, ended the
        owner's earlier tokens, and the password alone gets none now.
        """
        self.set_clock(at)
        receipt, code = self.request_code()
        r = self.with_code(receipt, code, http.client.CREATED)
        self.assertEqual({'password', 'sndfa'},
                         set(r.result['token']['methods']))
        return r.headers['X-Subject-Token']

    def test_rules_were_written_natively(self):
        options = PROVIDERS.identity_api.get_user(self.uid)['options']
        self.assertEqual([['password', 'sndfa']],
                         options['multi_factor_auth_rules'])

    def test_expired_code_is_refused(self):
        receipt, code = self.request_code()
        self.set_clock(601)
        self.with_code(receipt, code, http.client.UNAUTHORIZED)

    def test_code_dies_after_max_attempts(self):
        # Keep the user's lockout out of the way: the code itself dies.
        self.config_fixture.config(group='mfa', max_failed_attempts=100)
        receipt, code = self.request_code()
        wrong = '1' * len(code) if code != '1' * len(code) else '2' * 6
        for _ in range(5):
            self.with_code(receipt, wrong, http.client.UNAUTHORIZED)
        self.with_code(receipt, code, http.client.UNAUTHORIZED)

    def test_code_of_another_user_is_refused(self):
        receipt, code = self.request_code()
        other = self.other_member
        body = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': other['id']}, 'code': code}}}}
        self.issue(body, expected_status=http.client.UNAUTHORIZED)
        self.with_code(receipt, code, http.client.CREATED)

    def test_malformed_codes_are_400(self):
        for code in (123456, '12ab56', '1' * 11, ''):
            body = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
                'user': {'id': self.uid}, 'code': code}}}}
            self.issue(body, expected_status=http.client.BAD_REQUEST)

    def test_owner_disables_only_with_a_recent_second_factor_token(self):
        # The owner's tokens all used the emailed code now; one from a
        # login longer ago than the factor-change window changes nothing.
        max_age = CONF.mfa.factor_change_max_token_age
        token = self.sndfa_token(at=1)
        later = 1 + max_age + 1
        self.set_clock(later)
        r = self.post(f'/users/{self.uid}/sndfa', token=token,
                      body={'enable': False},
                      expected_status=http.client.FORBIDDEN)
        self.assertIn(f'a second factor within the last {max_age} seconds',
                      r.result['error']['message'])
        self.assertTrue(spassword.sndfa_enabled(self.uid))
        token = self.sndfa_token(at=later)
        r = self.post(f'/users/{self.uid}/sndfa', token=token,
                      body={'enable': False}, expected_status=http.client.OK)
        self.assertEqual({'modified': True}, r.result)
        options = PROVIDERS.identity_api.get_user(self.uid)['options']
        self.assertFalse(options.get('multi_factor_auth_enabled'))

    def test_enabling_again_changes_nothing(self):
        # Asked with a two-factor token like every change of sndfa: the
        # factor-change rules come before the body is read.
        options = PROVIDERS.identity_api.get_user(self.uid)['options']
        self.assertTrue(options['multi_factor_auth_enabled'])
        r = self.post(f'/users/{self.uid}/sndfa', token=self.sndfa_token(),
                      body={'enable': True}, expected_status=http.client.OK)
        self.assertEqual({'modified': False}, r.result)
        self.assertEqual(options, PROVIDERS.identity_api.get_user(
            self.uid)['options'])

    def test_enabling_again_still_checks_policy_and_address(self):
        other = self.token(self.other_member,
                           project_id=self.target_project['id'])
        self.post(f'/users/{self.uid}/sndfa', token=other,
                  body={'enable': True},
                  expected_status=http.client.FORBIDDEN)
        # A token that may change factors: the owner's, with the code
        # emailed before the address changed.
        token = self.sndfa_token()
        PROVIDERS.identity_api.update_user(self.uid,
                                           {'email': 'new@example.org'})
        r = self.post(f'/users/{self.uid}/sndfa', token=token,
                      body={'enable': True},
                      expected_status=http.client.BAD_REQUEST)
        self.assertIn('Verify the email address',
                      r.result['error']['message'])


class SndfaOffWithMFAOnTestCase(_EmailTestCase):

    def test_enabling_needs_a_second_factor(self):
        self.checkemail()
        self.post_link(self.link_path(), http.client.OK)
        PROVIDERS.identity_api.update_user(self.uid, {'options': {
            'multi_factor_auth_enabled': True,
            'multi_factor_auth_rules': [['password', 'totp']]}})
        self.post(f'/users/{self.uid}/sndfa', token=self.owner,
                  body={'enable': True},
                  expected_status=http.client.FORBIDDEN)
        self.assertFalse(spassword.sndfa_enabled(self.uid))
        admin = self.token(self.system_admin, system=True)
        r = self.post(f'/users/{self.uid}/sndfa', token=admin,
                      body={'enable': True}, expected_status=http.client.OK)
        self.assertEqual({'modified': True}, r.result)


class FormPostErrorsTestCase(_EmailTestCase):
    """A browser's form post gets a page for every error; JSON does not."""

    PASSWORD = 'Nw-passw0rd-that-fits'

    def setUp(self):
        super().setUp()
        self.config_fixture.config(
            group='security_compliance', password_regex=r'^(?=.*\d).{8,}$',
            password_regex_description=RULES)

    def reset_code(self):
        """A live reset link code, as after its mail went out."""
        code, row = spassword.issue(self.uid, spassword.RESET, 600,
                                    email='target@example.org')
        spassword.drop_older(row)
        return code

    def send(self, path, body, content_type, expected_status):
        return self.admin_request(
            method='POST', path=f'/v3/users/{self.uid}/{path}', body=body,
            headers={'Content-Type': content_type}, convert=False,
            expected_status=expected_status)

    def form_post(self, path, expected_status, body=b''):
        return self.send(path, body, FORM, expected_status)

    def json_post(self, path, expected_status, body=None):
        return self.send(path, json.dumps(body or {}).encode(),
                         'application/json', expected_status)

    def assert_page(self, response, message, secrets=()):
        self.assertEqual('text/html', response.content_type)
        self.assertEqual('no-store', response.headers['Cache-Control'])
        page = response.body.decode()
        self.assertIn(html.escape(message, quote=False), page)
        for secret in secrets:
            self.assertNotIn(secret, page)
        return page

    def assert_json_error(self, response, message):
        self.assertEqual('application/json', response.content_type)
        error = response.json['error']
        self.assertEqual(response.status_int, error['code'])
        self.assertEqual(message, error['message'])

    def test_refused_password_shows_the_form_again(self):
        code = self.reset_code()
        r = self.form_post(f'reset_password/{code}',
                           http.client.BAD_REQUEST, b'password=Xq9z')
        page = self.assert_page(
            r, f'The password does not match the requirements: {RULES}.',
            secrets=(code, 'Xq9z', RULES))
        self.assertIn('name="password"', page)
        # The refused password did not spend the link.
        r = self.form_post(f'reset_password/{code}', http.client.OK,
                           f'password={self.PASSWORD}'.encode())
        self.assert_page(r, 'Your password was changed.',
                         secrets=(code, self.PASSWORD))
        self.form_post(f'reset_password/{code}', http.client.UNAUTHORIZED,
                       f'password={self.PASSWORD}'.encode())

    def test_empty_reset_form_shows_the_form_again(self):
        code = self.reset_code()
        r = self.form_post(f'reset_password/{code}',
                           http.client.BAD_REQUEST)
        page = self.assert_page(r, 'Invalid request body.', secrets=(code,))
        self.assertIn('name="password"', page)
        self.json_post(f'reset_password/{code}', http.client.NO_CONTENT,
                       {'password': self.PASSWORD})

    def test_bad_and_expired_links(self):
        code = self.reset_code()
        self.set_clock(601)
        r = self.form_post(f'reset_password/{code}',
                           http.client.UNAUTHORIZED, b'password=Xq9z')
        page = self.assert_page(r, spassword_api.BAD_LINK,
                                secrets=(code, 'Xq9z'))
        self.assertNotIn('name="password"', page)
        for route in ('checkemail', 'sndfa'):
            r = self.form_post(f'{route}/1234567890',
                               http.client.UNAUTHORIZED)
            self.assert_page(r, spassword_api.BAD_LINK,
                             secrets=('1234567890',))

    def test_any_other_error_is_a_page_with_its_status(self):
        # A rate limit, say: whatever a view raises keeps its status.
        with mock.patch.object(spassword, 'consume',
                               side_effect=_TooManyTries()):
            for route in ('checkemail', 'sndfa', 'reset_password'):
                r = self.form_post(f'{route}/1234567890',
                                   http.client.TOO_MANY_REQUESTS,
                                   b'password=Xq9z&confirm=1')
                self.assert_page(r, 'Slow down <now> & try later.',
                                 secrets=('1234567890', 'Xq9z'))
            r = self.json_post('checkemail/1234567890',
                               http.client.TOO_MANY_REQUESTS)
            self.assert_json_error(r, 'Slow down <now> & try later.')

    def test_errors_of_keystone_hooks_are_pages_too(self):
        # A NUL in the user id is refused before the view (a 404).
        r = self.admin_request(
            method='POST', path='/v3/users/a%00b/checkemail/1234567890',
            body=b'', headers={'Content-Type': FORM}, convert=False,
            expected_status=http.client.NOT_FOUND)
        self.assert_page(r, 'Could not find the resource.')

    def test_json_clients_keep_their_errors(self):
        code = self.reset_code()
        r = self.json_post(f'reset_password/{code}',
                           http.client.BAD_REQUEST, {'password': 'Xq9z'})
        self.assert_json_error(
            r, f'The password does not match the requirements: {RULES}.')
        r = self.json_post(f'reset_password/{code}',
                           http.client.BAD_REQUEST)
        self.assert_json_error(r, 'Invalid request body.')
        r = self.json_post('checkemail/1234567890', http.client.UNAUTHORIZED)
        self.assertEqual('application/json', r.content_type)
        self.json_post(f'reset_password/{code}', http.client.NO_CONTENT,
                       {'password': self.PASSWORD})
