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
"""GET /v3/mfa through keystone's own app and auth pipeline."""

import http.client
import json

import fixtures

from keystone.common import rbac_enforcer

from keystone_mfa_ext.api import mfa as mfa_api
from tests.unit import base

REL = ('https://docs.openstack.org/api/openstack-identity/3/ext/'
       'MFA-EXT/1.0/rel/mfa')


class MFAInfoTestCase(base.RestfulTestCase):

    def test_get_with_token_shows_version_methods_and_links(self):
        r = self.get('/mfa')
        info = r.result['mfa']
        self.assertEqual({'version', 'methods', 'links'}, set(info))
        self.assertIsInstance(info['version'], str)
        self.assertEqual([], info['methods'])
        self.assertTrue(info['links']['self'].endswith('/v3/mfa'))

    def test_head_is_answered_like_get(self):
        self.head('/mfa', expected_status=http.client.OK)

    def test_without_token_is_401_in_keystone_error_format(self):
        r = self.get('/mfa', noauth=True,
                     expected_status=http.client.UNAUTHORIZED)
        error = r.result['error']
        self.assertEqual(401, error['code'])
        self.assertEqual('Unauthorized', error['title'])
        self.assertIn('message', error)

    def test_listed_in_json_home(self):
        r = self.get('/', headers={'Accept': 'application/json-home'},
                     convert=False)
        resources = json.loads(r.body)['resources']
        self.assertIn(REL, resources)
        self.assertEqual('/mfa', resources[REL]['href'])

    def test_rule_is_overridable_in_keystones_policy_file(self):
        self.get('/mfa', expected_status=http.client.OK)
        policy_file = self.useFixture(fixtures.TempDir()).join('policy.yaml')
        with open(policy_file, 'w') as f:
            f.write('"identity:get_mfa_info": "!"\n')
        self.config_fixture.config(group='oslo_policy',
                                   policy_file=policy_file)
        rbac_enforcer.policy.reset()
        self.get('/mfa', expected_status=http.client.FORBIDDEN)

    def test_still_enforceable_after_keystone_resets_its_enforcer(self):
        # keystone rebuilds its enforcer with only its own rules; without
        # our re-registration the request would be refused (403).
        rbac_enforcer.policy.reset()
        self.get('/mfa', expected_status=http.client.OK)


class LoadedMethodsTestCase(base.RestfulTestCase):
    """The methods list reports what keystone really loaded."""

    def test_builtin_drivers_are_not_reported_as_ours(self):
        self.assertEqual([], mfa_api.loaded_extension_methods())
