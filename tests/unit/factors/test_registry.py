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
"""Every factor of the namespace plugs into user MFA, enforcement, providers.

Nothing here names a factor: a factor package added to the
`keystone_mfa_ext.factors` namespace is checked by the same tests, and a
factor from outside (a stand-in below) plugs in the same way.
"""

import importlib.metadata
from unittest import mock

import fixtures
from keystone.common import provider_api

from keystone_mfa_ext.common import request_token
from keystone_mfa_ext.common import validation
from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext.factors import base as factor_base
from keystone_mfa_ext.factors import registry
from keystone_mfa_ext.providers import core as providers
from keystone_mfa_ext.providers import schema as providers_schema
from keystone_mfa_ext.user_mfa import core as user_mfa
from tests.unit.api import test_spassword
from tests.unit import base

PROVIDERS = provider_api.ProviderAPIs


class StandIn(factor_base.Factor):
    """A third-party factor: nothing of the extension names it."""

    name = method = 'stand_in'
    settings_schema = {
        'type': 'object',
        'properties': {
            'server': factor_base.TEXT,
            'api': {'type': 'object',
                    'properties': {'token': {'type': 'string'}},
                    'additionalProperties': False},
        },
        'additionalProperties': False,
    }
    secret_settings = (('api', 'token'),)

    def __init__(self):
        self.users = set()
        self.forgotten = []

    def defaults(self):
        return {'server': 'mfa.example.org', 'api': {}}

    def enrolled(self, user):
        return user['id'] in self.users

    def state(self, user):
        return {'stand_in_enrolled': self.enrolled(user)}

    def forget(self, user_id):
        self.forgotten.append(user_id)
        self.users.discard(user_id)


class FactorRegistryTestCase(test_spassword._EmailTestCase):
    """keystone loading every method of ours (totp and sndfa)."""

    def enroll(self, factor):
        return mock.patch.object(factor, 'enrolled', return_value=True)

    def test_every_entry_point_is_a_factor(self):
        eps = importlib.metadata.entry_points(group=registry.NAMESPACE)
        self.assertEqual(sorted(ep.name for ep in eps),
                         sorted(registry.names()))
        for factor in registry.factors():
            self.assertIsInstance(factor, factor_base.Factor)
            self.assertIs(factor, registry.get(factor.name))
            self.assertIn(factor.method, registry.methods())
        self.assertRaises(KeyError, registry.get, 'no-such-factor')

    def test_provider_schemas_are_built_once(self):
        # common.validation caches a validator per schema object.
        self.assertIs(providers_schema.provider_create,
                      providers_schema.provider_create)
        self.assertIs(providers_schema.SETTINGS, providers_schema.SETTINGS)
        self.assertRaises(AttributeError, getattr, providers_schema, 'x')

    def test_each_factor_is_a_provider_type(self):
        for factor in registry.factors():
            self.assertIn(factor.name, providers_schema.PROVIDER_NAMES)
            self.assertIs(factor.settings_schema,
                          providers_schema.SETTINGS[factor.name])
            defaults = providers.defaults(factor.name)
            self.assertEqual(factor.defaults(), defaults)
            validation.validate(factor.settings_schema, defaults)
            effective = providers.effective(factor.name,
                                            self.domain['id'])
            self.assertTrue(effective.enabled)
            self.assertEqual(defaults, effective.settings)
            created = providers.create(None, {
                'name': factor.name, 'provider_name': factor.name,
                'enabled': False})
            self.assertFalse(providers.effective(
                factor.name, self.domain['id']).enabled)
            providers.delete(created['id'], None)

    def test_each_factor_plugs_into_user_mfa(self):
        for factor in registry.factors():
            self.assertFalse(factor.enrolled(self.target))
            self.assertFalse(factor.has_records(self.target))
            self.assertNotIn(['password', factor.method],
                             user_mfa.enrolled_rules(self.uid))
            self.assertLessEqual(set(factor.state(self.target)),
                                 set(user_mfa.state(self.uid)))
            with self.enroll(factor):
                self.assertIn(['password', factor.method],
                              user_mfa.enrolled_rules(self.uid))
                self.assertTrue(user_mfa.has_factor(self.uid))
            with mock.patch.object(factor, 'forget') as forget:
                user_mfa.forget(self.uid)
            forget.assert_called_once_with(self.uid)

    def test_each_factor_plugs_into_enforcement(self):
        rules = enforcement.default_rules()
        for factor in registry.factors():
            rule = ['password', factor.method]
            self.assertIn(rule, rules)
            self.assertFalse(enforcement.meets(self.uid, [rule]))
            with self.enroll(factor):
                self.assertTrue(enforcement.meets(self.uid, [rule]))
            policy = enforcement.put(self.domain['id'], {
                'enforcement': enforcement.OPTIONAL, 'rules': [rule]})
            self.assertEqual([rule], policy['rules'])

    def test_each_factor_is_a_second_factor_of_a_token(self):
        for factor in registry.factors():
            with mock.patch.object(request_token, 'methods',
                                   return_value={factor.method}):
                self.assertTrue(request_token.used_second_factor())
        with mock.patch.object(request_token, 'methods',
                               return_value={'password'}):
            self.assertFalse(request_token.used_second_factor())


class ThirdPartyFactorTestCase(base.RestfulTestCase, base.PersonasMixin):
    """A factor installed by another package, its method enabled."""

    def setUp(self):
        super().setUp()
        self.stand_in = StandIn()
        installed = registry.factors() + (self.stand_in,)
        self.useFixture(fixtures.MockPatchObject(
            registry, '_factors', return_value=installed))
        self.config_fixture.config(
            group='auth', methods=list(self.config_fixture.conf.auth.methods)
            + [StandIn.method])
        self.setup_personas()
        self.uid = self.target['id']

    def test_user_mfa_and_enforcement_use_it(self):
        rule = ['password', StandIn.method]
        self.assertIn(rule, enforcement.default_rules())
        self.assertNotIn(rule, user_mfa.enrolled_rules(self.uid))
        self.assertFalse(user_mfa.state(self.uid)['stand_in_enrolled'])
        self.stand_in.users.add(self.uid)
        self.assertIn(rule, user_mfa.enrolled_rules(self.uid))
        self.assertTrue(user_mfa.state(self.uid)['stand_in_enrolled'])
        self.assertTrue(enforcement.meets(self.uid, [rule]))
        user_mfa.enable(self.uid)
        options = PROVIDERS.identity_api.get_user(self.uid)['options']
        self.assertEqual([rule], options[user_mfa.RULES_OPT])
        user_mfa.reset(self.uid, actor_id=self.uid)
        self.assertEqual([self.uid], self.stand_in.forgotten)

    def test_providers_use_it(self):
        self.assertIn(StandIn.name, providers_schema.PROVIDER_NAMES)
        created = providers.create(self.domain['id'], {
            'name': 'stand-in', 'provider_name': StandIn.name,
            'settings': {'api': {'token': 's3cret'}}})
        self.assertEqual({'api': {}}, created['settings'])
        settings = providers.effective(StandIn.name,
                                       self.domain['id']).settings
        self.assertEqual({'server': 'mfa.example.org',
                          'api': {'token': 's3cret'}}, settings)
