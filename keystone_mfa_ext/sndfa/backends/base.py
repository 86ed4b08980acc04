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
"""The driver interface of the email factor's state.

A user's verified address and switch, the codes mailed to the user (only
a slow hash of each), and the logins approved by mail (FIWARE mode).
"""

import abc

from keystone import exception


class EmailDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def get_factor(self, user_id):
        """The user's factor (verified_email, sndfa_enabled) or None."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def upsert_factor(self, user_id, now, **values):
        """Create or update the factor; whether a value changed."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_for_user(self, user_id):
        """Forget the user's factor, codes and approvals at once."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def add_code(self, user_id, purpose, code_hash, now, expires_at,
                 client_ip=None, email=None):
        """Store a fresh, unused code hash; returns its row as a dict."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_older_codes(self, user_id, purpose, code_id, created_at):
        """Delete the user's codes of `purpose` up to `created_at`.

        `code_id` itself stays.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_code(self, code_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def last_created_at(self, user_id, purpose):
        """When the user's newest code of `purpose` was made, or None."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def newest_live_code(self, user_id, purpose, now):
        """The newest unused, unexpired code of `purpose`, or None."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def claim_code(self, code_id, now, attempt_limit):
        """Mark the code used if still live; True only for one caller.

        Must be atomic across every process sharing the backend.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def release_code(self, code_id):
        """Mark a claimed code unused again."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def count_wrong_attempt(self, code_id, now, attempt_limit):
        """Count one wrong try atomically; at `attempt_limit` it expires."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def add_approval(self, user_id, client_ip, expires_at):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def has_approval(self, user_id, client_ip, now, bind_client_address):
        """A live approval (for `client_ip` if `bind_client_address`)?"""
        raise exception.NotImplemented()  # pragma: no cover
