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
"""Storage of the email factor: verified address, codes, approvals."""

import uuid

import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.sndfa.backends import base


class EmailFactor(sql.ModelBase, sql.ModelDictMixin):
    """The user's email factor.

    `verified_email` is the address that was verified: when the user's
    address changes, the verification no longer applies.
    """

    __tablename__ = 'mfa_email_factor'
    attributes = ['user_id', 'verified_email', 'sndfa_enabled',
                  'updated_at']
    user_id = sa.Column(sa.String(64), primary_key=True)
    verified_email = sa.Column(sa.String(255), nullable=True)
    sndfa_enabled = sa.Column(sa.Boolean(), nullable=False, default=False)
    updated_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (sql.TABLE_ARGS,)


class EmailCode(sql.ModelBase, sql.ModelDictMixin):
    """A code sent by mail; only its salted slow hash is stored."""

    __tablename__ = 'mfa_email_code'
    attributes = ['id', 'user_id', 'purpose', 'code_hash', 'created_at',
                  'expires_at', 'attempts', 'used_at', 'client_ip', 'email']
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    purpose = sa.Column(sa.String(16), nullable=False)
    code_hash = sa.Column(sa.String(255), nullable=False)
    created_at = sa.Column(sql.PreciseDateTime, nullable=False)
    expires_at = sa.Column(sa.DateTime(), nullable=False)
    attempts = sa.Column(sa.Integer(), nullable=False, default=0)
    used_at = sa.Column(sa.DateTime(), nullable=True)
    client_ip = sa.Column(sa.String(64), nullable=True)
    email = sa.Column(sa.String(255), nullable=True)
    __table_args__ = (
        sa.Index('ix_mfa_email_code_user_purpose', 'user_id', 'purpose'),
        sql.TABLE_ARGS,
    )


class Approval(sql.ModelBase, sql.ModelDictMixin):
    """A login approved from an emailed link (FIWARE mode)."""

    __tablename__ = 'mfa_sndfa_approval'
    attributes = ['id', 'user_id', 'client_ip', 'expires_at']
    id = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(64), nullable=False)
    client_ip = sa.Column(sa.String(64), nullable=True)
    expires_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (
        sa.Index('ix_mfa_sndfa_approval_user', 'user_id'),
        sql.TABLE_ARGS,
    )


class Email(base.EmailDriverBase):
    """The email factor's rows in keystone's database."""

    # --- factor ------------------------------------------------------------

    def get_factor(self, user_id):
        """The user's factor as a dict, or None if it was never set."""
        with sql.session_for_read() as session:
            row = session.get(EmailFactor, user_id)
            return row.to_dict() if row else None

    def upsert_factor(self, user_id, now, **values):
        """Create or update the user's factor; returns whether a value changed.

        A new factor always counts as a change.
        """
        values['updated_at'] = now
        with sql.session_for_write() as session:
            row = session.get(EmailFactor, user_id)
            if row is None:
                values.setdefault('sndfa_enabled', False)
                session.add(EmailFactor(user_id=user_id, **values))
                return True
            changed = any(getattr(row, k) != v for k, v in values.items()
                          if k != 'updated_at')
            for key, value in values.items():
                setattr(row, key, value)
            return changed

    def delete_for_user(self, user_id):
        """Forget the user's factor, codes and approvals in one transaction."""
        with sql.session_for_write() as session:
            for model in (EmailFactor, EmailCode, Approval):
                session.execute(sa.delete(model).where(
                    model.user_id == user_id))

    # --- codes -------------------------------------------------------------

    def add_code(self, user_id, purpose, code_hash, now, expires_at,
                 client_ip=None, email=None):
        """Store a fresh, unused code hash; returns its row as a dict."""
        row = EmailCode(id=uuid.uuid4().hex, user_id=user_id,
                        purpose=purpose, code_hash=code_hash,
                        created_at=now, attempts=0, client_ip=client_ip,
                        email=email, expires_at=expires_at)
        with sql.session_for_write() as session:
            session.add(row)
            session.flush()
            return row.to_dict()

    def delete_older_codes(self, user_id, purpose, code_id, created_at):
        """Delete the user's codes of `purpose` made up to `created_at`.

        `code_id` itself stays.
        """
        with sql.session_for_write() as session:
            session.execute(sa.delete(EmailCode).where(
                EmailCode.user_id == user_id, EmailCode.purpose == purpose,
                EmailCode.id != code_id, EmailCode.created_at <= created_at))

    def delete_code(self, code_id):
        with sql.session_for_write() as session:
            session.execute(sa.delete(EmailCode)
                            .where(EmailCode.id == code_id))

    def last_created_at(self, user_id, purpose):
        """When the user's newest code of `purpose` was made, or None."""
        with sql.session_for_read() as session:
            return session.execute(
                sa.select(sa.func.max(EmailCode.created_at)).where(
                    EmailCode.user_id == user_id,
                    EmailCode.purpose == purpose)).scalar_one()

    def newest_live_code(self, user_id, purpose, now):
        """The newest unused, unexpired code of `purpose` (dict), or None."""
        with sql.session_for_read() as session:
            row = session.execute(sa.select(EmailCode).where(
                EmailCode.user_id == user_id, EmailCode.purpose == purpose,
                EmailCode.used_at.is_(None), EmailCode.expires_at > now)
                .order_by(EmailCode.created_at.desc())).scalars().first()
            return row.to_dict() if row else None

    def claim_code(self, code_id, now, attempt_limit):
        """Mark the code used if it still is live; True if this call did.

        One conditional UPDATE, so of two concurrent claims only one wins.
        """
        with sql.session_for_write() as session:
            result = session.execute(
                sa.update(EmailCode).where(
                    EmailCode.id == code_id, EmailCode.used_at.is_(None),
                    EmailCode.expires_at > now,
                    EmailCode.attempts < attempt_limit)
                .values(used_at=now))
        return result.rowcount == 1

    def release_code(self, code_id):
        """Mark a claimed code unused again."""
        with sql.session_for_write() as session:
            session.execute(sa.update(EmailCode).where(EmailCode.id == code_id)
                            .values(used_at=None))

    def count_wrong_attempt(self, code_id, now, attempt_limit):
        """Count one wrong try atomically; at `attempt_limit` it expires."""
        with sql.session_for_write() as session:
            # expires_at first: MySQL evaluates SET left to right (see
            # lockout).
            session.execute(
                sa.update(EmailCode).where(EmailCode.id == code_id)
                .ordered_values(
                    (EmailCode.expires_at, sa.case(
                        (EmailCode.attempts + 1 >= attempt_limit, now),
                        else_=EmailCode.expires_at)),
                    (EmailCode.attempts, EmailCode.attempts + 1)))

    # --- approvals (FIWARE mode) -------------------------------------------

    def add_approval(self, user_id, client_ip, expires_at):
        with sql.session_for_write() as session:
            session.add(Approval(
                id=uuid.uuid4().hex, user_id=user_id, client_ip=client_ip,
                expires_at=expires_at))

    def has_approval(self, user_id, client_ip, now, bind_client_address):
        """Whether the user has an approval live at `now`.

        With `bind_client_address` it must be for `client_ip`.
        """
        query = sa.select(Approval.id).where(
            Approval.user_id == user_id, Approval.expires_at > now)
        if bind_client_address:
            query = query.where(Approval.client_ip == client_ip)
        with sql.session_for_read() as session:
            return session.execute(query.limit(1)).first() is not None
