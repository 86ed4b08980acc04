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
"""The driver interface of the second-factor failure counters."""

import abc

from keystone import exception


class LockoutDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def get(self, user_id):
        """The user's state as a dict, or None if the user never failed.

        Keys: user_id, failed_attempts, locked_until, last_failure_at.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def record_failure(self, user_id, now, max_attempts, lock_until):
        """Count one failure atomically; lock at every `max_attempts`-th.

        The lock lasts until `lock_until`. Must be atomic across every
        process sharing the backend.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def reset(self, user_id):
        """Clear counter and lock; True if the user had a state."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete(self, user_id):
        raise exception.NotImplemented()  # pragma: no cover
