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
"""Past windows: `[mfa] totp_past_windows` if set, else keystone's option.

An operator moving from keystone's built-in totp driver keeps `[totp]
included_previous_windows`; setting ours takes over, with a warning when
the two differ; a provider's `past_windows` still overrides both.
"""

import http.client
import os

import fixtures
from keystone.common import provider_api
from keystone.tests import unit
import pyotp

from keystone_mfa_ext.providers import core as providers_core
from keystone_mfa_ext.totp import windows
from tests.unit import base

PROVIDERS = provider_api.ProviderAPIs
UNAUTHORIZED = http.client.UNAUTHORIZED


class PrecedenceTestCase(unit.TestCase):
    """keystone's test config, loaded from a real keystone.conf."""

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(
            name=windows.__name__, level='WARNING'))

    def load(self, text):
        """Parse keystone's configuration from a file holding `text`."""
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'keystone.conf')
        with open(path, 'w') as f:
            f.write(text)
        self.config([path])

    def test_neither_set_is_one_step(self):
        self.load('')
        self.assertEqual(1, windows.past_windows())

    def test_keystones_option_applies_when_ours_is_not_set(self):
        for value in (0, 4, 10):
            self.load(f'[totp]\nincluded_previous_windows = {value}\n')
            self.assertEqual(value, windows.past_windows())

    def test_ours_wins_when_set(self):
        self.load('[mfa]\ntotp_past_windows = 2\n'
                  '[totp]\nincluded_previous_windows = 4\n')
        self.assertEqual(2, windows.past_windows())

    def test_ours_wins_even_at_its_default_value(self):
        self.load('[mfa]\ntotp_past_windows = 1\n'
                  '[totp]\nincluded_previous_windows = 0\n')
        self.assertEqual(1, windows.past_windows())

    def test_overrides_count_as_set(self):
        self.load('')
        self.config_fixture.config(group='totp', included_previous_windows=3)
        self.assertEqual(3, windows.past_windows())
        self.config_fixture.config(group='mfa', totp_past_windows=0)
        self.assertEqual(0, windows.past_windows())

    def test_a_cleared_override_leaves_keystones_option_in_charge(self):
        # oslo.config reports an override's location after it is cleared
        # (keystone's tests and ours override these options in one process):
        # an override to the default value counts as not set.
        self.load('')
        self.config_fixture.config(group='mfa', totp_past_windows=3)
        self.config_fixture.conf.clear_override('totp_past_windows', 'mfa')
        self.config_fixture.config(group='totp', included_previous_windows=4)
        self.assertEqual(4, windows.past_windows())
        self.config_fixture.config(group='mfa', totp_past_windows=1)
        self.assertEqual(4, windows.past_windows())

    def test_warns_when_both_are_set_and_differ(self):
        self.load('[mfa]\ntotp_past_windows = 2\n'
                  '[totp]\nincluded_previous_windows = 4\n')
        self.assertTrue(windows.check_options())
        self.assertIn('[mfa] totp_past_windows = 2 and [totp] '
                      'included_previous_windows = 4 differ',
                      self.logs.output)
        self.assertIn('accepts codes up to 2 time steps old',
                      self.logs.output)

    def test_silent_when_they_agree_or_only_one_is_set(self):
        for text in ('', '[mfa]\ntotp_past_windows = 3\n',
                     '[totp]\nincluded_previous_windows = 3\n',
                     '[mfa]\ntotp_past_windows = 3\n'
                     '[totp]\nincluded_previous_windows = 3\n'):
            self.load(text)
            self.assertFalse(windows.check_options(), text)
        self.assertEqual('', self.logs.output)

    def test_first_use_in_a_process_warns_once(self):
        self.useFixture(fixtures.MockPatchObject(windows, '_checked', False))
        self.load('[mfa]\ntotp_past_windows = 2\n'
                  '[totp]\nincluded_previous_windows = 4\n')
        windows.past_windows()
        windows.past_windows()
        self.assertEqual(1, self.logs.output.count('differ'))

    def test_a_start_up_check_is_not_repeated_at_first_use(self):
        self.useFixture(fixtures.MockPatchObject(windows, '_checked', False))
        self.load('[mfa]\ntotp_past_windows = 2\n'
                  '[totp]\nincluded_previous_windows = 4\n')
        windows.check_options()
        windows.past_windows()
        self.assertEqual(1, self.logs.output.count('differ'))

    def test_provider_defaults_follow_the_same_rule(self):
        self.load('[totp]\nincluded_previous_windows = 0\n')
        self.assertEqual(0, providers_core.defaults('totp')['past_windows'])
        self.load('[mfa]\ntotp_past_windows = 5\n'
                  '[totp]\nincluded_previous_windows = 0\n')
        self.assertEqual(5, providers_core.defaults('totp')['past_windows'])


class DriverTestCase(base.TOTPRestfulTestCase):
    """The window the mfa_ext driver applies to a keystone totp credential."""

    def setUp(self):
        super().setUp()
        secret = pyotp.random_base32(32)
        ref = unit.new_totp_credential(self.user['id'], blob=secret)
        PROVIDERS.credential_api.create_credential(ref['id'], ref)
        self.otp = pyotp.TOTP(secret)

    def login(self, seconds_ago, expected_status=http.client.CREATED):
        code = self.otp.at(self.ts - seconds_ago)
        return self.issue(self.totp_auth(self.user['id'], code),
                          expected_status=expected_status)

    def test_keystones_option_sets_the_driver_window(self):
        self.config_fixture.config(group='totp', included_previous_windows=4)
        self.login(150, expected_status=UNAUTHORIZED)
        self.login(120)

    def test_keystones_zero_refuses_the_previous_step(self):
        self.config_fixture.config(group='totp', included_previous_windows=0)
        self.login(30, expected_status=UNAUTHORIZED)
        self.login(0)

    def test_ours_wins_over_keystones(self):
        self.config_fixture.config(group='totp', included_previous_windows=4)
        self.config_fixture.config(group='mfa', totp_past_windows=2)
        self.login(90, expected_status=UNAUTHORIZED)
        self.login(60)

    def test_a_system_provider_overrides_keystones_option(self):
        self.config_fixture.config(group='totp', included_previous_windows=4)
        providers_core.create(None, {'name': 'p', 'provider_name': 'totp',
                                     'settings': {'past_windows': 0}})
        self.login(30, expected_status=UNAUTHORIZED)
        self.login(0)

    def test_a_domain_provider_overrides_keystones_option(self):
        self.config_fixture.config(group='totp', included_previous_windows=0)
        providers_core.create(self.user['domain_id'], {
            'name': 'p', 'provider_name': 'totp',
            'settings': {'past_windows': 2}})
        self.login(60)
