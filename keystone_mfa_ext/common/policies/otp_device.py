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
"""Rules for /v3/users/{user_id}/otp_devices."""

from oslo_policy import policy

from keystone_mfa_ext.common.policies import base

COLLECTION = '/v3/users/{user_id}/otp_devices'
MEMBER = COLLECTION + '/{device_id}'


def _rule(verb, description, operations):
    return policy.DocumentedRuleDefault(
        name=base.IDENTITY % verb, check_str=base.OWNER_OR_ADMIN,
        scope_types=base.ALL_SCOPES, description=description,
        operations=[{'path': path, 'method': method}
                    for method, path in operations])


otp_device_policies = [
    _rule('create_otp_device',
          'Enroll an OTP device for a user (returns its secret once).',
          [('POST', COLLECTION)]),
    _rule('list_otp_devices', "List a user's OTP devices.",
          [('GET', COLLECTION), ('HEAD', COLLECTION)]),
    _rule('get_otp_device', 'Show one OTP device of a user.',
          [('GET', MEMBER), ('HEAD', MEMBER)]),
    _rule('update_otp_device', 'Rename an OTP device.',
          [('PATCH', MEMBER)]),
    _rule('delete_otp_device', 'Remove an OTP device.',
          [('DELETE', MEMBER)]),
    _rule('verify_otp_device',
          'Verify an OTP device with a current code so it can be used.',
          [('POST', MEMBER + '/verify')]),
]


def list_rules():
    return otp_device_policies
