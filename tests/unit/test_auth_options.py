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
"""How our methods are added to `[auth]` (devserver, docs, DevStack)."""

import importlib.metadata
from unittest import mock

import fixtures
import testtools

from keystone_mfa_ext import auth

KEYSTONE_DEFAULT = ['external', 'password', 'token', 'oauth1', 'mapped',
                    'application_credential', 'ec2credential']


class EnabledAuthOptionsTestCase(testtools.TestCase):

    def use_methods(self, methods):
        self.useFixture(fixtures.MockPatchObject(
            auth, 'extension_methods', return_value=methods))

    def test_new_methods_are_appended_and_marked_primary(self):
        self.use_methods([('sndfa', 'default'), ('totp', 'mfa_ext')])
        options = auth.enabled_auth_options(KEYSTONE_DEFAULT)
        self.assertEqual(','.join(KEYSTONE_DEFAULT + ['sndfa', 'totp']),
                         options['methods'])
        self.assertEqual('mfa_ext', options['totp'])
        self.assertNotIn('sndfa', options)  # 'default' driver needs no line
        self.assertEqual('sndfa', options['additional_primary_auth_methods'])

    def test_existing_order_is_kept_and_nothing_is_duplicated(self):
        self.use_methods([('sndfa', 'default'), ('totp', 'mfa_ext')])
        existing = ['password', 'totp', 'token']
        once = auth.enabled_auth_options(existing)
        twice = auth.enabled_auth_options(once['methods'].split(','))
        self.assertEqual('password,totp,token,sndfa', once['methods'])
        self.assertEqual(once, twice)

    def test_opt_in_drivers_are_never_enabled_by_default(self):
        # The FIWARE password gate replaces keystone's password method only
        # when an operator asks for it.
        eps = [importlib.metadata.EntryPoint(
            name, f'keystone_mfa_ext.x:{name}', f'keystone.auth.{method}')
            for method, name in (('password', 'spassword'),
                                 ('totp', 'mfa_ext'), ('sndfa', 'default'))]
        dist = mock.Mock(entry_points=eps)
        self.useFixture(fixtures.MockPatch('importlib.metadata.distribution',
                                           return_value=dist))
        self.assertEqual([('sndfa', 'default'), ('totp', 'mfa_ext')],
                         auth.extension_methods())
