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
"""Rules for /v3/users/{user_id}/mfa (per-user MFA state)."""

from oslo_policy import policy

from keystone_mfa_ext.common.policies import base

PATH = '/v3/users/{user_id}/mfa'


def _rule(verb, check_str, description, operations):
    return policy.DocumentedRuleDefault(
        name=base.IDENTITY % verb, check_str=check_str,
        scope_types=base.ALL_SCOPES, description=description,
        operations=operations)


user_mfa_policies = [
    _rule('get_user_mfa', base.OWNER_OR_ADMIN,
          "Show a user's MFA state (factors, lockout).",
          [{'path': PATH, 'method': 'GET'},
           {'path': PATH, 'method': 'HEAD'}]),
    _rule('update_user_mfa', base.OWNER_OR_ADMIN,
          "Enable or disable MFA for a user (disabling also needs "
          "identity:disable_user_mfa unless the token used a second "
          "factor; unlocking needs identity:unlock_user_mfa).",
          [{'path': PATH, 'method': 'PATCH'}]),
    _rule('disable_user_mfa', base.ADMIN_OF_USER,
          'Disable MFA for a user with a token that did not use a second '
          'factor.', [{'path': PATH, 'method': 'PATCH'}]),
    _rule('unlock_user_mfa', base.ADMIN_OF_USER,
          "Clear a user's second-factor lockout.",
          [{'path': PATH, 'method': 'PATCH'}]),
    _rule('delete_user_mfa', base.ADMIN_OF_USER,
          "Reset a user's MFA (lost phone): remove devices, recovery codes "
          "and state, and clear the MFA rules.",
          [{'path': PATH, 'method': 'DELETE'}]),
]


def list_rules():
    return user_mfa_policies
