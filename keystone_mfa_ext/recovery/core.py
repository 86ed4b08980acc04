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
import uuid

from keystone.common import password_hashing
from oslo_utils import timeutils
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.recovery.backends import sql as recovery_sql

Code = recovery_sql.RecoveryCode
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


def generate(user_id):
    """Replace the user's set; return (codes, created_at). Shown once."""
    now = timeutils.utcnow()
    codes = [_new_code() for _ in range(COUNT)]
    rows = []
    for code in codes:
        plain = normalize(code)
        rows.append(Code(
            id=uuid.uuid4().hex, user_id=user_id,
            lookup=plain[:GROUP_LENGTH],
            code_hash=password_hashing.hash_password(plain[GROUP_LENGTH:]),
            created_at=now))
    with sql.session_for_write() as session:
        session.execute(sa.delete(Code).where(Code.user_id == user_id))
        session.add_all(rows)
    return codes, now


def summary(user_id):
    """{'remaining': N, 'created_at': T or None}."""
    unused = sa.case((Code.used_at.is_(None), 1), else_=0)
    with sql.session_for_read() as session:
        remaining, created_at = session.execute(
            sa.select(sa.func.sum(unused), sa.func.max(Code.created_at))
            .where(Code.user_id == user_id)).one()
    return {'remaining': int(remaining or 0), 'created_at': created_at}


def delete_for_user(user_id):
    with sql.session_for_write() as session:
        session.execute(sa.delete(Code).where(Code.user_id == user_id))


def consume(user_id, passcode):
    """Use up the matching unused code; True if there was one.

    Single use across processes: the row is marked used with a conditional
    UPDATE, so two concurrent requests cannot both succeed.
    """
    plain = normalize(passcode)
    if plain is None:
        return False
    with sql.session_for_read() as session:
        candidates = session.execute(
            sa.select(Code.id, Code.code_hash).where(
                Code.user_id == user_id, Code.used_at.is_(None),
                Code.lookup == plain[:GROUP_LENGTH])).all()
    for code_id, code_hash in candidates:
        if password_hashing.check_password(plain[GROUP_LENGTH:], code_hash):
            with sql.session_for_write() as session:
                result = session.execute(
                    sa.update(Code)
                    .where(Code.id == code_id, Code.used_at.is_(None))
                    .values(used_at=timeutils.utcnow()))
                return result.rowcount == 1
    return False
