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
"""`--user` resolution of the `openstack mfa ...` commands."""

import types
from unittest import mock

from keystoneauth1 import exceptions as ks_exceptions
import testtools

from keystone_mfa_ext.client.osc import common

UMA = types.SimpleNamespace(user_id='u1d', username='uma',
                            user_domain_id='d1d', user_domain_name='acme')


class OwnUserIdTestCase(testtools.TestCase):

    def test_own_id_or_name_is_the_logged_in_user(self):
        for user, domain in (('u1d', None), ('u1d', 'elsewhere'),
                             ('uma', None), ('uma', 'd1d'), ('uma', 'acme')):
            self.assertEqual('u1d', common.own_user_id(UMA, user, domain),
                             (user, domain))

    def test_anyone_else_is_left_to_the_lookup(self):
        for user, domain in (('bob', None), ('bob', 'acme'),
                             ('uma', 'elsewhere'), ('UMA', None),
                             ('d1d', None)):
            self.assertIsNone(common.own_user_id(UMA, user, domain),
                              (user, domain))


class UserIdTestCase(testtools.TestCase):
    """MFACommand.user_id asks keystone only about somebody else."""

    def command(self):
        cmd = common.MFACommand()
        cmd.app = mock.Mock()
        cmd.app.client_manager.auth_ref = UMA
        return cmd

    def user_id(self, user=None, user_domain=None):
        with mock.patch.object(common.identity_common, 'find_user',
                               return_value=mock.Mock(id='b0bd')) as find:
            found = self.command().user_id(types.SimpleNamespace(
                user=user, user_domain=user_domain))
        return found, find.call_args_list

    def test_default_and_own_name_need_no_lookup(self):
        for user in (None, 'uma', 'u1d'):
            self.assertEqual(('u1d', []), self.user_id(user), user)

    def test_somebody_else_is_looked_up(self):
        found, calls = self.user_id('bob', 'acme')
        self.assertEqual('b0bd', found)
        self.assertEqual([mock.call(mock.ANY, 'bob', 'acme')], calls)


class ScopeHintTestCase(testtools.TestCase):
    """A policy 403 of a token without admin scope says what to use."""

    REFUSED = ks_exceptions.Forbidden(
        'You are not authorized to perform the requested action: '
        'identity:list_mfa_attempts.')

    def scope(self, system=False, domain=False):
        return types.SimpleNamespace(system_scoped=system,
                                     domain_scoped=domain)

    def test_project_scoped_or_unscoped_tokens_get_the_hint(self):
        self.assertIn('--os-system-scope all',
                      common.scope_hint(self.REFUSED, self.scope()))

    def test_admin_scopes_and_other_refusals_get_none(self):
        for scope in (self.scope(system=True), self.scope(domain=True)):
            self.assertIsNone(common.scope_hint(self.REFUSED, scope))
        factor = ks_exceptions.Forbidden(
            'Changing factors needs a token that used a second factor.')
        self.assertIsNone(common.scope_hint(factor, self.scope()))
