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
"""Rules for /v3/users/{user_id}/recovery_codes."""

from keystone_mfa_ext.common.policies import otp_device

PATH = '/v3/users/{user_id}/recovery_codes'

recovery_code_policies = [
    otp_device._rule(
        'create_recovery_codes',
        'Generate a new set of recovery codes (shown once; replaces the '
        'old set).', [('POST', PATH)]),
    otp_device._rule(
        'get_recovery_codes',
        'Show how many recovery codes a user has left.',
        [('GET', PATH), ('HEAD', PATH)]),
    otp_device._rule('delete_recovery_codes',
                     "Invalidate a user's recovery codes.",
                     [('DELETE', PATH)]),
]


def list_rules():
    return recovery_code_policies
