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
"""The driver interface of the rate limiter's event counts."""

import abc

from keystone import exception


class RateDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def count_and_add_event(self, bucket, since, now):
        """Events in `bucket` since `since` (before this one); adds one."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def count_events(self, bucket, since):
        """Events in `bucket` since `since`; records nothing."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def add_event(self, bucket, since, now):
        """Record one event in `bucket`; forget its events before `since`."""
        raise exception.NotImplemented()  # pragma: no cover
