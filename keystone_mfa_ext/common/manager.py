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
"""What our keystone-style managers share."""

from keystone.common import manager as ks_manager

from keystone_mfa_ext.common import provider_api

PROVIDERS = provider_api.ProviderAPIs


class Manager(ks_manager.Manager):
    """keystone's Manager: its driver loading and call forwarding.

    Registered on our provider registry (common/provider_api.py), not on
    keystone's, which keystone has locked before any extension loads.
    """

    def __init__(self, driver_name):
        # Not keystone's __init__: it would register on keystone's registry.
        self.driver = ks_manager.load_driver(self.driver_namespace,
                                             driver_name)
        PROVIDERS.register(self._provides_api, self)


def module_api(manager_class):
    """A module `__getattr__` that hands out the manager's public methods.

    `core.create(...)` is then `PROVIDERS.<its api>.create(...)`: callers
    written against the module keep working, and always reach the
    registered manager (its configured driver).
    """
    def __getattr__(name):
        if name.startswith('_') or not callable(
                getattr(manager_class, name, None)):
            raise AttributeError(name)
        return getattr(getattr(PROVIDERS, manager_class._provides_api), name)
    return __getattr__
