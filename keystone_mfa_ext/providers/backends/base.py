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
"""The driver interface of MFA provider storage.

`domain_id` arguments are the stored value: SYSTEM for the system-wide
providers. Secret settings reach the driver encrypted.
"""

import abc

from keystone import exception

SYSTEM = ''  # domain_id of system-wide providers (NULL is not unique)


class ProviderDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def create(self, provider):
        """Store `provider` (a dict); Conflict for a second of its type."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def list_for(self, domain_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def get(self, provider_id, domain_id):
        """The provider; NotFound unless it is one of `domain_id`."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def update(self, provider_id, domain_id, changes_for):
        """Set `changes_for(stored)` on the provider, in one transaction."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete(self, provider_id, domain_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def list_by_method(self, provider_name, domain_ids):
        """The providers of one type in any of `domain_ids`."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def replace_secrets(self, reencrypt):
        """Store `reencrypt(provider)` as its secrets unless it is None."""
        raise exception.NotImplemented()  # pragma: no cover
