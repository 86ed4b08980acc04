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
"""Rules for a domain's MFA policy (/v3/domains/{domain_id}/mfa/policy)."""

from keystone_mfa_ext.common.policies import base

POLICY = '/v3/domains/{domain_id}/mfa/policy'
domain_policy_policies = [
    base.rule('get_domain_mfa_policy', base.SYSTEM_OR_DOMAIN_ADMIN,
              "Show a domain's MFA enforcement and how many of its users "
              "have enrolled.", [('GET', POLICY), ('HEAD', POLICY)]),
    base.rule('update_domain_mfa_policy', base.SYSTEM_OR_DOMAIN_ADMIN,
              "Set a domain's MFA enforcement (applied to its users).",
              [('PUT', POLICY)]),
]


def list_rules():
    return domain_policy_policies
