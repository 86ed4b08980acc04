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
"""The extension's Flask APIs, registered on keystone's own Flask app."""

from keystone_mfa_ext.api import attempts
from keystone_mfa_ext.api import domain_policy
from keystone_mfa_ext.api import mfa
from keystone_mfa_ext.api import otp_devices
from keystone_mfa_ext.api import providers
from keystone_mfa_ext.api import recovery_codes
from keystone_mfa_ext.api import spassword
from keystone_mfa_ext.api import user_mfa

# Order does not matter to Flask; keep it alphabetical.
__apis__ = (attempts, domain_policy, mfa, otp_devices, providers,
            recovery_codes, spassword, user_mfa)


def register_apis(flask_app):
    """Add every API of ours to keystone's app (before its first request)."""
    for api in __apis__:
        for api_bp in api.APIs:
            api_bp.instantiate_and_register_to_app(flask_app)
    return flask_app
