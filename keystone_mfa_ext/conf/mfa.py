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
When this option is not set, keystone's `[totp] included_previous_windows`
applies instead (keystone's default is 1 as well), so a deployment moving from
keystone's built-in totp driver keeps its window. When both are set, this one
wins, and a warning is logged if they differ. A provider's `past_windows`
setting overrides both for its users.
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


factor_change_max_token_age = cfg.IntOpt(
    'factor_change_max_token_age',
    default=900,
    min=0,
    max=86400,
    help=utils.fmt(
        """
Seconds since its user last authenticated during which a token may change
the factors of a user who has MFA on or any verified factor (add, verify,
replace or remove an OTP device, recovery codes, the email factor, the MFA
switch, keystone `totp` credentials): a "sudo window". Such a change also
needs a token that used a second factor; delegated tokens (trusts,
application credentials, OAuth1, EC2) never change factors. Rescoping a
token does not renew the window. 0 turns the age check off (the second
factor is still required).
"""
    ),
)

unproven_max_failures_per_address = cfg.IntOpt(
    'unproven_max_failures_per_address',
    default=5,
    min=1,
    max=1000,
    help=utils.fmt(
        """
Second-factor failures per hour, for one user and one client address, of
attempts that proved no other factor of that user (no password in the same
request, no auth receipt of the user). They never count toward the user's
lockout, so nobody can lock a user out without the password; beyond this
number such attempts are refused without checking the code.
"""
    ),
)

unproven_max_failures_per_user = cfg.IntOpt(
    'unproven_max_failures_per_user',
    default=20,
    min=1,
    max=10000,
    help=utils.fmt(
        """
Second-factor failures per day (24 hours) for one user, from all client
addresses together, of attempts that proved no other factor of that user;
beyond this number such attempts are refused without checking the code.
Attempts with the password (or a receipt) are not affected.
"""
    ),
)

trusted_proxies = cfg.ListOpt(
    'trusted_proxies',
    default=[],
    help=utils.fmt(
        """
Addresses or networks (CIDR) of the load balancers or proxies in front of
keystone. Only a request whose TCP peer is one of them has its client
address taken from X-Forwarded-For (the last hop, as keystone's app reads
it); any other request's client address is its TCP peer. The client address
keys the per-address rate limits, is written into the audit records and
password-reset mails, and binds sndfa approvals.
"""
    ),
)

allow_ec2_credentials = cfg.BoolOpt(
    'allow_ec2_credentials',
    default=False,
    help=utils.fmt(
        """
Let /v3/ec2tokens and /v3/s3tokens issue tokens for users whose MFA rules
require a second factor. An EC2 credential is a single secret: by default it
is refused for such users (it would be a way around their rules). EC2
credentials made before a user's rules started to require a second factor
are deleted at that moment either way.
"""
    ),
)


def _driver_opt(name, namespace, stores):
    return cfg.StrOpt(
        f'{name}_driver',
        default='sql',
        help=utils.fmt(
            f"""
Entry point for the backend driver of {stores}, in the
`keystone_mfa_ext.{namespace}` namespace. Only a SQL driver (`sql`) is
provided.
"""
        ),
    )


device_driver = _driver_opt('device', 'devices', 'OTP devices')
totp_driver = _driver_opt(
    'totp', 'totp', 'the last accepted TOTP time step of each secret (what '
    'makes codes single use across processes)')
recovery_driver = _driver_opt('recovery', 'recovery', 'recovery codes')
provider_driver = _driver_opt('provider', 'providers',
                              'MFA provider configurations')
attempt_driver = _driver_opt('attempt', 'attempts',
                             'the login-attempt audit trail')
email_driver = _driver_opt(
    'email', 'email', 'the email factor (verified addresses, mailed codes, '
    'approved logins)')
enforcement_driver = _driver_opt(
    'enforcement', 'enforcement',
    'domain MFA policies and enrollment grace periods')
rate_driver = _driver_opt('rate', 'ratelimit',
                          'the events counted by rate limits')
lockout_driver = _driver_opt('lockout', 'lockout',
                             'the second-factor failure counters and locks')


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
    factor_change_max_token_age,
    unproven_max_failures_per_address,
    unproven_max_failures_per_user,
    trusted_proxies,
    allow_ec2_credentials,
    device_driver,
    totp_driver,
    recovery_driver,
    provider_driver,
    attempt_driver,
    email_driver,
    enforcement_driver,
    lockout_driver,
    rate_driver,
]


def register_opts(conf):
    conf.register_opts(ALL_OPTS, group=GROUP_NAME)


def list_opts():
    return {GROUP_NAME: ALL_OPTS}
