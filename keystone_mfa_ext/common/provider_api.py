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
"""keystone's provider APIs, and ours next to them.

keystone makes its managers in `load_backends` and then locks its registry
(keystone.common.provider_api.ProviderAPIs) "before running keystone":
nothing registers there afterwards. An extension is only loaded after that
(keystone's auth methods, the WSGI app), so our managers register here
instead, and keystone's lock stays as keystone set it. A name is looked up
here first, then in keystone's registry: `PROVIDERS.identity_api` and
`PROVIDERS.mfa_device_api` read alike.
"""

from keystone.common import provider_api as ks_provider_api


class ProviderAPIRegistry:

    def __init__(self):
        object.__setattr__(self, '_apis', {})

    def __getattr__(self, name):
        apis = object.__getattribute__(self, '_apis')
        if name in apis:
            return apis[name]
        return getattr(ks_provider_api.ProviderAPIs, name)

    def __setattr__(self, name, value):
        raise RuntimeError('register a provider API with register()')

    def register(self, name, obj):
        """Make `obj` the provider API `name` (once per name)."""
        apis = object.__getattribute__(self, '_apis')
        if name in apis or hasattr(ks_provider_api.ProviderAPIs, name):
            raise ks_provider_api.DuplicateProviderError(
                f'{name} is already a provider API')
        apis[name] = obj

    def registered(self, name):
        return name in object.__getattribute__(self, '_apis')

    def clear(self):
        """Forget our managers (tests: each loads its own configuration)."""
        object.__getattribute__(self, '_apis').clear()


ProviderAPIs = ProviderAPIRegistry()
