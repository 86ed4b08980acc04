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
"""The `sndfa` factor: a code mailed to the user's verified address."""

import keystone.conf

from keystone_mfa_ext.factors import base
from keystone_mfa_ext.sndfa import core as spassword

CONF = keystone.conf.CONF


class EmailFactor(base.Factor):

    name = spassword.SNDFA
    method = spassword.SNDFA
    position = 20
    settings_schema = {
        'type': 'object',
        'properties': {
            'code_ttl': {'type': 'integer', 'minimum': 60, 'maximum': 86400},
            'code_length': {'type': 'integer', 'minimum': 6, 'maximum': 10},
            'time_window': {'type': 'integer', 'minimum': 1, 'maximum': 720},
            'smtp': {
                'type': 'object',
                'properties': {
                    'server': base.TEXT,
                    'port': {'type': 'integer', 'minimum': 1,
                             'maximum': 65535},
                    'tls': {'type': 'boolean'},
                    'user': base.TEXT,
                    'password': {'type': 'string', 'maxLength': 255},
                    'from': base.TEXT,
                },
                'additionalProperties': False,
            },
        },
        'additionalProperties': False,
    }
    secret_settings = (('smtp', 'password'),)

    def defaults(self):
        return {'code_ttl': CONF.spassword.sndfa_code_ttl,
                'code_length': CONF.spassword.sndfa_code_length,
                'time_window': CONF.spassword.sndfa_time_window, 'smtp': {}}

    def enrolled(self, user):
        return spassword.email_state(user)['usable']

    def state(self, user):
        email = spassword.email_state(user)
        return {'sndfa': email['sndfa'],
                'email_verified': email['email_verified']}

    def forget(self, user_id):
        spassword.delete_for_user(user_id)
