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
"""Every plug-in point is registered and loads (as keystonemiddleware does)."""

import importlib.metadata
import types

import testtools

DIST = 'keystone-mfa-ext'

# Loading this one builds the whole keystone app from the global config; it
# is exercised in tests/functional/test_devserver.py (PasteDeployTestCase).
LOADED_ELSEWHERE = {('paste.app_factory', 'main')}

EXPECTED = {
    ('console_scripts', 'keystone-mfa-ext-manage'),
    ('console_scripts', 'keystone-mfa-ext-devserver'),
    ('paste.app_factory', 'main'),
    ('oslo.config.opts', 'keystone_mfa_ext'),
    ('oslo.policy.policies', 'keystone_mfa_ext'),
    ('oslo.policy.enforcer', 'keystone_mfa_ext'),
    ('keystone_mfa_ext.mail', 'smtp'),
    ('keystone_mfa_ext.mail', 'log'),
}


def _entry_points():
    return importlib.metadata.distribution(DIST).entry_points


class EntryPointsTestCase(testtools.TestCase):

    def test_every_expected_plug_in_point_is_registered(self):
        registered = {(ep.group, ep.name) for ep in _entry_points()}
        self.assertTrue(EXPECTED <= registered,
                        'missing: %s' % sorted(EXPECTED - registered))

    def test_every_entry_point_loads(self):
        for ep in _entry_points():
            if (ep.group, ep.name) in LOADED_ELSEWHERE:
                continue
            loaded = ep.load()
            # openstack.cli.extension names a module (the OSC plugin API).
            self.assertTrue(callable(loaded) or
                            isinstance(loaded, types.ModuleType), ep)

    def test_entry_points_point_into_this_package(self):
        for ep in _entry_points():
            self.assertTrue(ep.value.startswith('keystone_mfa_ext.'), ep)
