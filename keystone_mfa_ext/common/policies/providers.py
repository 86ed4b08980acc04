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
"""Rules for MFA provider configurations (system and per domain)."""

from keystone_mfa_ext.common.policies import base

SYSTEM = '/v3/mfa/providers'
DOMAIN = '/v3/domains/{domain_id}/mfa/providers'


def _rules(prefix, path, read, write, scope):
    member = path + '/{provider_id}'
    return [
        base.rule(f'list_{prefix}mfa_providers', read,
                  f'List the MFA providers of {scope}.',
                  [('GET', path), ('HEAD', path)]),
        base.rule(f'get_{prefix}mfa_provider', read,
                  f'Show an MFA provider of {scope} (never its secrets).',
                  [('GET', member), ('HEAD', member)]),
        base.rule(f'create_{prefix}mfa_provider', write,
                  f'Create an MFA provider of {scope}.', [('POST', path)]),
        base.rule(f'update_{prefix}mfa_provider', write,
                  f'Update (PATCH) or replace (PUT) an MFA provider of '
                  f'{scope}.', [('PATCH', member), ('PUT', member)]),
        base.rule(f'delete_{prefix}mfa_provider', write,
                  f'Delete an MFA provider of {scope}.',
                  [('DELETE', member)]),
    ]


provider_policies = (
    _rules('', SYSTEM, base.SYSTEM_READER, base.SYSTEM_ADMIN,
           'the system') +
    _rules('domain_', DOMAIN, base.SYSTEM_OR_DOMAIN_ADMIN,
           base.SYSTEM_OR_DOMAIN_ADMIN, 'a domain'))


def list_rules():
    return provider_policies
