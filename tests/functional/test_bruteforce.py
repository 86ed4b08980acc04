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

With `[mfa] max_failed_attempts = 3`, `lockout_duration = 2` s and
`max_consecutive_failures = 9`, a few seconds of guessing go through
several timed locks into the cap: the server must have checked exactly 9
guesses, refused every other one as locked, and stay locked with no end
date. The same model then gives the defaults' figures, which must stay
below NIST SP 800-63B's 100 consecutive failures.
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
            'max_consecutive_failures': 9}
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
        env = dict(os.environ,
                   BRUTEFORCE_ADMIN_PASSWORD=self.server.admin_password)
        if password:
            env['BRUTEFORCE_USER_PASSWORD'] = password
        args = ['--url', self.server.url, '--user-id', user_id,
                '--kind', kind, '--duration', str(duration),
                '--max-guesses', '1000']
        for name, value in SETTINGS.items():
            args += ['--' + name.replace('_', '-'), str(value)]
        done = run_tool(*args, env=env)
        self.assertEqual(0, done.returncode, done.stderr)
        report = json.loads(done.stdout)
        print(f'\n{kind}: {json.dumps(report["measured"])}', flush=True)
        measured = report['measured']
        cap = SETTINGS['max_consecutive_failures']
        self.assertEqual(cap, measured['checked_failures'])
        self.assertEqual(0, measured['successes'])
        self.assertGreater(measured['guesses_sent'], cap)
        self.assertEqual({'locked': True, 'locked_until': None,
                          'failed_attempts': cap}, measured['state_after'])
        self.assertEqual({'401': measured['guesses_sent']},
                         measured['http_statuses'])
        # What it measured fits the model it extrapolates from.
        self.assertLessEqual(
            measured['checked_failures'],
            report['model_for_server_settings']['guesses_in_window'])
        defaults = report['defaults']
        self.assertEqual(20, defaults['guesses_per_hour_per_user'])
        self.assertEqual(50, defaults['guesses_until_admin_unlock'])
        self.assertTrue(defaults['below_nist_100_consecutive'])
        return report

    def test_totp_guesses(self):
        user = self.server.create_user()
        totp_helpers.add_totp_credential(self.server, user['id'])
        report = self.attack(user['id'], 'totp')
        self.assertEqual(report['measured']['guesses_sent'] - 9,
                         report['measured']['refused_as_locked'])

    def test_recovery_code_guesses(self):
        user = self.server.create_user()
        test_enumeration.owner_adapter(self.server, user).post(
            f'/users/{user["id"]}/recovery_codes')
        report = self.attack(user['id'], 'recovery')
        self.assertEqual(report['measured']['guesses_sent'] - 9,
                         report['measured']['refused_as_locked'])

    def test_sndfa_guesses_with_the_password_known(self):
        email = f'b{secrets.token_hex(4)}@example.org'
        user = self.server.create_user(email=email)
        me = test_enumeration.owner_adapter(self.server, user)
        me.get(f'/users/{user["id"]}/checkemail')
        link = mails.link_in(mails.last_mail(self.server, email))
        requests.post(link, json={}, timeout=30).raise_for_status()
        me.post(f'/users/{user["id"]}/sndfa', json={'enable': True})
        # Each receipt costs a password check and maybe a mail: slower.
        self.attack(user['id'], 'sndfa', password=user['password'],
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
