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
"""Storage of domain MFA policies and of users' enrollment grace periods."""

import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.enforcement.backends import base


class DomainPolicy(sql.ModelBase, sql.ModelDictMixin):
    __tablename__ = 'mfa_domain_policy'
    attributes = ['domain_id', 'enforcement', 'rules', 'grace_period_days',
                  'updated_at']
    domain_id = sa.Column(sa.String(64), primary_key=True)
    enforcement = sa.Column(sa.String(16), nullable=False)
    rules = sa.Column(sa.Text(), nullable=False)
    grace_period_days = sa.Column(sa.Integer(), nullable=False)
    updated_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (sql.TABLE_ARGS,)


class Grace(sql.ModelBase, sql.ModelDictMixin):
    """A user of a "required" domain who may still enroll until then."""

    __tablename__ = 'mfa_enrollment_grace'
    attributes = ['user_id', 'domain_id', 'grace_until']
    user_id = sa.Column(sa.String(64), primary_key=True)
    domain_id = sa.Column(sa.String(64), nullable=False)
    grace_until = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (
        sa.Index('ix_mfa_enrollment_grace_domain', 'domain_id'),
        sa.Index('ix_mfa_enrollment_grace_until', 'grace_until'),
        sql.TABLE_ARGS,
    )


class Enforcement(base.EnforcementDriverBase):

    def get_policy(self, domain_id):
        """The domain's policy as a dict, or None if it never had one."""
        with sql.session_for_read() as session:
            row = session.get(DomainPolicy, domain_id)
            return row.to_dict() if row else None

    def put_policy(self, domain_id, values, end_graces):
        """Create or replace a domain's policy.

        `end_graces` also deletes the grace periods of the domain's users,
        in the same transaction.
        """
        with sql.session_for_write() as session:
            row = (session.get(DomainPolicy, domain_id)
                   or DomainPolicy(domain_id=domain_id))
            for column, value in values.items():
                setattr(row, column, value)
            session.add(row)
            if end_graces:
                session.execute(sa.delete(Grace).where(
                    Grace.domain_id == domain_id))

    def due_graces(self, now, limit=100):
        """Grace periods over at `now`: [grace dict], oldest end first."""
        with sql.session_for_read() as session:
            rows = session.execute(
                sa.select(Grace).where(Grace.grace_until <= now)
                .order_by(Grace.grace_until).limit(limit)).scalars()
            return [row.to_dict() for row in rows]

    def end_grace(self, user_id, grace_until):
        """Delete the grace period if it is still this one; True if it was.

        Of several processes ending the same grace period at once, exactly
        one wins and applies the rules.
        """
        with sql.session_for_write() as session:
            result = session.execute(sa.delete(Grace).where(
                Grace.user_id == user_id, Grace.grace_until == grace_until))
            return result.rowcount == 1

    def get_grace(self, user_id):
        """The user's grace period as a dict, or None if the user has none."""
        with sql.session_for_read() as session:
            row = session.get(Grace, user_id)
            return row.to_dict() if row else None

    def start_grace(self, user_id, domain_id, grace_until):
        """Give the user a grace period; one already running is kept."""
        with sql.session_for_write() as session:
            if session.get(Grace, user_id) is None:
                session.add(Grace(user_id=user_id, domain_id=domain_id,
                                  grace_until=grace_until))

    def delete_grace(self, user_id):
        with sql.session_for_write() as session:
            session.execute(sa.delete(Grace).where(Grace.user_id == user_id))
