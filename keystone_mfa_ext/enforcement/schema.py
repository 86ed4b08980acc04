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
"""Body of PUT /v3/domains/{domain_id}/mfa/policy."""

_method = {'type': 'string', 'minLength': 1, 'maxLength': 64}

domain_policy = {
    'type': 'object',
    'properties': {
        'policy': {
            'type': 'object',
            'properties': {
                'enforcement': {'type': 'string',
                                'enum': ['required', 'optional']},
                'rules': {
                    'type': 'array', 'maxItems': 16,
                    'items': {'type': 'array', 'minItems': 1,
                              'maxItems': 8, 'uniqueItems': True,
                              'items': _method},
                },
                'grace_period_days': {'type': 'integer', 'minimum': 0,
                                      'maximum': 365},
            },
            'required': ['enforcement'],
            'additionalProperties': False,
        },
    },
    'required': ['policy'],
    'additionalProperties': False,
}
