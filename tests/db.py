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
"""Throw-away databases on real MariaDB/MySQL and PostgreSQL servers.

oslo.db's "opportunistic" convention, as keystone's own tests use it: the
servers are found by oslo_db.sqlalchemy.provision, as user / password
`openstack_citest` on localhost (tools/test-setup.sh creates them), or at
the URLs of OS_TEST_DBAPI_ADMIN_CONNECTION (';'-separated). Each test
database is created there with a random name and dropped afterwards.

A backend that is not there skips its tests -- unless
MFA_EXT_REQUIRE_DB_BACKENDS names it (comma-separated, e.g.
`mysql,postgresql`, as .ci/run sets it): then those tests fail, so a CI
machine that lost a server cannot pass by skipping.
"""

import os
import secrets

from oslo_db import exception as db_exception
from oslo_db.sqlalchemy import provision
from oslo_db.sqlalchemy import test_fixtures
import sqlalchemy as sa

BACKENDS = ('mysql', 'postgresql')
REQUIRE_ENV = 'MFA_EXT_REQUIRE_DB_BACKENDS'


class Unavailable(Exception):
    """The backend is not reachable: the test is skipped."""


class RequiredBackendUnavailable(Exception):
    """The backend is not reachable but required: the test fails.

    Deliberately not an Unavailable, so code that skips on Unavailable
    lets this one through.
    """


def required_backends():
    """The backends named by MFA_EXT_REQUIRE_DB_BACKENDS."""
    names = {name.strip().lower()
             for name in os.environ.get(REQUIRE_ENV, '').split(',')}
    names.discard('')
    unknown = names - set(BACKENDS)
    if unknown:
        # A typo must not quietly turn the requirement off.
        raise ValueError(f'{REQUIRE_ENV}: unknown backend(s) '
                         f'{", ".join(sorted(unknown))}; use {BACKENDS}')
    return names


def unavailable(backend, reason):
    """The exception for a missing backend: a skip, or if required a fail."""
    if backend in required_backends():
        return RequiredBackendUnavailable(
            f'{backend} is required ({REQUIRE_ENV}) but not available: '
            f'{reason}')
    return Unavailable(f'{backend} not available: {reason}')


def server(backend, admin_url=None):
    """oslo.db's provisioning Backend for `backend`, checked reachable.

    `admin_url` replaces the opportunistic URL (tests of this module).
    """
    try:
        if admin_url is None:
            return provision.Backend.backend_for_database_type(backend)
        found = provision.Backend(backend, sa.engine.make_url(admin_url))
        return found._verify()
    except db_exception.BackendNotAvailable as e:
        raise unavailable(backend, e) from e


def create_database(backend, admin_url=None):
    """Create an empty database; return (url, drop callable)."""
    found = server(backend, admin_url)
    name = 'mfa_ext_' + secrets.token_hex(5)
    found.create_named_database(name)
    url = found.provisioned_database_url(name)
    if backend == 'mysql':
        url = url.update_query_dict({'charset': 'utf8mb4'})

    def drop():
        found.drop_named_database(name, conditional=True)

    return url.render_as_string(hide_password=False), drop


class OpportunisticDBTestMixin(test_fixtures.OpportunisticDBTestMixin):
    """oslo.db's mixin, failing instead of skipping for required backends.

    Use with FIXTURE = test_fixtures.MySQLOpportunisticFixture or
    PostgresqlOpportunisticFixture, as keystone's own migration tests do.
    """

    @property
    def SKIP_ON_UNAVAILABLE_DB(self):
        return self.FIXTURE.DRIVER not in required_backends()
