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
"""[mfa]: TOTP checks, second-factor lockout, devices, audit retention."""

from oslo_config import cfg

from keystone.conf import utils

accept_keystone_totp_credentials = cfg.BoolOpt(
    'accept_keystone_totp_credentials',
    default=True,
    help=utils.fmt(
        """
Also accept codes of legacy keystone `totp` credentials created through
/v3/credentials. Disable once every user moved to OTP devices, because the
owner and system readers can read those secrets back.
"""
    ),
)

totp_past_windows = cfg.IntOpt(
    'totp_past_windows',
    default=1,
    min=0,
    max=10,
    help=utils.fmt(
        """
Number of time steps before now whose codes are still accepted (clock drift).
"""
    ),
)

totp_future_windows = cfg.IntOpt(
    'totp_future_windows',
    default=1,
    min=0,
    max=10,
    help=utils.fmt(
        """
Number of time steps after now whose codes are already accepted (clock drift).
"""
    ),
)

max_failed_attempts = cfg.IntOpt(
    'max_failed_attempts',
    default=5,
    min=1,
    max=1000,
    help=utils.fmt(
        """
Consecutive second-factor failures after which a user's second factors are
locked for `lockout_duration` seconds. Independent of keystone's password
lockout in [security_compliance].
"""
    ),
)

lockout_duration = cfg.IntOpt(
    'lockout_duration',
    default=900,
    min=1,
    max=86400 * 7,
    help=utils.fmt(
        """
Seconds a user's second factors stay locked after too many failures; while
locked even a right code fails.
"""
    ),
)

max_consecutive_failures = cfg.IntOpt(
    'max_consecutive_failures',
    default=50,
    min=0,
    max=1000,
    help=utils.fmt(
        """
Consecutive second-factor failures without a success (across the timed locks
of `max_failed_attempts`) after which a user's second factors stay locked
until an admin unlocks them (PATCH /v3/users/{user_id}/mfa with
`{"mfa": {"unlock": true}}`) or resets them. NIST SP 800-63B section 5.2.2
requires at most 100 consecutive failed attempts per account. 0 disables the
cap (then timed locks alone limit guessing).
"""
    ),
)

max_devices_per_user = cfg.IntOpt(
    'max_devices_per_user',
    default=5,
    min=1,
    max=50,
    help=utils.fmt(
        """
Maximum number of OTP devices (verified or not) one user may have.
"""
    ),
)

issuer = cfg.StrOpt(
    'issuer',
    default='OpenStack',
    help=utils.fmt(
        """
Issuer shown by authenticator apps for enrolled OTP devices (the `ISSUER`
of the `otpauth://totp/ISSUER:USERNAME` key URI).
"""
    ),
)

unverified_device_ttl = cfg.IntOpt(
    'unverified_device_ttl',
    default=900,
    min=60,
    max=86400 * 7,
    help=utils.fmt(
        """
Seconds an enrolled OTP device may stay unverified; after that it is removed
and never authenticates.
"""
    ),
)

attempts_retention_days = cfg.IntOpt(
    'attempts_retention_days',
    default=90,
    min=1,
    max=3650,
    help=utils.fmt(
        """
Days login attempts are kept before `keystone-mfa-ext-manage attempts_purge`
removes them.
"""
    ),
)


GROUP_NAME = __name__.split('.')[-1]
ALL_OPTS = [
    accept_keystone_totp_credentials,
    totp_past_windows,
    totp_future_windows,
    max_failed_attempts,
    lockout_duration,
    max_consecutive_failures,
    max_devices_per_user,
    issuer,
    unverified_device_ttl,
    attempts_retention_days,
]


def register_opts(conf):
    conf.register_opts(ALL_OPTS, group=GROUP_NAME)


def list_opts():
    return {GROUP_NAME: ALL_OPTS}
