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
"""Rules for the extension's discovery document (GET /v3/mfa)."""

from oslo_policy import policy

from keystone_mfa_ext.common.policies import base

mfa_policies = [
    policy.DocumentedRuleDefault(
        name=base.IDENTITY % 'get_mfa_info',
        check_str=base.ANY_TOKEN,
        scope_types=base.ALL_SCOPES,
        description=(
            'Show the MFA extension version and the auth methods it loaded '
            'into this keystone.'
        ),
        operations=[{'path': '/v3/mfa', 'method': 'GET'},
                    {'path': '/v3/mfa', 'method': 'HEAD'}],
    ),
]


def list_rules():
    return mfa_policies
