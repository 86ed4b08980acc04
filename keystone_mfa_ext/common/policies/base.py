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
"""Check strings shared by our rules, built from keystone's own personas."""

from keystone.common.policies import base as ks_base
from oslo_policy import policy

IDENTITY = ks_base.IDENTITY
ALL_SCOPES = ['system', 'domain', 'project']

# Any authenticated token: keystone rejects requests without one before the
# rule is evaluated, so an empty check string means "any valid token".
ANY_TOKEN = ''

# Personas for resources that belong to a user (/v3/users/{user_id}/...).
# "admin" is a system admin or an admin of the user's domain (domain-scoped
# token), as api.md defines it. An admin of another domain, or of a
# project, is not an admin of this user.
OWNER = 'user_id:%(target.user.id)s'
ADMIN_OF_USER = (
    '(role:admin and system_scope:all) or '
    '(role:admin and token.domain.id:%(target.user.domain_id)s)'
)
OWNER_OR_ADMIN = '(' + ADMIN_OF_USER + ') or ' + OWNER

# Personas for domain-level resources (/v3/domains/{domain_id}/...).
SYSTEM_READER = 'role:reader and system_scope:all'
SYSTEM_OR_DOMAIN_READER = (
    '(' + SYSTEM_READER + ') or '
    '(role:reader and token.domain.id:%(target.domain.id)s)'
)
SYSTEM_ADMIN = 'role:admin and system_scope:all'
SYSTEM_OR_DOMAIN_ADMIN = (
    '(' + SYSTEM_ADMIN + ') or '
    '(role:admin and token.domain.id:%(target.domain.id)s)'
)


def rule(verb, check_str, description, operations):
    """`identity:<verb>` as a DocumentedRuleDefault for every scope.

    `operations`: [(method, path)].
    """
    return policy.DocumentedRuleDefault(
        name=IDENTITY % verb, check_str=check_str, scope_types=ALL_SCOPES,
        description=description,
        operations=[{'path': path, 'method': method}
                    for method, path in operations])
