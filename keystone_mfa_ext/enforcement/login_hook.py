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
"""Before each POST /v3/auth/tokens: end expired enrollment grace periods.

So a user of a "required" domain whose grace period is over meets
keystone's MFA rules on this very login, not at some later cron run.
"""

import flask

from keystone_mfa_ext.auth import payload
from keystone_mfa_ext.enforcement import core as enforcement

TOKENS_PATH = '/v3/auth/tokens'


def before_request():
    request = flask.request
    if request.method != 'POST' or request.path.rstrip('/') != TOKENS_PATH:
        return
    if not enforcement.any_grace():
        return
    for _method, user_id in payload.method_users():
        if user_id:
            enforcement.expire_grace(user_id)
