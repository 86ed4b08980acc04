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
"""`[mfa] max_consecutive_failures`: the NIST SP 800-63B 5.2.2 cap.

Timed locks alone let an attacker guess `max_failed_attempts` codes per
`lockout_duration` forever; the cap stops that until an admin unlocks.
Only failures of attempts that proved a first factor of the user (here:
the password in the same request) count; guesses of the code alone are
throttled instead and never lock the owner out.
"""

import http.client

import keystone.conf

from keystone_mfa_ext.lockout import core as lockout
from tests.unit.api import test_otp_devices
from tests.unit.auth import test_totp

CONF = keystone.conf.CONF
UNAUTHORIZED = http.client.UNAUTHORIZED
DURATION = 60
DAY = 86400


class _LockoutTestCase(test_otp_devices._DeviceTestCase):

    def setUp(self):
        super().setUp()
        dev = self.create().result['otp_device']
        self.otp = self.otp_of(dev)
        self.verify(dev, self.otp.at(self.ts))
        self.clock = self.token_clock = 30
        self.set_clock(self.clock)
        self.mfa_path = f'/users/{self.uid}/mfa'

    def tick(self, seconds):
        self.clock += seconds
        self.set_clock(self.clock)
        if self.clock - self.token_clock > 3000:
            # The owner's token expires (1 h) on the moved clock.
            self.token_clock = self.clock
            self.owner_token = self.token(
                self.target, project_id=self.target_project['id'])

    def wrong(self):
        return '000000' if self.otp.at(self.ts) != '000000' else '111111'

    def with_password(self, passcode):
        """The owner's password and `passcode` in one request.

        Only such an attempt (or one with the owner's receipt) proves a
        first factor of the user, so only its failures count toward the
        lockout and the cap.
        """
        auth = self.build_authentication_request(
            user_id=self.uid, password=self.target['password'],
            passcode=passcode)
        auth['auth']['identity']['methods'] = ['password', 'totp']
        return auth

    def login(self, passcode, expected_status=http.client.CREATED):
        return self.issue(self.with_password(passcode),
                          expected_status=expected_status)

    def guess(self, passcode, expected_status=UNAUTHORIZED):
        """`passcode` alone, as anybody who knows only the user id can."""
        return self.issue(self.totp_auth(self.uid, passcode),
                          expected_status=expected_status)

    def fail(self, times):
        for _ in range(times):
            self.login(self.wrong(), expected_status=UNAUTHORIZED)

    def right_code(self, expected_status=http.client.CREATED):
        """Log in with the code of a fresh time step (no replay)."""
        self.tick(30)
        return self.login(self.otp.at(self.ts), expected_status)

    def mfa_state(self):
        return self.get(self.mfa_path,
                        token=self.owner_token).result['mfa']

    def fail_through_timed_locks(self, failures):
        """`failures` wrong codes, waiting out each timed lock."""
        for done in range(failures):
            self.login(self.wrong(), expected_status=UNAUTHORIZED)
            if (done + 1) % CONF.mfa.max_failed_attempts == 0:
                self.tick(CONF.mfa.lockout_duration + 1)


class ConsecutiveFailureCapTestCase(_LockoutTestCase):

    def setUp(self):
        super().setUp()
        self.config_fixture.config(group='mfa', max_failed_attempts=5,
                                   lockout_duration=DURATION,
                                   max_consecutive_failures=12)

    def test_timed_locks_keep_the_consecutive_count(self):
        self.fail(5)
        self.right_code(UNAUTHORIZED)   # timed lock
        self.tick(DURATION + 1)
        self.fail(4)
        state = self.mfa_state()
        self.assertEqual(9, state['failed_attempts'])
        self.assertFalse(state['locked'])
        self.fail(1)
        state = self.mfa_state()
        self.assertTrue(state['locked'])
        self.assertIsNotNone(state['locked_until'])
        self.assertEqual(10, state['failed_attempts'])

    def test_cap_locks_until_an_admin_unlocks(self):
        # A two-factor token from before the failures may still change
        # factors (it is recent enough)...
        self.tick(30)
        two_factor = self.get_requested_token(
            self.with_password(self.otp.at(self.ts)))
        self.fail_through_timed_locks(12)
        state = self.mfa_state()
        self.assertEqual((True, None, 12), (
            state['locked'], state['locked_until'],
            state['failed_attempts']))
        # ...but verifying another device does not get around the cap.
        dev = self.create(token=two_factor).result['otp_device']
        self.post(f'{self.path}/{dev["id"]}/verify',
                  body={'verify': {'code': self.otp_of(dev).at(self.ts)}},
                  token=two_factor, expected_status=http.client.BAD_REQUEST)
        # No timed lock ends it: a week later even the right code fails.
        self.tick(7 * DAY)
        self.right_code(UNAUTHORIZED)
        last = test_totp.attempts_of(self.uid)[-1]
        self.assertEqual('locked', last['status'])
        self.assertIn('until an admin unlocks', last['message'])
        # Refusals while capped are not counted again.
        self.assertEqual(
            12, lockout.failure_state(self.uid)['failed_attempts'])
        # The owner cannot unlock; an admin can.
        self.patch(self.mfa_path, body={'mfa': {'unlock': True}},
                   token=self.owner_token,
                   expected_status=http.client.FORBIDDEN)
        state = self.patch(self.mfa_path, body={'mfa': {'unlock': True}},
                           token=self.token(self.system_admin, system=True)
                           ).result['mfa']
        self.assertEqual((False, None, 0), (
            state['locked'], state['locked_until'],
            state['failed_attempts']))
        self.right_code()

    def test_admin_reset_clears_the_cap(self):
        self.fail_through_timed_locks(12)
        self.delete(self.mfa_path,
                    token=self.token(self.system_admin, system=True))
        self.assertIsNone(lockout.failure_state(self.uid))

    def test_a_success_resets_the_count(self):
        self.fail_through_timed_locks(10)
        self.fail(1)
        self.right_code()
        self.assertEqual(0, self.mfa_state()['failed_attempts'])
        self.fail_through_timed_locks(11)
        self.right_code()

    def test_zero_turns_the_cap_off(self):
        self.config_fixture.config(group='mfa', max_consecutive_failures=0)
        self.fail_through_timed_locks(30)
        self.assertEqual(30, self.mfa_state()['failed_attempts'])
        self.right_code()

    def test_lower_cap_applies_to_counts_already_reached(self):
        self.fail(4)
        self.config_fixture.config(group='mfa', max_consecutive_failures=3)
        state = self.mfa_state()
        self.assertTrue(state['locked'])
        self.assertIsNone(state['locked_until'])
        self.right_code(UNAUTHORIZED)


class DefaultCapTestCase(_LockoutTestCase):

    def test_defaults_stop_guessing_below_nists_one_hundred(self):
        self.assertEqual((5, 900, 50), (
            CONF.mfa.max_failed_attempts, CONF.mfa.lockout_duration,
            CONF.mfa.max_consecutive_failures))
        self.fail_through_timed_locks(49)
        self.assertFalse(self.mfa_state()['locked'])
        self.fail(1)
        self.tick(30 * DAY)
        self.right_code(UNAUTHORIZED)
        state = self.mfa_state()
        self.assertEqual((True, None, 50), (
            state['locked'], state['locked_until'],
            state['failed_attempts']))

    def test_guesses_without_the_password_never_reach_the_cap(self):
        """Code-alone guesses, more than the cap, never lock the owner.

        Anybody can send the code alone for a user id: such guesses, even
        all of them checked, are throttled on their own instead.
        """
        guesses = CONF.mfa.max_consecutive_failures + 5
        spacing = DAY // CONF.mfa.unproven_max_failures_per_user + 1
        before = len(test_totp.attempts_of(self.uid))
        for _ in range(guesses):
            self.guess(self.wrong())
            self.tick(spacing)   # below both throttles of code-alone guesses
        self.assertEqual(['failure'] * guesses,
                         [a['status'] for a
                          in test_totp.attempts_of(self.uid)[before:]])
        state = self.mfa_state()
        self.assertEqual((False, None, 0), (
            state['locked'], state['locked_until'],
            state['failed_attempts']))
        self.right_code()
