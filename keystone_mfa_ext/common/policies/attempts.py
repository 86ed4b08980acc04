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
"""Rules for the login-attempt audit API."""

from oslo_policy import policy

from keystone_mfa_ext.common.policies import base

SYSTEM = '/v3/mfa/attempts'
DOMAIN = '/v3/domains/{domain_id}/mfa/attempts'
USER = '/v3/users/{user_id}/mfa/attempts'


def _rule(verb, check_str, description, path):
    return policy.DocumentedRuleDefault(
        name=base.IDENTITY % verb, check_str=check_str,
        scope_types=base.ALL_SCOPES, description=description,
        operations=[{'path': path, 'method': 'GET'},
                    {'path': path, 'method': 'HEAD'}])


attempt_policies = [
    _rule('list_mfa_attempts', base.SYSTEM_READER,
          'List every login attempt of the cloud.', SYSTEM),
    _rule('get_mfa_attempt', base.SYSTEM_READER,
          'Show one login attempt with its recorded headers.',
          SYSTEM + '/{attempt_id}'),
    _rule('list_domain_mfa_attempts', base.SYSTEM_OR_DOMAIN_READER,
          "List the login attempts of a domain's users.", DOMAIN),
    _rule('get_domain_mfa_attempt', base.SYSTEM_OR_DOMAIN_READER,
          'Show one login attempt of a user of the domain.',
          DOMAIN + '/{attempt_id}'),
    _rule('list_user_mfa_attempts', base.OWNER_OR_ADMIN,
          "List a user's login attempts.", USER),
    _rule('get_user_mfa_attempt', base.OWNER_OR_ADMIN,
          "Show one of a user's login attempts.", USER + '/{attempt_id}'),
]


def list_rules():
    return attempt_policies
