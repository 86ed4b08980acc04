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
"""tools/bruteforce.py against a real server with shortened lockouts.

An attacker who knows the password: with `[mfa] max_failed_attempts = 3`,
`lockout_duration = 2` s and `max_consecutive_failures = 9`, a few seconds
of guessing go through several timed locks into the cap: the server must
have checked exactly 9 guesses, refused every other one as locked, and
stay locked with no end date. The same model then gives the defaults'
figures, which must stay below NIST SP 800-63B's 100 consecutive failures.

An attacker who knows only the user id (the totp method alone): with
`unproven_max_failures_per_address = 4`, exactly 4 guesses are checked
from one address, the rest are refused unchecked, and the owner is never
locked: the password and the right code still log in.
"""

import json
import os
import secrets
import subprocess
import sys

import requests
import testtools

from keystone_mfa_ext.conf import mfa as mfa_opts
from tests.functional import base
from tests.functional import mail_helpers as mails
from tests.functional import test_enumeration
from tests.functional import totp_helpers

TOOL = os.path.join(os.path.dirname(__file__), '..', '..', 'tools',
                    'bruteforce.py')
SETTINGS = {'max_failed_attempts': 3, 'lockout_duration': 2,
            'max_consecutive_failures': 9,
            'unproven_max_failures_per_address': 4,
            'unproven_max_failures_per_user': 6}
CONFIG = '[mfa]\n' + ''.join(f'{k} = {v}\n' for k, v in SETTINGS.items())
DURATION = 10


def run_tool(*args, env=None):
    return subprocess.run([sys.executable, TOOL, *args], env=env,
                          capture_output=True, text=True, timeout=300)


class BruteForceTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = base.shared_server(extra_config=CONFIG)

    def attack(self, user_id, kind, password=None, duration=DURATION):
        """Run the tool; return its report after the common checks."""
        env = dict(os.environ,
                   BRUTEFORCE_ADMIN_PASSWORD=self.server.admin_password)
        args = ['--url', self.server.url, '--user-id', user_id,
                '--kind', kind, '--duration', str(duration),
                '--max-guesses', '1000']
        if password:
            env['BRUTEFORCE_USER_PASSWORD'] = password
        else:
            args += ['--attacker', 'anonymous']
        for name, value in SETTINGS.items():
            args += ['--' + name.replace('_', '-'), str(value)]
        done = run_tool(*args, env=env)
        self.assertEqual(0, done.returncode, done.stderr)
        report = json.loads(done.stdout)
        print(f'\n{kind} ({report["attacker"]}): '
              f'{json.dumps(report["measured"])}', flush=True)
        measured = report['measured']
        self.assertEqual(0, measured['successes'])
        self.assertEqual({'401': measured['guesses_sent']},
                         measured['http_statuses'])
        # What it measured fits the model it extrapolates from.
        self.assertLessEqual(
            measured['checked_failures'],
            report['model_for_server_settings']['guesses_in_window'])
        if kind != 'sndfa':   # sndfa also asks for codes: more refusals
            self.assertEqual(measured['guesses_sent'] - measured[
                'checked_failures'], measured['refused_as_locked'])
        return report

    def attack_knowing_the_password(self, user, kind, duration=DURATION):
        report = self.attack(user['id'], kind, password=user['password'],
                             duration=duration)
        measured = report['measured']
        cap = SETTINGS['max_consecutive_failures']
        self.assertEqual(cap, measured['checked_failures'])
        self.assertGreater(measured['guesses_sent'], cap)
        self.assertEqual({'locked': True, 'locked_until': None,
                          'failed_attempts': cap}, measured['state_after'])
        defaults = report['defaults']
        self.assertEqual(20, defaults['guesses_per_hour_per_user'])
        self.assertEqual(50, defaults['guesses_until_admin_unlock'])
        self.assertTrue(defaults['below_nist_100_consecutive'])
        return report

    def attack_anonymously(self, user, kind):
        report = self.attack(user['id'], kind)
        measured = report['measured']
        self.assertEqual(SETTINGS['unproven_max_failures_per_address'],
                         measured['checked_failures'])
        self.assertGreater(measured['guesses_sent'],
                           measured['checked_failures'])
        self.assertEqual({'locked': False, 'locked_until': None,
                          'failed_attempts': 0}, measured['state_after'])
        defaults = report['defaults']
        self.assertEqual(5, defaults['guesses_per_hour_per_address'])
        self.assertEqual(20, defaults['guesses_per_day_per_user'])
        self.assertFalse(defaults['locks_the_owner_out'])
        return report

    def password_and_code(self, user, passcode):
        return requests.post(self.server.auth_url + '/auth/tokens', json={
            'auth': {'identity': {
                'methods': ['password', 'totp'],
                'password': {'user': {'id': user['id'],
                                      'password': user['password']}},
                'totp': {'user': {'id': user['id'],
                                  'passcode': passcode}}}}}, timeout=30)

    def test_totp_guesses_with_the_password_known(self):
        user = self.server.create_user()
        totp_helpers.add_totp_credential(self.server, user['id'])
        self.attack_knowing_the_password(user, 'totp')

    def test_recovery_code_guesses_with_the_password_known(self):
        user = self.server.create_user()
        test_enumeration.owner_adapter(self.server, user).post(
            f'/users/{user["id"]}/recovery_codes')
        self.attack_knowing_the_password(user, 'recovery')

    def test_anonymous_totp_guesses_never_lock_the_owner_out(self):
        user = self.server.create_user()
        phone = totp_helpers.add_totp_credential(self.server, user['id'])
        self.attack_anonymously(user, 'totp')
        # Throttled anonymous attempts are refused even with the right
        # code (no token, no receipt) ...
        anonymous = requests.post(
            self.server.auth_url + '/auth/tokens',
            json=totp_helpers.totp_body(user['id'], phone.now()), timeout=30)
        self.assertEqual(401, anonymous.status_code)
        # ... while the owner's password and code log in as ever.
        self.assertEqual(201, self.password_and_code(
            user, phone.now()).status_code)

    def test_anonymous_recovery_code_guesses_never_lock_the_owner_out(self):
        user = self.server.create_user()
        codes = test_enumeration.owner_adapter(self.server, user).post(
            f'/users/{user["id"]}/recovery_codes').json()
        self.attack_anonymously(user, 'recovery')
        self.assertEqual(201, self.password_and_code(
            user, codes['recovery_codes']['codes'][0]).status_code)

    def test_sndfa_guesses_with_the_password_known(self):
        email = f'b{secrets.token_hex(4)}@example.org'
        user = self.server.create_user(email=email)
        me = test_enumeration.owner_adapter(self.server, user)
        me.get(f'/users/{user["id"]}/checkemail')
        link = mails.link_in(mails.last_mail(self.server, email))
        requests.post(link, json={}, timeout=30).raise_for_status()
        me.post(f'/users/{user["id"]}/sndfa', json={'enable': True})
        # Each receipt costs a password check and maybe a mail: slower.
        self.attack_knowing_the_password(user, 'sndfa',
                                         duration=3 * DURATION)

    def test_defaults_in_the_tool_are_the_products(self):
        done = run_tool('--help')
        self.assertEqual(0, done.returncode)
        for name in SETTINGS:
            opt = getattr(mfa_opts, name)
            self.assertIn(f'(default: {opt.default})',
                          ' '.join(done.stdout.split()))

    def test_refuses_targets_off_this_machine(self):
        env = dict(os.environ, BRUTEFORCE_ADMIN_PASSWORD='x')
        for url in ('http://192.0.2.1:5000', 'http://10.0.0.1'):
            done = run_tool('--url', url, '--user-id', 'u', env=env)
            self.assertEqual(2, done.returncode)
            self.assertIn('not a loopback address', done.stderr)
        done = run_tool('--url', self.server.url, '--user-id', 'u',
                        '--max-guesses', '100000', env=env)
        self.assertEqual(2, done.returncode)
