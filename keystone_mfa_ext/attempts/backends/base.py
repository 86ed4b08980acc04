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
"""The driver interface of the login-attempt audit trail."""

import abc

from keystone import exception


class MarkerNotFound(LookupError):
    """The paging marker names no stored attempt."""


class AttemptDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def add(self, attempt):
        """Store one attempt (a dict of its columns)."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def list_newest(self, equal, since, until, after, count):
        """Up to `count` attempts, newest first, after the id `after`.

        MarkerNotFound when no attempt has the id `after`.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def get(self, attempt_id):
        """The attempt, or None."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_older_than(self, older_than):
        """Delete attempts older than `older_than`; return how many."""
        raise exception.NotImplemented()  # pragma: no cover
