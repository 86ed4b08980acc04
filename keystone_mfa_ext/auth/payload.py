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
"""Reading the POST /v3/auth/tokens body of the current request."""

from keystone import exception as ks_exception
from oslo_db import exception as db_exception

from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_context

PROVIDERS = provider_api.ProviderAPIs


def identity():
    """The request's `auth.identity` object, or {}."""
    body = request_context.json_body() or {}
    auth = body.get('auth') if isinstance(body, dict) else None
    ident = auth.get('identity') if isinstance(auth, dict) else None
    return ident if isinstance(ident, dict) else {}


def user_id_of(user):
    """keystone user id named by a method's `user` object, or None.

    Resolved exactly as keystone's own methods resolve it
    (keystone.auth.plugins.core.UserAuthInfo): a name (in a domain named,
    else given by id) wins over an id. Any other order would let a
    request prove one user's password and name another as its user.
    """
    if not isinstance(user, dict):
        return None
    if user.get('name'):
        return _user_id_by_name(user['name'], user.get('domain'))
    user_id = user.get('id')
    if isinstance(user_id, str) and user_id and '\x00' not in user_id:
        return user_id
    return None


def _user_id_by_name(name, domain):
    if not isinstance(name, str) or not isinstance(domain, dict):
        return None   # keystone itself answers the malformed body
    domain_name, domain_id = domain.get('name'), domain.get('id')
    domain_key = domain_name or domain_id
    if not isinstance(domain_key, str) or '\x00' in name + domain_key:
        # PostgreSQL cannot compare text with a NUL: it names nobody.
        return None
    try:
        if domain_name:
            domain_id = PROVIDERS.resource_api.get_domain_by_name(
                domain_name)['id']
        return PROVIDERS.identity_api.get_user_by_name(name, domain_id)['id']
    except (ks_exception.NotFound, ks_exception.ValidationError,
            db_exception.DBError):
        return None


def method_users():
    """[(method, user id)] of the request, in the order keystone runs them."""
    ident = identity()
    found = []
    for method in ident.get('methods') or []:
        payload = ident.get(method) if isinstance(method, str) else None
        if isinstance(payload, dict):
            found.append((method, user_id_of(payload.get('user'))))
    return found
