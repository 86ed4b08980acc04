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
"""JSON schemas of our auth method payloads (validated before any lookup)."""

from keystone import exception
from keystone.i18n import _

from keystone_mfa_ext.common import validation

_name_or_id = {'type': 'string', 'minLength': 1, 'maxLength': 255}

_domain = {
    'type': 'object',
    'properties': {'id': _name_or_id, 'name': _name_or_id},
    'anyOf': [{'required': ['id']}, {'required': ['name']}],
}

_user = {
    'type': 'object',
    'properties': {'id': _name_or_id, 'name': _name_or_id,
                   'domain': _domain},
    'anyOf': [{'required': ['id']}, {'required': ['name', 'domain']}],
}

_passcode = {'type': 'string', 'minLength': 1, 'maxLength': 64}

# keystone (and keystoneauth's v3totp) send `user.passcode`; api.md wrote
# it beside `user`. Either is accepted, one of them is required.
totp = {
    'type': 'object',
    'properties': {
        'user': {
            'allOf': [_user, {
                'type': 'object',
                'properties': {'passcode': _passcode},
            }],
        },
        'passcode': _passcode,
    },
    'required': ['user'],
    'anyOf': [
        {'required': ['passcode']},
        {'properties': {'user': {'required': ['passcode']}}},
    ],
}


sndfa = {
    'type': 'object',
    'properties': {
        'user': _user,
        'code': {'type': 'string', 'pattern': '^[0-9]{6,10}$'},
    },
    'required': ['user'],
}


def validate(schema, payload):
    """HTTP 400 on a bad payload, naming the field but never its value."""
    validation.validate(schema, payload)


def totp_passcode_in_user(payload):
    """A valid totp payload with its passcode where keystone reads it.

    keystone's TOTPUserInfo reads `user.passcode` only. Two different
    passcodes are a malformed payload (400), never a guess of either.
    """
    user = payload['user']
    if 'passcode' not in payload:
        return payload
    if 'passcode' in user and user['passcode'] != payload['passcode']:
        raise exception.ValidationError(
            _('Invalid input for field %s.') % "'passcode'")
    return dict(payload, user=dict(user, passcode=payload['passcode']))
