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
"""Request bodies of /v3/users/{user_id}/otp_devices."""

from keystone_mfa_ext.totp import algorithm

# Printable names: no control characters (they end up in authenticator apps
# and logs), 1..255 characters.
_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': '^[^\\x00-\\x1f\\x7f]+$'}

otp_device_create = {
    'type': 'object',
    'properties': {
        'otp_device': {
            'type': 'object',
            'properties': {
                'name': _name,
                'algorithm': {'type': 'string',
                              'enum': sorted(algorithm.ALGORITHMS)},
                'digits': {'type': 'integer', 'enum': list(algorithm.DIGITS)},
                'period': {'type': 'integer',
                           'enum': list(algorithm.PERIODS)},
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['otp_device'],
    'additionalProperties': False,
}

otp_device_update = {
    'type': 'object',
    'properties': {
        'otp_device': {
            'type': 'object',
            'properties': {'name': _name},
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['otp_device'],
    'additionalProperties': False,
}

otp_device_verify = {
    'type': 'object',
    'properties': {
        'verify': {
            'type': 'object',
            'properties': {
                'code': {'type': 'string', 'pattern': '^[0-9]{6,8}$'},
            },
            'required': ['code'],
            'additionalProperties': False,
        },
    },
    'required': ['verify'],
    'additionalProperties': False,
}
