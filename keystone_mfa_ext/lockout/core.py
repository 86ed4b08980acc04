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
"""Second-factor lockout, separate from keystone's password lockout.

Every `[mfa] max_failed_attempts` consecutive failures of any of a user's
second factors lock them all for `[mfa] lockout_duration` seconds; while
locked even a right code fails. The count is not cleared when such a lock
ends, so `[mfa] max_consecutive_failures` failures without a success lock
the factors until an admin unlocks or resets them (NIST SP 800-63B 5.2.2).
A success resets the count.

Only attempts that proved another factor of the user (the password in the
same request, or the user's auth receipt) count: anybody can send the
`totp` method alone for any user id, and must not be able to lock its
owner out. Such unproven attempts are throttled on their own instead, per
user and client address (`[mfa] unproven_max_failures_per_address`, per
hour) and per user (`unproven_max_failures_per_user`, per day); once
throttled they are refused without a check, and the owner's attempts
with the password are not affected.
"""

import collections
import datetime

import keystone.conf
from oslo_utils import timeutils

from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.lockout import keystone_password
from keystone_mfa_ext.ratelimit import core as rates

CONF = keystone.conf.CONF

# `until` is None while `locked`: locked until an admin unlocks.
Lock = collections.namedtuple('Lock', 'locked until failed_attempts')


def capped(failed_attempts):
    """Have `failed_attempts` reached `[mfa] max_consecutive_failures`?"""
    cap = CONF.mfa.max_consecutive_failures
    return bool(cap) and failed_attempts >= cap


def reason(lock):
    """The audit message of a refusal because of `lock`."""
    if lock.until is None:
        return (f'second factors locked after {lock.failed_attempts} '
                'consecutive failures until an admin unlocks them')
    return f'second factors locked until {lock.until.isoformat()}Z'


def keystone_locked_out(user_id, now=None):
    """Is the user locked by keystone's own password lockout?

    Read (never written) with keystone's own rules:
    `[security_compliance] lockout_failure_attempts`/`lockout_duration`
    and the `ignore_lockout_failure_attempts` user option.
    """
    max_attempts = CONF.security_compliance.lockout_failure_attempts
    if not max_attempts:
        return False
    state = keystone_password.password_failures(user_id)
    if state is None or state.ignored or state.count < max_attempts:
        return False
    duration = CONF.security_compliance.lockout_duration
    if not duration or state.failed_at is None:
        return True
    now = now or timeutils.utcnow()
    return now < state.failed_at + datetime.timedelta(seconds=duration)


HOUR, DAY = 3600, 86400


def _unproven_buckets(user_id, address):
    """(bucket, limit, window seconds) of unproven attempts."""
    return ((f'unproven:user:{user_id}',
             CONF.mfa.unproven_max_failures_per_user, DAY),
            (f'unproven:address:{user_id}:{address}',
             CONF.mfa.unproven_max_failures_per_address, HOUR))


def unproven_throttled(user_id, address):
    """Are unproven attempts for this user (from this address) throttled?"""
    return any(rates.over_rate(bucket, limit, window)
               for bucket, limit, window
               in _unproven_buckets(user_id, address))


def record_unproven_failure(user_id, address):
    for bucket, _limit, window in _unproven_buckets(user_id, address):
        rates.count_event(bucket, window)


class Manager(common_manager.Manager):
    """Second-factor failure counters and locks, on the provider API.

    As mfa_lockout_api; storage is the driver's (`[mfa] lockout_driver`).
    """

    driver_namespace = 'keystone_mfa_ext.lockout'
    _provides_api = 'mfa_lockout_api'

    def __init__(self):
        super().__init__(CONF.mfa.lockout_driver)

    def failure_state(self, user_id):
        """The stored counter and lock of the user as a dict, or None."""
        return self.driver.get(user_id)

    def status(self, user_id, now=None):
        """The user's Lock. A timed lock that ended is simply ignored."""
        now = now or timeutils.utcnow()
        state = self.driver.get(user_id) or {}
        failed = state.get('failed_attempts', 0)
        if capped(failed):
            return Lock(True, None, failed)
        until = state.get('locked_until')
        if until and until > now:
            return Lock(True, until, failed)
        return Lock(False, None, failed)

    def record_failure(self, user_id, now=None):
        now = now or timeutils.utcnow()
        lock_until = now + datetime.timedelta(
            seconds=CONF.mfa.lockout_duration)
        self.driver.record_failure(user_id, now, CONF.mfa.max_failed_attempts,
                                   lock_until)

    def record_success(self, user_id, known):
        """Clear the failure count after a success.

        `known` is the Lock read at the attempt's start: with nothing to
        clear there is no second read or write on the login path (a
        failure counted in between is then kept, which errs on the safe
        side).
        """
        if known.failed_attempts or known.locked:
            self.driver.reset(user_id)

    def unlock(self, user_id):
        self.driver.reset(user_id)

    def forget(self, user_id):
        self.driver.delete(user_id)


__getattr__ = common_manager.module_api(Manager)
