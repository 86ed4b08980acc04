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
"""`token.extras` of keystone-spassword on token responses.

Token responses (POST and GET /v3/auth/tokens) of users who enabled sndfa
carry `"extras": {"sndfa": true, "sndfa_email": <verified>}`, as with
keystone-spassword. A Flask after-request hook on keystone's app adds them;
keystone itself is untouched. It also repeats the sndfa challenge of a 401
at the top level of the body (`{"error": ..., "identity": ...}`, as
api.md shows it) next to keystone's `error.identity`.
"""

import flask
import keystone.conf
from keystone import exception as ks_exception
from oslo_serialization import jsonutils

from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.sndfa import core as spassword

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
TOKENS_PATH = '/v3/auth/tokens'


def _sndfa_in_use():
    return CONF.spassword.sndfa or spassword.SNDFA in CONF.auth.methods


def _rewrite(response, body):
    response.set_data(jsonutils.dumps(body))
    return response


def _lift_challenge(response):
    body = response.get_json(silent=True) or {}
    identity = (body.get('error') or {}).get('identity')
    if isinstance(identity, dict) and 'sndfa' in identity:
        body['identity'] = identity
        return _rewrite(response, body)
    return response


def after_request(response):
    request = flask.request
    if (request.path.rstrip('/') != TOKENS_PATH or not _sndfa_in_use()
            or request.method not in ('GET', 'POST')
            or not response.is_json):
        return response
    if response.status_code == 401:
        return _lift_challenge(response)
    if response.status_code not in (200, 201):
        return response
    body = response.get_json(silent=True) or {}
    user_id = ((body.get('token') or {}).get('user') or {}).get('id')
    # Hot path (every token response): only users who switched sndfa on
    # cost a keystone user lookup.
    if not user_id or not spassword.sndfa_enabled(user_id):
        return response
    try:
        user = PROVIDERS.identity_api.get_user(user_id)
    except ks_exception.UserNotFound:
        return response
    state = spassword.email_state(user)
    body['token'].setdefault('extras', {}).update(
        {'sndfa': True, 'sndfa_email': state['email_verified']})
    return _rewrite(response, body)
