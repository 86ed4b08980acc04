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
"""Our managers on our provider registry, keystone's left as it is.

keystone locks its provider registry before it loads auth methods or the
WSGI app: our managers register on keystone_mfa_ext.common.provider_api's
registry, which reads through to keystone's. These tests pin that
keystone's registry and its lock are untouched.
"""

from keystone.common import provider_api as ks_provider_api

from keystone_mfa_ext.attempts.backends import base as attempts_base
from keystone_mfa_ext.attempts.backends import sql as attempts_sql
from keystone_mfa_ext.attempts import core as attempts_core
from keystone_mfa_ext import backends
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.devices.backends import base as devices_base
from keystone_mfa_ext.devices.backends import sql as devices_sql
from keystone_mfa_ext.devices import core as devices_core
from keystone_mfa_ext.enforcement.backends import base as enforcement_base
from keystone_mfa_ext.enforcement.backends import sql as enforcement_sql
from keystone_mfa_ext.enforcement import core as enforcement_core
from keystone_mfa_ext.lockout.backends import base as lockout_base
from keystone_mfa_ext.lockout.backends import sql as lockout_sql
from keystone_mfa_ext.lockout import core as lockout_core
from keystone_mfa_ext.providers.backends import base as providers_base
from keystone_mfa_ext.providers.backends import sql as providers_sql
from keystone_mfa_ext.providers import core as providers_core
from keystone_mfa_ext.ratelimit.backends import base as ratelimit_base
from keystone_mfa_ext.ratelimit.backends import sql as ratelimit_sql
from keystone_mfa_ext.ratelimit import core as ratelimit_core
from keystone_mfa_ext.recovery.backends import base as recovery_base
from keystone_mfa_ext.recovery.backends import sql as recovery_sql
from keystone_mfa_ext.recovery import core as recovery_core
from keystone_mfa_ext.sndfa.backends import base as spassword_base
from keystone_mfa_ext.sndfa.backends import sql as spassword_sql
from keystone_mfa_ext.sndfa import core as spassword_core
from keystone_mfa_ext.totp.backends import base as totp_base
from keystone_mfa_ext.totp.backends import sql as totp_sql
from keystone_mfa_ext.totp import core as totp_core
from tests.unit import base

PROVIDERS = provider_api.ProviderAPIs
KEYSTONES = ks_provider_api.ProviderAPIs


class BackendsTestCase(base.TOTPRestfulTestCase):

    def test_managers_with_their_sql_drivers(self):
        for api, manager_class, driver_class, base_class in (
                ('mfa_attempt_api', attempts_core.Manager,
                 attempts_sql.Attempts, attempts_base.AttemptDriverBase),
                ('mfa_device_api', devices_core.Manager,
                 devices_sql.Device, devices_base.DeviceDriverBase),
                ('mfa_enforcement_api', enforcement_core.Manager,
                 enforcement_sql.Enforcement,
                 enforcement_base.EnforcementDriverBase),
                ('mfa_lockout_api', lockout_core.Manager,
                 lockout_sql.Lockout, lockout_base.LockoutDriverBase),
                ('mfa_provider_api', providers_core.Manager,
                 providers_sql.Providers, providers_base.ProviderDriverBase),
                ('mfa_rate_api', ratelimit_core.Manager,
                 ratelimit_sql.RateLimit, ratelimit_base.RateDriverBase),
                ('mfa_email_api', spassword_core.Manager,
                 spassword_sql.Email, spassword_base.EmailDriverBase),
                ('mfa_recovery_api', recovery_core.Manager,
                 recovery_sql.Recovery, recovery_base.RecoveryDriverBase),
                ('mfa_totp_api', totp_core.Manager,
                 totp_sql.TOTP, totp_base.TOTPDriverBase)):
            manager = getattr(PROVIDERS, api)
            self.assertIsInstance(manager, manager_class)
            self.assertIsInstance(manager.driver, driver_class)
            self.assertIsInstance(manager.driver, base_class)
        self.assertEqual(
            {m._provides_api for m in backends.MANAGERS},
            {'mfa_attempt_api', 'mfa_device_api', 'mfa_email_api',
             'mfa_enforcement_api', 'mfa_lockout_api', 'mfa_provider_api',
             'mfa_rate_api', 'mfa_recovery_api', 'mfa_totp_api'})

    def test_core_modules_hand_out_the_registered_manager(self):
        self.assertEqual(PROVIDERS.mfa_device_api.create,
                         devices_core.create)
        self.assertEqual(PROVIDERS.mfa_recovery_api.summary,
                         recovery_core.summary)
        self.assertRaises(AttributeError, getattr, devices_core, 'nothing')
        self.assertRaises(AttributeError, getattr, recovery_core, '_x')

    def test_keystones_registry_stays_locked_and_without_ours(self):
        self.assertTrue(KEYSTONES.locked)
        for manager_class in backends.MANAGERS:
            name = manager_class._provides_api
            self.assertIsInstance(getattr(PROVIDERS, name), manager_class)
            self.assertFalse(hasattr(KEYSTONES, name), name)

    def test_keystones_apis_read_through(self):
        self.assertIs(KEYSTONES.identity_api, PROVIDERS.identity_api)
        self.assertRaises(AttributeError, getattr, PROVIDERS, 'no_such_api')

    def test_loading_twice_keeps_the_managers(self):
        registered = PROVIDERS.mfa_device_api
        backends.load_backends()
        self.assertIs(registered, PROVIDERS.mfa_device_api)
        self.assertRaises(ks_provider_api.DuplicateProviderError,
                          PROVIDERS.register, 'mfa_device_api', object())
        self.assertRaises(ks_provider_api.DuplicateProviderError,
                          PROVIDERS.register, 'identity_api', object())

    def test_driver_option(self):
        self.config_fixture.config(group='mfa', device_driver='no-such')
        PROVIDERS.clear()
        self.assertRaises(ImportError, backends.load_backends)
