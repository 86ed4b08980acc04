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
"""Where `openstack mfa` sends requests: override, catalog, auth URL."""

from unittest import mock

from keystoneauth1 import access
from keystoneauth1 import plugin
import testtools

from keystone_mfa_ext.client.osc import endpoint

KEYSTONE = 'https://keystone.example/v3'


def token(catalog):
    return access.AccessInfoV3(auth_token='t', body={'token': {
        'methods': ['password'], 'user': {'id': 'u1'},
        'expires_at': '2030-01-01T00:00:00Z', 'catalog': catalog}})


IDENTITY = [{'type': 'identity', 'name': 'keystone', 'endpoints': [
    {'interface': 'public', 'region_id': 'RegionOne',
     'region': 'RegionOne', 'url': KEYSTONE}]}]


def manager(catalog=(), **config):
    instance = mock.Mock(interface='public', region_name=None)
    instance.auth_ref = token(list(catalog))
    instance.get_configuration.return_value = dict(config, auth={})
    instance.session.get_endpoint_data.return_value = mock.Mock(
        url=KEYSTONE + '/')
    return instance


class EndpointTestCase(testtools.TestCase):

    def test_an_empty_catalog_means_the_auth_url(self):
        # A user without any role: unscoped token, empty catalog.
        self.assertEqual({'interface': plugin.AUTH_INTERFACE},
                         endpoint.adapter_kwargs(manager()))

    def test_the_catalog_when_it_lists_keystone(self):
        self.assertEqual({'interface': 'public'},
                         endpoint.adapter_kwargs(manager(IDENTITY)))

    def test_a_catalog_without_this_interface_means_the_auth_url(self):
        instance = manager(IDENTITY)
        instance.interface = 'internal'
        self.assertEqual({'interface': plugin.AUTH_INTERFACE},
                         endpoint.adapter_kwargs(instance))

    def test_an_override_wins_and_finds_its_v3(self):
        for key in ('identity_endpoint_override', 'endpoint'):
            instance = manager(IDENTITY, **{key: 'https://other.example'})
            self.assertEqual({'endpoint_override': KEYSTONE + '/'},
                             endpoint.adapter_kwargs(instance), key)
            instance.session.get_endpoint_data.assert_called_once_with(
                service_type='identity',
                endpoint_override='https://other.example',
                min_version=(3, 0), max_version=(3, 'latest'))

    def test_an_override_without_version_discovery_is_used_as_given(self):
        instance = manager(endpoint='https://other.example/v3')
        instance.session.get_endpoint_data.return_value = None
        self.assertEqual({'endpoint_override': 'https://other.example/v3'},
                         endpoint.adapter_kwargs(instance))

    def test_the_identity_override_is_preferred_to_the_global_one(self):
        self.assertEqual('https://id.example', endpoint.given({
            'endpoint': 'https://all.example',
            'identity_endpoint_override': 'https://id.example'}))
        self.assertIsNone(endpoint.given({'endpoint': None}))
