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
"""Rules for the authenticated keystone-spassword routes.

The link routes (GET/POST .../checkemail/{code}, .../sndfa/{code},
.../reset_password/{code}) and recover_password take no token: the code
in the path is the credential, as in keystone's own password change.
"""

from keystone_mfa_ext.common.policies import base
from keystone_mfa_ext.common.policies import user_mfa

USER = '/v3/users/{user_id}'

spassword_policies = [
    user_mfa._rule('check_user_email', base.OWNER_OR_ADMIN,
                   "Mail a verification link to the user's address.",
                   [{'path': USER + '/checkemail', 'method': 'GET'}]),
    user_mfa._rule('get_user_sndfa', base.OWNER_OR_ADMIN,
                   'Show whether the email second factor is enabled.',
                   [{'path': USER + '/sndfa', 'method': 'GET'}]),
    user_mfa._rule('update_user_sndfa', base.OWNER_OR_ADMIN,
                   'Enable or disable the email second factor (disabling '
                   'also needs identity:disable_user_sndfa unless the token '
                   'used a second factor).',
                   [{'path': USER + '/sndfa', 'method': 'POST'}]),
    user_mfa._rule('disable_user_sndfa', base.ADMIN_OF_USER,
                   'Disable the email second factor with a token that did '
                   'not use a second factor.',
                   [{'path': USER + '/sndfa', 'method': 'POST'}]),
]


def list_rules():
    return spassword_policies
