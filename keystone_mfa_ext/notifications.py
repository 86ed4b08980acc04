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
"""keystone notification callbacks of the extension."""

from keystone import notifications

from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext.user_mfa import core as user_mfa


def _user_deleted(service, resource_type, operation, payload):
    user_mfa.on_user_deleted(service, resource_type, operation, payload)
    enforcement.forget(payload['resource_info'])


def register_callbacks():
    """Idempotent: keystone keeps each event's callbacks in a set."""
    notifications.register_event_callback(
        notifications.ACTIONS.deleted, 'user', _user_deleted)
    # A user created in a "required" domain: grace period or rules.
    notifications.register_event_callback(
        notifications.ACTIONS.created, 'user', enforcement.on_user_created)
