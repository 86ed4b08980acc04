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
"""The mfa_ext totp driver through keystone's own auth API and fixtures."""

import http.client
import json
import uuid

import fixtures
from keystone.common import provider_api
from keystone import notifications
from keystone.tests import unit
from oslo_messaging.notify import _impl_test as oslo_test_notifier
import pyotp
import sqlalchemy as sa

from keystone_mfa_ext.attempts.backends import sql as attempts_sql
from keystone_mfa_ext.common import sql
from keystone_mfa_ext.devices import core as devices_core
from keystone_mfa_ext.lockout import core as lockout
from tests.unit import base

PROVIDERS = provider_api.ProviderAPIs
RECEIPT_HEADER = 'Openstack-Auth-Receipt'


def attempts_of(user_id=None):
    with sql.session_for_read() as session:
        query = sa.select(attempts_sql.LoginAttempt).order_by(
            attempts_sql.LoginAttempt.timestamp)
        if user_id:
            query = query.where(attempts_sql.LoginAttempt.user_id == user_id)
        return [r.to_dict() for r in session.execute(query).scalars()]


class _TOTPTestCase(base.TOTPRestfulTestCase):

    def setUp(self):
        super().setUp()
        self.uid = self.user['id']
        self.secret = pyotp.random_base32(32)
        self.add_credential(self.secret)
        self.otp = pyotp.TOTP(self.secret)

    def add_credential(self, blob, user_id=None):
        ref = unit.new_totp_credential(user_id or self.uid, blob=blob)
        PROVIDERS.credential_api.create_credential(ref['id'], ref)
        return ref

    def code(self, offset=0):
        """The legacy credential's code `offset` seconds from now."""
        return self.otp.at(self.ts + offset)

    def wrong(self):
        return '000000' if self.code() != '000000' else '111111'

    def login(self, passcode, expected_status=http.client.CREATED):
        return self.issue(self.totp_auth(self.uid, passcode),
                          expected_status=expected_status)

    def with_password(self, totp, user=None):
        """A password and the `totp` payload in one request.

        The password proves a first factor of `user` (by default the
        totp's user).
        """
        user = user or self.user
        return {'auth': {'identity': {
            'methods': ['password', 'totp'],
            'password': {'user': {'id': user['id'],
                                  'password': user['password']}},
            'totp': totp}}}

    def login_with_password(self, passcode,
                            expected_status=http.client.CREATED):
        """The owner's password and code: failures count toward lockout."""
        return self.issue(
            self.with_password({'user': {'id': self.uid,
                                         'passcode': passcode}}),
            expected_status=expected_status)

    def issue_from(self, address, body, expected_status=http.client.CREATED,
                   headers=None):
        """POST /v3/auth/tokens from the TCP peer `address`."""
        headers = dict(headers or {})
        headers['Content-Type'] = 'application/json'
        response = self.admin_request(
            method='POST', path='/v3/auth/tokens',
            body=json.dumps(body).encode(), headers=headers,
            expected_status=expected_status, convert=False,
            remote_addr=address)
        response.result = response.json
        return response


class LegacyCredentialTestCase(_TOTPTestCase):
    """The seed flow: a base32 secret stored with /v3/credentials."""

    def test_code_alone_gets_a_token(self):
        r = self.login(self.code())
        self.assertEqual(['totp'], r.result['token']['methods'])
        self.assertEqual(self.uid, r.result['token']['user']['id'])

    def test_replayed_code_is_rejected(self):
        code = self.code()
        self.login(code)
        self.login(code, expected_status=http.client.UNAUTHORIZED)

    def test_code_from_before_the_last_accepted_step_is_rejected(self):
        self.set_clock(31)  # step S+1, S still inside the past window
        older, newer = self.code(-30), self.code()
        self.login(newer)
        self.login(older, expected_status=http.client.UNAUTHORIZED)

    def test_previous_window_is_accepted_two_back_is_not(self):
        self.set_clock(29.999)
        self.login(self.code(-30))
        self.set_clock(60)
        self.login(self.code(-60), expected_status=http.client.UNAUTHORIZED)

    def test_future_window_is_accepted_unless_disabled(self):
        self.login(self.code(30))
        self.config_fixture.config(group='mfa', totp_future_windows=0)
        self.login(self.code(60), expected_status=http.client.UNAUTHORIZED)

    def test_wider_windows_from_config(self):
        self.config_fixture.config(group='mfa', totp_past_windows=3)
        self.login(self.code(-90))

    def test_disabled_legacy_credentials_are_ignored(self):
        self.config_fixture.config(group='mfa',
                                   accept_keystone_totp_credentials=False)
        self.login(self.code(), expected_status=http.client.UNAUTHORIZED)

    def test_bad_secrets_are_skipped_and_logged_by_id_only(self):
        logs = self.useFixture(fixtures.FakeLogger(level='WARNING'))
        bad = self.add_credential('!!not-base32!!')
        short = self.add_credential('GEZDGNBVGY')
        self.login(self.code())  # the good credential still works
        self.assertIn(bad['id'], logs.output)
        self.assertIn(short['id'], logs.output)
        self.assertNotIn('not-base32', logs.output)
        self.assertNotIn('GEZDGNBVGY', logs.output)
        self.assertNotIn(self.secret, logs.output)

    def test_mfa_info_lists_the_totp_method(self):
        r = self.get('/mfa')
        self.assertEqual(['totp'], r.result['mfa']['methods'])

    def test_user_by_name_and_domain(self):
        body = {'auth': {'identity': {'methods': ['totp'], 'totp': {'user': {
            'name': self.user['name'],
            'domain': {'id': self.user['domain_id']},
            'passcode': self.code()}}}}}
        self.issue(body)


class OTPDeviceTestCase(_TOTPTestCase):

    def add_device(self, verified=True, **shape):
        device, secret = devices_core.create(self.uid, uuid.uuid4().hex,
                                             **shape)
        if verified:
            devices_core.mark_verified(device['id'])
        return pyotp.TOTP(secret, digits=device['digits'],
                          interval=device['period'],
                          digest=device['algorithm'].lower())

    def test_verified_device_with_its_own_shape(self):
        for alg, digits, period in (('SHA256', 8, 60), ('SHA512', 6, 30),
                                    ('SHA1', 8, 30)):
            otp = self.add_device(algorithm_name=alg, digits=digits,
                                  period=period)
            self.login(otp.at(self.ts))

    def test_unverified_device_never_authenticates(self):
        otp = self.add_device(verified=False)
        self.login(otp.at(self.ts), expected_status=http.client.UNAUTHORIZED)

    def test_secret_is_encrypted_at_rest(self):
        device, secret = devices_core.create(self.uid, 'phone')
        with sql.session_for_read() as session:
            stored = session.execute(sa.text(
                'SELECT secret, key_hash FROM mfa_otp_device WHERE id = :i'),
                {'i': device['id']}).one()
        self.assertNotIn(secret, stored.secret)
        self.assertTrue(stored.key_hash)

    def test_replay_is_per_device(self):
        phone = self.add_device()
        code = phone.at(self.ts)
        self.login(code)
        self.login(code, expected_status=http.client.UNAUTHORIZED)
        self.login(self.code())  # the legacy credential has its own steps


class LockoutTestCase(_TOTPTestCase):
    """Failures that proved the user's password count toward the lockout."""

    def fail(self, times):
        for _ in range(times):
            self.login_with_password(self.wrong(),
                                     expected_status=http.client.UNAUTHORIZED)

    def test_max_failures_lock_even_the_right_code(self):
        self.fail(5)
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.login_with_password(self.code(),
                                 expected_status=http.client.UNAUTHORIZED)
        self.assertEqual('locked', attempts_of(self.uid)[-1]['status'])
        self.set_clock(2)
        self.login(self.code(), expected_status=http.client.UNAUTHORIZED)
        self.assertEqual('locked', attempts_of(self.uid)[-1]['status'])

    def test_lock_ends_after_lockout_duration(self):
        self.config_fixture.config(group='mfa', lockout_duration=120)
        self.fail(5)
        self.set_clock(119)
        self.login_with_password(self.code(),
                                 expected_status=http.client.UNAUTHORIZED)
        self.set_clock(121)
        self.login_with_password(self.code())
        self.assertEqual(0, lockout.failure_state(self.uid)['failed_attempts'])

    def test_success_resets_the_count(self):
        self.fail(4)
        self.login_with_password(self.code())
        self.assertEqual(0, lockout.failure_state(self.uid)['failed_attempts'])
        self.fail(4)
        self.set_clock(30)
        self.login_with_password(self.code())

    def test_threshold_from_config(self):
        self.config_fixture.config(group='mfa', max_failed_attempts=2)
        self.fail(2)
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.login_with_password(self.code(),
                                 expected_status=http.client.UNAUTHORIZED)
        self.assertEqual('locked', attempts_of(self.uid)[-1]['status'])

    def test_keystones_own_lockout_refuses_totp(self):
        self.config_fixture.config(group='security_compliance',
                                   lockout_failure_attempts=2,
                                   lockout_duration=600)
        for _ in range(2):
            self.issue(self.password_auth(self.uid, 'wrong'),
                       expected_status=http.client.UNAUTHORIZED)
        self.login(self.code(), expected_status=http.client.UNAUTHORIZED)
        self.assertEqual('locked', attempts_of(self.uid)[-1]['status'])
        # keystone's lockout is not counted as a second-factor failure
        self.assertIsNone(lockout.failure_state(self.uid))

    def test_disabled_user_and_disabled_domain_are_refused(self):
        code = self.code()
        PROVIDERS.identity_api.update_user(self.uid, {'enabled': False})
        self.login(code, expected_status=http.client.UNAUTHORIZED)
        PROVIDERS.identity_api.update_user(self.uid, {'enabled': True})
        PROVIDERS.resource_api.update_domain(self.user['domain_id'],
                                             {'enabled': False})
        self.login(code, expected_status=http.client.UNAUTHORIZED)
        self.assertIsNone(lockout.failure_state(self.uid))


class UnprovenFailureTestCase(_TOTPTestCase):
    """The code alone proves nothing of its sender.

    Anybody can name a user id. Failures of the code alone are throttled
    per user and client address and per user, never counted toward the
    owner's lockout, and once throttled even the right code gets neither
    a token nor a receipt.
    """

    ATTACKER = '203.0.113.7'
    OTHER = '198.51.100.20'
    OWNER = '192.0.2.30'

    def guess(self, address, passcode=None,
              expected_status=http.client.UNAUTHORIZED):
        return self.issue_from(
            address, self.totp_auth(self.uid, passcode or self.wrong()),
            expected_status=expected_status)

    def assert_throttled(self):
        last = attempts_of(self.uid)[-1]
        self.assertEqual('locked', last['status'])
        self.assertIn('throttled', last['message'])

    def test_code_alone_failures_never_lock_the_owner(self):
        for _ in range(5):
            self.guess(self.ATTACKER)
        self.assertEqual(['failure'] * 5,
                         [a['status'] for a in attempts_of(self.uid)])
        self.assertIsNone(lockout.failure_state(self.uid))
        # The owner's password and code are not throttled, from anywhere.
        self.issue_from(self.ATTACKER, self.with_password(
            {'user': {'id': self.uid, 'passcode': self.code()}}))

    def test_throttled_per_address_even_the_right_code(self):
        for _ in range(5):   # [mfa] unproven_max_failures_per_address
            self.guess(self.ATTACKER)
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.guess(self.ATTACKER, self.code())
        self.assert_throttled()
        # Another address still gets its code checked, for an hour.
        self.guess(self.OTHER, self.code(),
                   expected_status=http.client.CREATED)
        self.set_clock(3601)
        self.guess(self.ATTACKER, self.code(),
                   expected_status=http.client.CREATED)

    def test_throttled_per_user_from_all_addresses(self):
        self.config_fixture.config(group='mfa',
                                   unproven_max_failures_per_user=6)
        for _ in range(5):
            self.guess(self.ATTACKER)
        self.guess(self.OTHER)
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.guess(self.OWNER, self.code())
        self.assert_throttled()
        self.assertIsNone(lockout.failure_state(self.uid))
        self.issue_from(self.OWNER, self.with_password(
            {'user': {'id': self.uid, 'passcode': self.code()}}))
        self.set_clock(86401)
        self.guess(self.OWNER, self.code(),
                   expected_status=http.client.CREATED)

    def enable_rules(self):
        PROVIDERS.identity_api.update_user(self.uid, {'options': {
            'multi_factor_auth_enabled': True,
            'multi_factor_auth_rules': [['password', 'totp']]}})

    def test_throttled_code_alone_gets_no_receipt_but_the_owners_does(self):
        self.enable_rules()
        for _ in range(5):
            self.guess(self.ATTACKER)
        self.set_clock(1)
        r = self.guess(self.ATTACKER, self.code())
        self.assert_throttled()
        self.assertNotIn(RECEIPT_HEADER, r.headers)
        # The owner's receipt proves the password: the code is checked.
        r = self.issue_from(
            self.ATTACKER, self.password_auth(self.uid, self.user['password']),
            expected_status=http.client.UNAUTHORIZED)
        r = self.issue_from(self.ATTACKER, self.totp_auth(
            self.uid, self.code()),
            headers={RECEIPT_HEADER: r.headers[RECEIPT_HEADER]})
        self.assertEqual({'password', 'totp'},
                         set(r.result['token']['methods']))

    def test_failures_with_the_users_receipt_count(self):
        self.enable_rules()
        r = self.issue(self.password_auth(self.uid, self.user['password']),
                       expected_status=http.client.UNAUTHORIZED)
        receipt = {RECEIPT_HEADER: r.headers[RECEIPT_HEADER]}
        for _ in range(2):
            self.issue(self.totp_auth(self.uid, self.wrong()),
                       headers=receipt,
                       expected_status=http.client.UNAUTHORIZED)
        self.assertEqual(2, lockout.failure_state(self.uid)['failed_attempts'])

    def test_another_users_password_proves_nothing(self):
        other = unit.create_user(PROVIDERS.identity_api,
                                 domain_id=self.user['domain_id'])
        for _ in range(5):
            self.issue(self.with_password(
                {'user': {'id': self.uid, 'passcode': self.wrong()}},
                user=other), expected_status=http.client.UNAUTHORIZED)
        self.assertIsNone(lockout.failure_state(self.uid))
        self.assertIsNone(lockout.failure_state(other['id']))
        # They were guesses of the code alone: now throttled.
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.login(self.code(), expected_status=http.client.UNAUTHORIZED)
        self.assert_throttled()

    def test_a_password_naming_the_user_by_id_and_another_by_name(self):
        """keystone proves the name's password: the id is not proven."""
        attacker = unit.create_user(PROVIDERS.identity_api,
                                    domain_id=self.user['domain_id'])
        for _ in range(5):
            body = self.with_password(
                {'user': {'id': self.uid, 'passcode': self.wrong()}})
            body['auth']['identity']['password']['user'] = {
                'id': self.uid, 'name': attacker['name'],
                'domain': {'id': attacker['domain_id']},
                'password': attacker['password']}
            self.issue(body, expected_status=http.client.UNAUTHORIZED)
        self.assertIsNone(lockout.failure_state(self.uid))
        self.issue(self.with_password(
            {'user': {'id': self.uid, 'passcode': self.code()}}))


class BadInputTestCase(_TOTPTestCase):

    def post_payload(self, payload, expected, with_password=False):
        if with_password:
            body = self.with_password(payload)
        else:
            body = {'auth': {'identity': {'methods': ['totp'],
                                          'totp': payload}}}
        r = self.issue(body, expected_status=expected)
        self.assertEqual(expected, r.result['error']['code'])
        self.assertIn('message', r.result['error'])

    def test_malformed_payloads_are_400_and_change_nothing(self):
        uid = self.uid
        for payload in (
                {},
                {'user': 'someone'},
                {'user': None},
                {'user': {'id': uid}},
                {'user': {'id': uid, 'passcode': ''}},
                {'user': {'id': uid, 'passcode': None}},
                {'user': {'id': uid, 'passcode': 123456}},
                {'user': {'id': uid, 'passcode': ['123456']}},
                {'user': {'id': uid, 'passcode': '1' * 65}},
                {'user': {'id': 42, 'passcode': '123456'}},
                {'user': {'id': 'x' * 300, 'passcode': '123456'}},
                {'user': {'name': 'bob', 'passcode': '123456'}},
                {'user': {'name': 'bob', 'domain': 'default',
                          'passcode': '123456'}},
                {'user': {'passcode': '123456'}},
                'not-an-object',
        ):
            self.post_payload(payload, http.client.BAD_REQUEST)
        self.assertIsNone(lockout.failure_state(uid))
        self.assertEqual([], attempts_of(uid))

    def test_strange_passcodes_are_plain_failures(self):
        """With the password they count like any wrong code."""
        for passcode in ("' OR 1=1 --", '<script>', '١٢٣٤٥٦', '\u00e9' * 6,
                         '12345\u200b'):
            self.post_payload({'user': {'id': self.uid, 'passcode': passcode}},
                              http.client.UNAUTHORIZED, with_password=True)
        self.assertEqual(5, lockout.failure_state(self.uid)['failed_attempts'])
        self.assertEqual(['failure'] * 5,
                         [a['status'] for a in attempts_of(self.uid)])

    def test_nul_anywhere_is_400_and_changes_nothing(self):
        # PostgreSQL cannot compare text with a NUL: the lookups of these
        # ids and names were 500s there.
        name, domain = self.user['name'], self.user['domain_id']
        domain_name = PROVIDERS.resource_api.get_domain(domain)['name']
        code = self.code()
        for payload, field in (
                ({'user': {'id': 'a\x00b', 'passcode': code}}, 'user/id'),
                ({'user': {'id': self.uid + '\x00', 'passcode': code}},
                 'user/id'),
                ({'user': {'name': name + '\x00', 'domain': {'id': domain},
                           'passcode': code}}, 'user/name'),
                ({'user': {'name': name, 'domain': {'id': '\x00'},
                           'passcode': code}}, 'user/domain/id'),
                ({'user': {'name': name, 'domain': {'name': 'a\x00b'},
                           'passcode': code}}, 'user/domain/name'),
                ({'user': {'name': name,
                           'domain': {'name': domain_name + '\x00'},
                           'passcode': code}}, 'user/domain/name'),
                ({'user': {'id': self.uid, 'passcode': '\x00' * 6}},
                 'user/passcode'),
                ({'user': {'id': self.uid, 'passcode': '12345\x00'}},
                 'user/passcode'),
                ({'user': {'id': self.uid}, 'passcode': code + '\x00'},
                 'passcode'),
                ({'user': {'id': self.uid, 'passcode': code, 'a\x00': 1}},
                 'user'),
        ):
            body = {'auth': {'identity': {'methods': ['totp'],
                                          'totp': payload}}}
            r = self.issue(body, expected_status=http.client.BAD_REQUEST)
            self.assertEqual(f"Invalid input for field '{field}'.",
                             r.result['error']['message'])
        self.assertIsNone(lockout.failure_state(self.uid))
        self.assertEqual([], attempts_of())
        self.login(code)   # still unused

    def test_unknown_user_is_401_and_audited_without_a_user(self):
        self.post_payload({'user': {'id': uuid.uuid4().hex,
                                    'passcode': '123456'}},
                          http.client.UNAUTHORIZED)
        self.post_payload({'user': {'name': 'nobody',
                                    'domain': {'id': 'default'},
                                    'passcode': '123456'}},
                          http.client.UNAUTHORIZED)
        last = attempts_of()[-1]
        self.assertIsNone(last['user_id'])
        self.assertEqual('failure', last['status'])


class PasscodePlacementTestCase(_TOTPTestCase):
    """keystone's `user.passcode`, or api.md's passcode beside `user`."""

    def login_with(self, payload, expected_status, with_password=False):
        if with_password:
            body = self.with_password(payload)
        else:
            body = {'auth': {'identity': {'methods': ['totp'],
                                          'totp': payload}}}
        return self.issue(body, expected_status=expected_status)

    def test_passcode_beside_user(self):
        r = self.login_with({'user': {'id': self.uid},
                             'passcode': self.code()}, http.client.CREATED)
        self.assertEqual(self.uid, r.result['token']['user']['id'])
        # A wrong one beside the user, with the password, counts as usual.
        self.set_clock(30)
        self.login_with({'user': {'id': self.uid}, 'passcode': self.wrong()},
                        http.client.UNAUTHORIZED, with_password=True)
        self.assertEqual(1, lockout.failure_state(self.uid)['failed_attempts'])

    def test_passcode_beside_user_named_by_name(self):
        self.login_with({'user': {'name': self.user['name'],
                                  'domain': {'id': self.user['domain_id']}},
                         'passcode': self.code()}, http.client.CREATED)

    def test_the_same_passcode_in_both_places(self):
        code = self.code()
        self.login_with({'user': {'id': self.uid, 'passcode': code},
                         'passcode': code}, http.client.CREATED)

    def test_two_different_passcodes_are_400_and_change_nothing(self):
        code, wrong = self.code(), self.wrong()
        for user_code, totp_code in ((code, wrong), (wrong, code)):
            r = self.login_with({'user': {'id': self.uid,
                                          'passcode': user_code},
                                 'passcode': totp_code},
                                http.client.BAD_REQUEST)
            self.assertEqual("Invalid input for field 'passcode'.",
                             r.result['error']['message'])
            self.assertNotIn(code, r.body.decode())
        self.assertIsNone(lockout.failure_state(self.uid))
        self.assertEqual([], attempts_of())
        self.login_with({'user': {'id': self.uid}, 'passcode': code},
                        http.client.CREATED)

    def test_malformed_passcode_beside_user_is_400(self):
        for passcode in ('', None, 123456, ['123456'], '1' * 65):
            self.login_with({'user': {'id': self.uid}, 'passcode': passcode},
                            http.client.BAD_REQUEST)
        self.assertEqual([], attempts_of())


class MFARulesTestCase(_TOTPTestCase):

    def test_password_and_totp_in_one_request(self):
        body = self.password_auth(self.uid, self.user['password'])
        body['auth']['identity']['methods'].append('totp')
        body['auth']['identity']['totp'] = {
            'user': {'id': self.uid, 'passcode': self.code()}}
        r = self.issue(body)
        self.assertEqual({'password', 'totp'},
                         set(r.result['token']['methods']))

    def enable_rules(self):
        PROVIDERS.identity_api.update_user(self.uid, {'options': {
            'multi_factor_auth_enabled': True,
            'multi_factor_auth_rules': [['password', 'totp']]}})

    def test_receipt_flow(self):
        self.enable_rules()
        r = self.issue(self.password_auth(self.uid, self.user['password']),
                       expected_status=http.client.UNAUTHORIZED)
        receipt = r.headers[RECEIPT_HEADER]
        # keystone builds this list from a set: compare as sets
        self.assertEqual({frozenset(['password', 'totp'])},
                         {frozenset(rule) for rule
                          in r.result['required_auth_methods']})
        r = self.issue(self.totp_auth(self.uid, self.code()),
                       headers={RECEIPT_HEADER: receipt})
        self.assertEqual({'password', 'totp'},
                         set(r.result['token']['methods']))

    def test_either_factor_alone_gets_no_token(self):
        self.enable_rules()
        r = self.issue(self.totp_auth(self.uid, self.code()),
                       expected_status=http.client.UNAUTHORIZED)
        self.assertIn(RECEIPT_HEADER, r.headers)
        self.assertNotIn('token', r.result)


class AuditTestCase(_TOTPTestCase):

    CLIENT = '203.0.113.7'

    def setUp(self):
        super().setUp()
        self.config_fixture.config(group='oslo_messaging_notifications',
                                   driver=['test'])
        self.config_fixture.config(notification_opt_out=[])
        notifications.reset_notifier()
        self.addCleanup(notifications.reset_notifier)
        oslo_test_notifier.reset()
        self.addCleanup(oslo_test_notifier.reset)

    def cadf_outcomes(self):
        return [(m['event_type'], m['payload']['outcome'],
                 m['payload']['initiator'].get('id'))
                for _ctx, m, _prio, _retry in
                oslo_test_notifier.NOTIFICATIONS
                if m['event_type'].startswith('identity.authenticate')]

    def login_from(self, address, passcode, expected_status, headers=None):
        return self.issue_from(address, self.totp_auth(self.uid, passcode),
                               expected_status=expected_status,
                               headers=headers)

    def test_every_attempt_is_recorded_and_emitted(self):
        code = self.code()
        self.login_from(self.CLIENT, code, http.client.CREATED)
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.login_from(self.CLIENT, code, http.client.UNAUTHORIZED)
        rows = attempts_of(self.uid)
        self.assertEqual(['success', 'failure'],
                         [r['status'] for r in rows])
        for row in rows:
            self.assertEqual('totp', row['method'])
            self.assertEqual(self.user['domain_id'], row['domain_id'])
            self.assertEqual(self.CLIENT, row['client_ip'])
            self.assertNotIn(code, json.dumps(row, default=str))
        self.assertEqual('replayed code', rows[1]['message'])
        outcomes = [o for _e, o, _i in self.cadf_outcomes()]
        self.assertIn('success', outcomes)
        self.assertIn('failure', outcomes)

    def test_client_address_is_the_peer_unless_a_trusted_proxy(self):
        """Anybody can send X-Forwarded-For.

        Only `[mfa] trusted_proxies` are believed, and only a parsed IP
        address is recorded.
        """
        forwarded = {'X-Forwarded-For': '198.51.100.66'}
        self.login_from(self.CLIENT, self.wrong(), http.client.UNAUTHORIZED,
                        headers=forwarded)
        self.config_fixture.config(group='mfa',
                                   trusted_proxies=['203.0.113.0/24'])
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.login_from(self.CLIENT, self.wrong(), http.client.UNAUTHORIZED,
                        headers=forwarded)
        self.set_clock(2)
        self.login_from(self.CLIENT, self.wrong(), http.client.UNAUTHORIZED,
                        headers={'X-Forwarded-For': 'not-an-address'})
        self.assertEqual(['203.0.113.7', '198.51.100.66', '203.0.113.7'],
                         [a['client_ip'] for a in attempts_of(self.uid)])


class RejectedValuesAreNotEchoedTestCase(_TOTPTestCase):

    def test_a_malformed_passcode_is_not_repeated_back(self):
        for passcode in (987654321, '7' * 65):
            body = {'auth': {'identity': {'methods': ['totp'], 'totp': {
                'user': {'id': self.uid, 'passcode': passcode}}}}}
            r = self.issue(body, expected_status=http.client.BAD_REQUEST)
            self.assertNotIn(str(passcode)[:9], r.body.decode())
            self.assertIn('passcode', r.result['error']['message'])
