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
"""`openstack mfa session create`: the shell lines that reuse a token."""

import types

import testtools

from keystone_mfa_ext.client.osc import session


def scoped(system=False, project_id=None, domain_id=None):
    return types.SimpleNamespace(system_scoped=system,
                                 project_id=project_id, domain_id=domain_id)


class ShellLinesTestCase(testtools.TestCase):

    def test_exports_quoted_for_the_shell_and_until_when(self):
        self.assertEqual(
            "export OS_AUTH_TYPE=v3token\n"
            "export OS_TOKEN='a b'\n"
            "# valid until 2030-01-01T00:00:00+00:00; end it sooner with: "
            "openstack token revoke \"$OS_TOKEN\"\n",
            session.shell_lines({'OS_AUTH_TYPE': 'v3token',
                                 'OS_TOKEN': 'a b'},
                                '2030-01-01T00:00:00+00:00'))

    def test_a_cloud_is_left_and_how_to_go_back_is_said(self):
        lines = session.shell_lines({'OS_TOKEN': 't'}, 'then',
                                    cloud='mfa-dev-user').splitlines()
        self.assertEqual('unset OS_CLOUD', lines[0])
        self.assertEqual('# back to the cloud: unset OS_AUTH_TYPE OS_TOKEN; '
                         'export OS_CLOUD=mfa-dev-user', lines[-1])

    def test_the_scope_of_the_token_is_kept(self):
        self.assertEqual({}, session.scope_variables(scoped()))
        self.assertEqual({'OS_SYSTEM_SCOPE': 'all'},
                         session.scope_variables(scoped(system=True)))
        self.assertEqual({'OS_PROJECT_ID': 'p1'},
                         session.scope_variables(scoped(project_id='p1')))
        self.assertEqual({'OS_DOMAIN_ID': 'd1'},
                         session.scope_variables(scoped(domain_id='d1')))

    def test_what_else_a_cloud_set_is_carried_over(self):
        self.assertEqual(
            {'OS_REGION_NAME': 'RegionOne', 'OS_CACERT': '/ca.pem',
             'OS_INSECURE': 'true'},
            session.cloud_variables({'region_name': 'RegionOne',
                                     'cacert': '/ca.pem', 'verify': False,
                                     'interface': None, 'auth': {}}))
