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
"""The driver interface of the last accepted TOTP step of each secret."""

import abc

from keystone import exception


class TOTPDriverBase(metaclass=abc.ABCMeta):
    """Used time steps: what makes a TOTP code single use."""

    @abc.abstractmethod
    def advance(self, secret_id, user_id, step):
        """Record `step` as used; False if it (or a later step) was.

        Must be atomic across every process sharing the backend.
        """
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_for_secret(self, secret_id):
        raise exception.NotImplemented()  # pragma: no cover

    @abc.abstractmethod
    def delete_for_user(self, user_id):
        raise exception.NotImplemented()  # pragma: no cover
