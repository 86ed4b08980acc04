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
"""Our rules: documented, scoped, listed, and known to keystone."""

import fixtures
from keystone.common.rbac_enforcer import enforcer as ks_enforcer
from keystone.common.rbac_enforcer import policy as ks_policy
from keystone.tests import unit
from oslo_policy import policy as oslo_policy

from keystone_mfa_ext.common import policies
from keystone_mfa_ext.common import policy
from tests import utils


class PolicyRulesTestCase(unit.BaseTestCase):

    def test_every_rule_is_documented_and_scoped(self):
        for rule in policies.list_rules():
            self.assertIsInstance(rule, oslo_policy.DocumentedRuleDefault)
            self.assertTrue(rule.name.startswith('identity:'), rule.name)
            self.assertTrue(rule.description.strip(), rule.name)
            self.assertTrue(rule.scope_types, rule.name)
            self.assertTrue(rule.operations, rule.name)

    def test_rule_names_do_not_clash_with_keystones(self):
        from keystone.common import policies as ks_policies
        theirs = {r.name for r in ks_policies.list_rules()}
        ours = {r.name for r in policies.list_rules()}
        self.assertEqual(set(), theirs & ours)

    def test_sample_generator_lists_every_rule(self):
        out = utils.run_script('oslopolicy-sample-generator',
                               '--namespace', 'keystone_mfa_ext')
        for rule in policies.list_rules():
            self.assertIn('"%s"' % rule.name, out.stdout)


class KeystoneEnforcerTestCase(unit.TestCase):
    """Pins the two private keystone names common/policy.py relies on.

    keystone's TestCase parses the configuration, which oslo.policy before
    5.0 (keystone 28 and older) needs to build an enforcer.
    """

    def setUp(self):
        super().setUp()
        self.addCleanup(ks_policy.reset)

    def test_keystone_still_has_the_names_we_extend(self):
        self.assertIsInstance(ks_enforcer._POSSIBLE_TARGET_ACTIONS, frozenset)
        self.assertTrue(hasattr(ks_enforcer.RBACEnforcer(), '_enforcer'))

    def test_setup_makes_every_action_known_and_registered(self):
        policy.setup()
        oslo_enforcer = ks_enforcer.RBACEnforcer()._enforcer
        for rule in policies.list_rules():
            self.assertIn(rule.name, ks_enforcer._POSSIBLE_TARGET_ACTIONS)
            self.assertIn(rule.name, oslo_enforcer.registered_rules)

    def test_setup_is_idempotent_and_survives_a_reset(self):
        policy.setup()
        policy.setup()
        ks_policy.reset()
        policy.setup()
        oslo_enforcer = ks_enforcer.RBACEnforcer()._enforcer
        for rule in policies.list_rules():
            self.assertIn(rule.name, oslo_enforcer.registered_rules)

    def test_enforcer_entry_point_gives_keystones_rules_and_ours(self):
        # oslopolicy-policy-generator loads the `oslo.policy.enforcer` entry
        # point and prints the effective policy of that enforcer.
        out = utils.run_script('oslopolicy-policy-generator',
                               '--namespace', 'keystone_mfa_ext',
                               cwd=self.useFixture(fixtures.TempDir()).path,
                               ).stdout
        self.assertIn('"identity:get_user":', out)
        for rule in policies.list_rules():
            self.assertIn('"%s":' % rule.name, out)
