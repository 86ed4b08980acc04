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
"""keystone's tests of totp, MFA rules and auth receipts, on our driver.

Every keystone class below is keystone's own test class (keystone.tests.unit,
installed with keystone), extended only by what a deployment of ours adds:

- `[auth] totp = mfa_ext`, set in keystone's own hooks `config_overrides()`
  and `auth_plugin_config_override()`;
- our tables, made by our real migrations right after keystone's
  `ksfixtures.Database` made keystone's (as `keystone-manage db_sync` then
  `keystone-mfa-ext-manage db_sync`);
- keystone's test app extended by keystone_mfa_ext.wsgi.extension, as our
  WSGI app extends keystone's.

They run on keystone's own database fixture (in-memory SQLite), as in
keystone; MFA_EXT_TEST_DB_BACKEND does not move them to another server.

No keystone test is copied or edited. Where a class holds more than the
totp/MFA tests, `selected` keeps the tests whose name contains it. A
keystone test our extension fails on purpose (a stricter rule of ours) does
not run here; it is listed in DIFFERENT_ON_PURPOSE with the reason and the
test of ours that asserts our rule, and SuiteTestCase checks the list.
"""

import unittest

from keystone.auth import core as ks_auth
import keystone.conf
from keystone.tests.unit.auth.plugins import test_core as ks_plugins_core
from keystone.tests.unit.ksfixtures import database as ks_database
from keystone.tests.unit.receipt import test_fernet_provider as ks_fernet
from keystone.tests.unit.receipt import test_receipt_serialization as ks_rs
from keystone.tests.unit import test_auth_plugin as ks_auth_plugin
from keystone.tests.unit import test_receipt_provider as ks_receipt_provider
from keystone.tests.unit import test_v3
from keystone.tests.unit import test_v3_auth as ks_v3_auth
from keystone.tests.unit import test_v3_credential as ks_v3_credential
from keystone.tests.unit import test_validation as ks_validation
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import testtools

from keystone_mfa_ext.auth.plugins import totp as totp_plugin
from keystone_mfa_ext.common.sql import migration
from keystone_mfa_ext.wsgi import extension as wsgi_extension

CONF = keystone.conf.CONF

# keystone 30's tests selected below (KEYSTONE_CASES): a keystone upgrade
# that adds, removes or renames one changes the number, and SuiteTestCase
# fails until someone has looked at the difference.
KEYSTONE_TEST_COUNT = 68

# 'Class.test_name' of a selected keystone test that our extension fails on
# purpose -> (the reason: our stricter rule, the id of our test asserting
# that rule). Such a test is left out of this suite, never skipped. Empty:
# all 68 of keystone's expectations hold with our driver.
DIFFERENT_ON_PURPOSE = {}


def use_mfa_ext_totp(config):
    """`[auth] totp = mfa_ext` on keystone's test config fixture.

    keystone registers `[auth] <method>` only for the methods in `[auth]
    methods` (keystone.conf.auth.setup_authentication, which its tests route
    to the config fixture); register it the same way so the driver is ours
    also where a test enables `totp` only later (TestAuthMFA) or never
    (the credential tests, which only need our WSGI extension).
    """
    config.register_opt(cfg.StrOpt('totp'), group='auth')
    config.config(group='auth', totp='mfa_ext')


class WithExtension:
    """Our tables and our WSGI extension on any keystone test case."""

    # Only keystone tests whose name contains this run here (None: all).
    selected = None

    def useFixture(self, fixture):
        used = super().useFixture(fixture)
        if isinstance(fixture, ks_database.Database):
            migration.db_sync()
        return used

    def loadapp(self, name='public'):
        return wsgi_extension.extend_app(super().loadapp(name=name))


class TestCaseWithExtension(WithExtension):
    """For keystone's unit.TestCase: extends its config_overrides()."""

    def config_overrides(self):
        super().config_overrides()
        use_mfa_ext_totp(self.config_fixture)


class RestfulWithExtension(TestCaseWithExtension):
    """For keystone's RestfulTestCase: also its auth plugin override."""

    def auth_plugin_config_override(self, *args, **kwargs):
        # keystone's classes override this with their own signatures
        # (TestAuthTOTP takes no argument); pass on whatever keystone passes.
        super().auth_plugin_config_override(*args, **kwargs)
        use_mfa_ext_totp(self.config_fixture)


class BaseTestCaseWithExtension(WithExtension):
    """For keystone's BaseTestCase (no config_overrides): after setUp."""

    def setUp(self):
        super().setUp()
        config = getattr(self, 'config_fixture', None)
        if config is None:
            config = self.useFixture(config_fixture.Config(CONF))
        use_mfa_ext_totp(config)


# keystone.tests.unit.test_v3_auth
class TestAuthTOTP(RestfulWithExtension, ks_v3_auth.TestAuthTOTP):
    pass


class TestMFARules(RestfulWithExtension, ks_v3_auth.TestMFARules):
    pass


# keystone.tests.unit.test_v3_credential: the totp credential tests.
class TestCredentialTrustScoped(RestfulWithExtension,
                                ks_v3_credential.TestCredentialTrustScoped):
    selected = 'totp'


class TestCredentialAppCreds(RestfulWithExtension,
                             ks_v3_credential.TestCredentialAppCreds):
    selected = 'totp'


# keystone.tests.unit.receipt.test_fernet_provider
class TestFernetReceiptProvider(TestCaseWithExtension,
                                ks_fernet.TestFernetReceiptProvider):
    pass


class TestValidate(TestCaseWithExtension, ks_fernet.TestValidate):
    pass


class TestReceiptFormatter(TestCaseWithExtension,
                           ks_fernet.TestReceiptFormatter):
    pass


class TestPayloads(TestCaseWithExtension, ks_fernet.TestPayloads):
    pass


class TestFernetKeyRotation(TestCaseWithExtension,
                            ks_fernet.TestFernetKeyRotation):
    pass


class TestLoadKeys(TestCaseWithExtension, ks_fernet.TestLoadKeys):
    pass


# keystone.tests.unit.receipt.test_receipt_serialization
class TestReceiptSerialization(BaseTestCaseWithExtension,
                               ks_rs.TestReceiptSerialization):
    pass


# keystone.tests.unit.test_receipt_provider
class TestReceiptProvider(TestCaseWithExtension,
                          ks_receipt_provider.TestReceiptProvider):
    pass


# keystone.tests.unit.test_auth_plugin
class TestAuthMFA(TestCaseWithExtension, ks_auth_plugin.TestAuthMFA):
    pass


# keystone.tests.unit.auth.plugins.test_core
class TestPluginCore(TestCaseWithExtension, ks_plugins_core.TestPluginCore):
    pass


# keystone.tests.unit.test_validation: the MFA rule option tests.
class UserValidationTestCase(BaseTestCaseWithExtension,
                             ks_validation.UserValidationTestCase):
    selected = 'mfa'


KEYSTONE_CASES = [
    TestAuthTOTP, TestMFARules, TestCredentialTrustScoped,
    TestCredentialAppCreds, TestFernetReceiptProvider, TestValidate,
    TestReceiptFormatter, TestPayloads, TestFernetKeyRotation, TestLoadKeys,
    TestReceiptSerialization, TestReceiptProvider, TestAuthMFA,
    TestPluginCore, UserValidationTestCase,
]


def keystone_tests(loader):
    """['Class.test_name'] of every selected keystone test, listed or not.

    The classes above add no test of their own: every name is keystone's.
    """
    return [f'{case.__name__}.{name}' for case in KEYSTONE_CASES
            for name in loader.getTestCaseNames(case)
            if case.selected is None or case.selected in name]


class WiringTestCase(RestfulWithExtension, test_v3.RestfulTestCase):
    """The wiring above really puts our driver, tables and APIs in."""

    def auth_plugin_config_override(self, methods=None, **method_classes):
        super().auth_plugin_config_override(
            methods=['password', 'token', 'totp'], **method_classes)

    def test_keystone_loaded_our_totp_driver(self):
        self.assertIsInstance(ks_auth.get_auth_method('totp'),
                              totp_plugin.TOTP)

    def test_our_migrations_ran_on_keystones_test_database(self):
        self.assertEqual(set(migration.head_revisions()),
                         set(migration.db_version()))

    def test_the_app_serves_our_apis(self):
        r = self.get('/mfa')
        self.assertIn('totp', r.result['mfa']['methods'])


class SuiteTestCase(testtools.TestCase):
    """This suite is keystone's whole selection; each gap is explained."""

    def setUp(self):
        super().setUp()
        self.loader = unittest.TestLoader()

    def test_every_selected_keystone_test_runs_unless_listed(self):
        selected = keystone_tests(self.loader)
        self.assertEqual(KEYSTONE_TEST_COUNT, len(set(selected)),
                         '\n'.join(selected))
        self.assertEqual(set(), set(DIFFERENT_ON_PURPOSE) - set(selected))
        suite = load_tests(self.loader, self.loader.suiteClass(), None)
        run = {test.id() for test in testtools.iterate_tests(suite)}
        self.assertEqual(
            {f'{__name__}.{test_id}' for test_id in selected
             if test_id not in DIFFERENT_ON_PURPOSE},
            {test_id for test_id in run
             if test_id.split('.')[-2] in {c.__name__ for c in
                                           KEYSTONE_CASES}})

    def test_each_difference_has_a_reason_and_a_test_of_ours(self):
        for test_id, (reason, ours) in DIFFERENT_ON_PURPOSE.items():
            self.assertTrue(reason.strip(), test_id)
            found = self.loader.loadTestsFromName(ours)
            self.assertEqual([ours], [test.id() for test in
                                      testtools.iterate_tests(found)],
                             test_id)


def load_tests(loader, standard_tests, pattern):
    """keystone's selected tests but DIFFERENT_ON_PURPOSE, and ours."""
    suite = loader.suiteClass()
    cases = {case.__name__: case for case in KEYSTONE_CASES}
    for test_id in keystone_tests(loader):
        if test_id not in DIFFERENT_ON_PURPOSE:
            case_name, _sep, name = test_id.partition('.')
            suite.addTest(cases[case_name](name))
    for ours in (WiringTestCase, SuiteTestCase):
        suite.addTests(loader.loadTestsFromTestCase(ours))
    return suite
