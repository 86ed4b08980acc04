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
"""Storage of rate-limit events: one row per counted event and bucket."""

import uuid

from oslo_db import api as oslo_db_api
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.ratelimit.backends import base


class RateEvent(sql.ModelBase):
    """One counted event (e.g. a password-recovery request) per bucket."""

    __tablename__ = 'mfa_rate_event'
    id = sa.Column(sa.String(64), primary_key=True)
    bucket = sa.Column(sa.String(191), nullable=False)
    created_at = sa.Column(sa.DateTime(), nullable=False)
    __table_args__ = (
        sa.Index('ix_mfa_rate_event_bucket_created', 'bucket', 'created_at'),
        sql.TABLE_ARGS,
    )


class RateLimit(base.RateDriverBase):

    def count_and_add_event(self, bucket, since, now):
        """Events in `bucket` since `since` (before this one); records one."""
        with sql.session_for_write() as session:
            count = session.execute(
                sa.select(sa.func.count()).select_from(RateEvent)
                .where(RateEvent.bucket == bucket,
                       RateEvent.created_at >= since)).scalar_one()
            session.execute(sa.delete(RateEvent).where(
                RateEvent.bucket == bucket, RateEvent.created_at < since))
            session.add(RateEvent(id=uuid.uuid4().hex, bucket=bucket,
                                  created_at=now))
        return count

    def count_events(self, bucket, since):
        """Events in `bucket` since `since`; records nothing."""
        with sql.session_for_read() as session:
            return session.execute(
                sa.select(sa.func.count()).select_from(RateEvent)
                .where(RateEvent.bucket == bucket,
                       RateEvent.created_at >= since)).scalar_one()

    @oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)
    def add_event(self, bucket, since, now):
        """Record one event in `bucket`; forget its events before `since`.

        Concurrent events of one bucket can deadlock on InnoDB's gap locks
        (the DELETE's range and the INSERT): retried, as keystone retries.
        """
        with sql.session_for_write() as session:
            session.execute(sa.delete(RateEvent).where(
                RateEvent.bucket == bucket, RateEvent.created_at < since))
            session.add(RateEvent(id=uuid.uuid4().hex, bucket=bucket,
                                  created_at=now))
