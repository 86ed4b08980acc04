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
"""The `totp` factor: verified OTP devices and keystone `totp` credentials.

Recovery codes belong here: the `totp` method accepts them, so they are
no rule of their own, yet a user holding some holds a factor.
"""

import keystone.conf

from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.factors import base
from keystone_mfa_ext.totp import algorithm
from keystone_mfa_ext.totp import core as totp_core
from keystone_mfa_ext.totp import windows

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs


def _recovery_codes_left(user):
    return PROVIDERS.mfa_recovery_api.summary(user['id'])['remaining']


_WINDOWS = {'type': 'integer', 'minimum': 0, 'maximum': 10}


class TOTPFactor(base.Factor):

    name = 'totp'
    method = 'totp'
    position = 10
    settings_schema = {
        'type': 'object',
        'properties': {
            'issuer': dict(base.TEXT, maxLength=64),
            'algorithm': {'type': 'string',
                          'enum': sorted(algorithm.ALGORITHMS)},
            'digits': {'type': 'integer', 'enum': list(algorithm.DIGITS)},
            'period': {'type': 'integer', 'enum': list(algorithm.PERIODS)},
            'past_windows': _WINDOWS,
            'future_windows': _WINDOWS,
        },
        'additionalProperties': False,
    }

    def defaults(self):
        return {'issuer': CONF.mfa.issuer, 'algorithm': 'SHA1', 'digits': 6,
                'period': 30, 'past_windows': windows.past_windows(),
                'future_windows': CONF.mfa.totp_future_windows}

    def enrolled(self, user):
        if PROVIDERS.mfa_device_api.count_verified(user['id']):
            return True
        return bool(CONF.mfa.accept_keystone_totp_credentials and
                    totp_core.keystone_credentials(user['id']))

    def has_records(self, user):
        return self.enrolled(user) or bool(_recovery_codes_left(user))

    def state(self, user):
        devices = PROVIDERS.mfa_device_api
        return {'otp_devices': devices.count_verified(user['id']),
                'recovery_codes_remaining': _recovery_codes_left(user)}

    def forget(self, user_id):
        PROVIDERS.mfa_totp_api.forget(user_id)
        PROVIDERS.mfa_recovery_api.delete_for_user(user_id)
