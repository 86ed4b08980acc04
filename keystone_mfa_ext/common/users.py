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
"""Looking up the keystone user an unauthenticated request names."""

from keystone import exception as ks_exception

from keystone_mfa_ext.common import provider_api

PROVIDERS = provider_api.ProviderAPIs


def user_or_none(user_id):
    """The user, or None for an unknown or malformed id."""
    if '\x00' in user_id:
        return None   # names nobody; PostgreSQL cannot even look it up
    try:
        return PROVIDERS.identity_api.get_user(user_id)
    except (ks_exception.UserNotFound, ks_exception.ValidationError):
        return None
