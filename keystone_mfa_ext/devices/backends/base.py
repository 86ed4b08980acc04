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
"""The driver interface of OTP device storage.

Secrets reach the driver encrypted: it stores `secret` and `key_hash` as
given. `decrypt` callbacks receive a stored row (`id`, `secret`,
`key_hash`) and run inside the driver's transaction.
"""

import abc

from keystone import exception


class DeviceDriverBase(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def create(self, device, max_devices, unverified_before):
        """Store `device` (a dict of its columns); return it.

        Unverified devices created before `unverified_before` are removed
        first; more than `max_devices` for the user is a Conflict.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def list_for_user(self, user_id, unverified_before):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def get(self, user_id, device_id, unverified_before):
        """The device; NotFound if it is not one of the user's."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def rename(self, user_id, device_id, name):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete(self, user_id, device_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_for_user(self, user_id):
        """Delete every device of the user; return their ids."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def get_with_secret(self, user_id, device_id, unverified_before,
                        decrypt):
        """(device, decrypt(row)); NotFound when decrypt gives None."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def mark_verified(self, device_id, now):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def list_verified_with_secrets(self, user_id, decrypt_many):
        """[(device, secret or None)] of verified devices, oldest first."""
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def count_verified(self, user_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def replace_secrets(self, reencrypt):
        """Store `reencrypt(row)` as (secret, key_hash) unless it is None."""
        raise exception.NotImplemented()  # pragma: no cover
