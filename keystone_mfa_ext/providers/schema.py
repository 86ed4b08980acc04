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
"""Provider bodies and the settings each provider type accepts."""

from keystone_mfa_ext.totp import algorithm

PROVIDER_NAMES = ('totp', 'sndfa')

_text = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': '^[^\\x00-\\x1f\\x7f]+$'}

SETTINGS = {
    'totp': {
        'type': 'object',
        'properties': {
            'issuer': dict(_text, maxLength=64),
            'algorithm': {'type': 'string',
                          'enum': sorted(algorithm.ALGORITHMS)},
            'digits': {'type': 'integer', 'enum': list(algorithm.DIGITS)},
            'period': {'type': 'integer', 'enum': list(algorithm.PERIODS)},
            'past_windows': {'type': 'integer', 'minimum': 0, 'maximum': 10},
            'future_windows': {'type': 'integer', 'minimum': 0,
                               'maximum': 10},
        },
        'additionalProperties': False,
    },
    'sndfa': {
        'type': 'object',
        'properties': {
            'code_ttl': {'type': 'integer', 'minimum': 60, 'maximum': 86400},
            'code_length': {'type': 'integer', 'minimum': 6, 'maximum': 10},
            'time_window': {'type': 'integer', 'minimum': 1, 'maximum': 720},
            'smtp': {
                'type': 'object',
                'properties': {
                    'server': _text,
                    'port': {'type': 'integer', 'minimum': 1,
                             'maximum': 65535},
                    'tls': {'type': 'boolean'},
                    'user': _text,
                    'password': {'type': 'string', 'maxLength': 255},
                    'from': _text,
                },
                'additionalProperties': False,
            },
        },
        'additionalProperties': False,
    },
}

# Settings that are stored encrypted and never returned.
SECRET_SETTINGS = {'sndfa': [('smtp', 'password')]}

_provider_properties = {
    'name': _text,
    'provider_name': {'type': 'string', 'enum': list(PROVIDER_NAMES)},
    'enabled': {'type': 'boolean'},
    'settings': {'type': 'object'},
}


def _body(required):
    return {
        'type': 'object',
        'properties': {'provider': {
            'type': 'object', 'properties': _provider_properties,
            'required': required, 'additionalProperties': False}},
        'required': ['provider'],
        'additionalProperties': False,
    }


provider_create = _body(['name', 'provider_name'])
provider_replace = _body(['name', 'provider_name', 'enabled', 'settings'])
provider_update = _body([])
