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
"""Throw-away databases on the real servers of the test machine.

SQLite always works. MariaDB/MySQL and PostgreSQL are used when reachable
(127.0.0.1, root / trust, as on the CI machine); override with
MFA_EXT_TEST_MYSQL_URL / MFA_EXT_TEST_POSTGRESQL_URL (server URLs without a
database name). A test on a server that is not there is skipped, not passed.
"""

import os
import secrets

import sqlalchemy as sa

SERVERS = {
    'mysql': os.environ.get('MFA_EXT_TEST_MYSQL_URL',
                            'mysql+pymysql://root@127.0.0.1:3306'),
    'postgresql': os.environ.get(
        'MFA_EXT_TEST_POSTGRESQL_URL',
        'postgresql+psycopg2://postgres@127.0.0.1:5432'),
}


class Unavailable(Exception):
    pass


def create_database(backend):
    """Create an empty database; return (url, drop callable)."""
    server_url = SERVERS[backend]
    name = 'mfa_ext_test_' + secrets.token_hex(4)
    admin_db = '/postgres' if backend == 'postgresql' else '/'
    try:
        admin = sa.create_engine(server_url + admin_db,
                                 isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE {name}'))
    except Exception as e:  # no driver, no server, no permission
        raise Unavailable(f'{backend} not available: {e}') from e
    suffix = '?charset=utf8mb4' if backend == 'mysql' else ''

    def drop():
        with admin.connect() as conn:
            if backend == 'postgresql':
                conn.execute(sa.text(
                    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity'
                    f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"))
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS {name}'))
        admin.dispose()

    return f'{server_url}/{name}{suffix}', drop
