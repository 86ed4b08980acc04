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
"""The driver interface of recovery code storage.

The driver sees only a lookup prefix and a slow hash of each code.
"""

import abc

from keystone import exception


class RecoveryDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def replace_for_user(self, user_id, hashed_codes, created_at):
        """Replace the user's codes by (lookup, code_hash) pairs, at once."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def usage(self, user_id):
        """(unused codes, newest created_at or None)."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_for_user(self, user_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def unused_candidates(self, user_id, lookup):
        """(id, code_hash) of the user's unused codes under `lookup`."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def mark_used(self, code_id, used_at):
        """True only for the one caller that marked the unused code used.

        Must be atomic across every process sharing the backend.
        """
        raise exception.NotImplemented()  # pragma: no cover
