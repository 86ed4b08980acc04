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
"""Counting events per bucket in a sliding window, across processes.

Password-recovery requests and second-factor attempts that proved
nothing else are limited this way: a bucket names what is counted (e.g.
`unproven:user:<id>`), and the events of every keystone process are
counted together in the driver's storage.
"""

import datetime

import keystone.conf
from oslo_utils import timeutils

from keystone_mfa_ext.common import manager as common_manager

CONF = keystone.conf.CONF


class Manager(common_manager.Manager):
    """Rate limits, on the provider API (mfa_rate_api).

    Storage is the driver's (`[mfa] rate_driver`).
    """

    driver_namespace = 'keystone_mfa_ext.ratelimit'
    _provides_api = 'mfa_rate_api'

    def __init__(self):
        super().__init__(CONF.mfa.rate_driver)

    def within_rate(self, bucket, limit, window_seconds=3600):
        """Count one event in `bucket`; False once `limit` is exceeded."""
        now = timeutils.utcnow()
        since = now - datetime.timedelta(seconds=window_seconds)
        return self.driver.count_and_add_event(bucket, since, now) < limit

    def over_rate(self, bucket, limit, window_seconds=3600):
        """Have `limit` events been counted in `bucket` within the window?"""
        since = timeutils.utcnow() - datetime.timedelta(
            seconds=window_seconds)
        return self.driver.count_events(bucket, since) >= limit

    def count_event(self, bucket, window_seconds=3600):
        """Count one event in `bucket` (see over_rate)."""
        now = timeutils.utcnow()
        self.driver.add_event(
            bucket, now - datetime.timedelta(seconds=window_seconds), now)


__getattr__ = common_manager.module_api(Manager)
