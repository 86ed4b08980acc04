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
"""Redeeming the code of a mailed link (checkemail, approve, reset)."""

import keystone.conf

from keystone_mfa_ext.common import users
from keystone_mfa_ext.sndfa import core as spassword

CONF = keystone.conf.CONF


def redeem(user_id, purpose, code):
    """(code row, user) of a valid link, else (None, None).

    The code is checked before the user is looked up, so an unknown user
    costs the same time as a wrong code. The code is used up.
    """
    row = spassword.consume(user_id, purpose, code,
                            CONF.spassword.sndfa_code_max_attempts)
    user = row and users.user_or_none(user_id)
    return (row, user) if user else (None, None)
