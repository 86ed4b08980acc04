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
"""The extension's managers, on our provider registry.

keystone instantiates its own managers in `load_backends` and then locks
its provider registry; the auth methods and the WSGI app, the only places
an extension runs, are loaded after that. Our managers are made there and
register on common/provider_api.py's registry, which reads through to
keystone's; keystone's own registry and its lock are left alone.
"""

from keystone_mfa_ext.attempts import core as attempts_core
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.devices import core as devices_core
from keystone_mfa_ext.enforcement import core as enforcement_core
from keystone_mfa_ext.lockout import core as lockout_core
from keystone_mfa_ext.providers import core as providers_core
from keystone_mfa_ext.ratelimit import core as ratelimit_core
from keystone_mfa_ext.recovery import core as recovery_core
from keystone_mfa_ext.sndfa import core as spassword_core
from keystone_mfa_ext.totp import core as totp_core

MANAGERS = (attempts_core.Manager, devices_core.Manager,
            enforcement_core.Manager, lockout_core.Manager,
            providers_core.Manager, ratelimit_core.Manager,
            recovery_core.Manager, spassword_core.Manager,
            totp_core.Manager)


def load_backends():
    """Make every manager not registered yet.

    Idempotent: each auth method of ours, the WSGI extension and the manage
    commands call it.
    """
    for manager_class in MANAGERS:
        if not provider_api.ProviderAPIs.registered(
                manager_class._provides_api):
            manager_class()
