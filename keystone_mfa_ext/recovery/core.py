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
"""Recovery codes: ten single-use codes for a lost phone.

A code is 16 base32 characters (80 random bits from `secrets`), shown as
`XXXX-XXXX-XXXX-XXXX`. The first group is stored in clear to find the row,
the other 60 bits only as a salted slow hash made by keystone's own
password hasher (`[identity] password_hash_algorithm`), so one attempt
costs one hash check. Generating a new set deletes the old one.
"""

import base64
import re
import secrets

from keystone.common import password_hashing
import keystone.conf
from keystone import notifications
from oslo_utils import timeutils

from keystone_mfa_ext.common import manager as common_manager

CONF = keystone.conf.CONF
RESOURCE = 'recovery_codes'   # of audit notifications
COUNT = 10
GROUPS = 4
GROUP_LENGTH = 4
_FORMAT = re.compile(r'^[A-Z2-7]{16}$')


def _new_code():
    raw = base64.b32encode(secrets.token_bytes(10)).decode('ascii')
    return '-'.join(raw[i:i + GROUP_LENGTH]
                    for i in range(0, GROUPS * GROUP_LENGTH, GROUP_LENGTH))


def normalize(passcode):
    """'abcd-efgh ijkl-mnop' -> 'ABCDEFGHIJKLMNOP', or None if not a code."""
    text = re.sub(r'[\s-]', '', passcode or '').upper()
    return text if _FORMAT.match(text) else None


class Manager(common_manager.Manager):
    """Recovery codes of users, on keystone's provider API.

    As mfa_recovery_api; storage is the driver's (`[mfa] recovery_driver`),
    hashing and the code format are here.
    """

    driver_namespace = 'keystone_mfa_ext.recovery'
    _provides_api = 'mfa_recovery_api'

    def __init__(self):
        super().__init__(CONF.mfa.recovery_driver)

    def generate(self, user_id, initiator=None):
        """Replace the user's set; return (codes, created_at). Shown once."""
        now = timeutils.utcnow()
        codes = [_new_code() for _ in range(COUNT)]
        hashed = []
        for code in codes:
            plain = normalize(code)
            hashed.append((plain[:GROUP_LENGTH],
                           password_hashing.hash_password(
                               plain[GROUP_LENGTH:])))
        self.driver.replace_for_user(user_id, hashed, now)
        notifications.Audit.created(RESOURCE, user_id, initiator)
        return codes, now

    def summary(self, user_id):
        """{'remaining': N, 'created_at': T or None}."""
        remaining, created_at = self.driver.usage(user_id)
        return {'remaining': remaining, 'created_at': created_at}

    def delete_for_user(self, user_id):
        self.driver.delete_for_user(user_id)

    def invalidate(self, user_id, initiator=None):
        """The user throws the set away (DELETE .../recovery_codes)."""
        self.delete_for_user(user_id)
        notifications.Audit.deleted(RESOURCE, user_id, initiator)

    def consume(self, user_id, passcode):
        """Use up the matching unused code; True if there was one.

        Single use across processes: the driver marks the code used
        atomically, so two concurrent requests cannot both succeed.
        """
        plain = normalize(passcode)
        if plain is None:
            return False
        lookup, rest = plain[:GROUP_LENGTH], plain[GROUP_LENGTH:]
        for code_id, code_hash in self.driver.unused_candidates(user_id,
                                                                lookup):
            if password_hashing.check_password(rest, code_hash):
                return self.driver.mark_used(code_id, timeutils.utcnow())
        return False


__getattr__ = common_manager.module_api(Manager)
