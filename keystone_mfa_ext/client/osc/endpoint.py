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
"""Where the `openstack mfa` commands send their requests: keystone's /v3.

In this order: an endpoint given on purpose (`identity_endpoint_override`
in clouds.yaml or OS_IDENTITY_ENDPOINT_OVERRIDE, `--os-endpoint`); the
token's service catalog; else the auth URL. A user without any role
assignment gets an unscoped token with an empty catalog, and such a user
(a new account) is exactly who must enroll first.
"""

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import plugin

VERSION = (3, 0)
# Most specific first: an identity-only override, then OSC's --os-endpoint.
OVERRIDE_KEYS = ('identity_endpoint_override', 'identity_endpoint',
                 'endpoint')


def given(config):
    """The endpoint the configuration names for keystone, or None."""
    for key in OVERRIDE_KEYS:
        if config.get(key):
            return config[key]
    return None


def in_catalog(auth_ref, interface, region_name):
    """Does the token's catalog list keystone (for this interface/region)?"""
    if auth_ref is None:
        return False
    try:
        return bool(auth_ref.service_catalog.url_for(
            service_type='identity', interface=interface or 'public',
            region_name=region_name))
    except ks_exceptions.EndpointNotFound:   # EmptyCatalog included
        return False


def adapter_kwargs(instance):
    """keystoneauth Adapter arguments for an osc-lib ClientManager."""
    url = given(instance.get_configuration())
    if url:
        # Version discovery, so that http://keystone:5000 works as well
        # as http://keystone:5000/v3; the URL as given if it has none.
        data = instance.session.get_endpoint_data(
            service_type='identity', endpoint_override=url,
            min_version=VERSION, max_version=(3, 'latest'))
        return {'endpoint_override': data.url if data else url}
    if in_catalog(instance.auth_ref, instance.interface,
                  instance.region_name):
        return {'interface': instance.interface}
    return {'interface': plugin.AUTH_INTERFACE}
