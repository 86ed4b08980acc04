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
"""The driver interface of domain MFA policies and grace periods."""

import abc

from keystone import exception


class EnforcementDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def get_policy(self, domain_id):
        """The domain's stored policy as a dict, or None.

        Keys: domain_id, enforcement, rules (JSON text), grace_period_days,
        updated_at.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def put_policy(self, domain_id, values, end_graces):
        """Create or replace the domain's policy.

        `end_graces` also ends the grace periods of the domain's users, in
        the same transaction.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def due_graces(self, now, limit=100):
        """Grace periods over at `now`: [grace dict], oldest end first."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def end_grace(self, user_id, grace_until):
        """Delete the grace period if it is still this one; True if so.

        Of several processes ending it at once exactly one must win.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def get_grace(self, user_id):
        """The user's grace period (user_id, domain_id, grace_until)."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def start_grace(self, user_id, domain_id, grace_until):
        """Give the user a grace period; one already running is kept."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_grace(self, user_id):
        raise exception.NotImplemented()  # pragma: no cover
