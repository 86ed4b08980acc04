#!/usr/bin/env bash
# The oslo.db "opportunistic" test databases, as OpenStack's CI prepares
# them: user openstack_citest / password openstack_citest, database
# openstack_citest, allowed to create and drop the throw-away databases the
# tests use. Idempotent. Talks to the servers as their administrators:
#   MFA_EXT_MYSQL_ROOT_URL     (default mysql+pymysql://root@127.0.0.1:3306/)
#   MFA_EXT_POSTGRESQL_ROOT_URL
#       (default postgresql+psycopg2://postgres@127.0.0.1:5432/postgres)
# Arguments: the backends to prepare (default: mysql postgresql).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${MFA_EXT_VENV:-$top/.venv}
# SQLAlchemy and the database drivers (pinned in test-requirements.txt)
# only: the other test requirements need the Debian packages that
# run-tests.sh installs.
"$venv/bin/python" -c 'import sqlalchemy' 2>/dev/null || "$top/tools/venv.sh"
mapfile -t drivers < <(grep -iE '^(PyMySQL|psycopg2-binary)\b' \
    "$top/test-requirements.txt")
"$venv/bin/python" -m pip install --quiet "${drivers[@]}"
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(mysql postgresql)

"$venv/bin/python" - "${backends[@]}" <<'EOF'
import os
import sys

import sqlalchemy as sa

USER = PASSWORD = DATABASE = 'openstack_citest'
ROOT = {
    'mysql': os.environ.get('MFA_EXT_MYSQL_ROOT_URL',
                            'mysql+pymysql://root@127.0.0.1:3306/'),
    'postgresql': os.environ.get(
        'MFA_EXT_POSTGRESQL_ROOT_URL',
        'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres'),
}
STATEMENTS = {
    # Both host patterns: a TCP client on 127.0.0.1 may be matched as
    # 'localhost' (ahead of '%', and of any anonymous ''@localhost user).
    'mysql': [
        f"CREATE USER IF NOT EXISTS '{USER}'@'{host}'"
        f" IDENTIFIED BY '{PASSWORD}'" for host in ('%', 'localhost')
    ] + [
        f"ALTER USER '{USER}'@'{host}' IDENTIFIED BY '{PASSWORD}'"
        for host in ('%', 'localhost')
    ] + [
        f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'{host}' WITH GRANT OPTION"
        for host in ('%', 'localhost')
    ] + [
        f'CREATE DATABASE IF NOT EXISTS {DATABASE} CHARACTER SET utf8mb4',
        'FLUSH PRIVILEGES',
    ],
    # CREATEDB is enough: the tests only create, use and drop databases
    # of their own.
    'postgresql': [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles"
        f" WHERE rolname = '{USER}') THEN CREATE ROLE {USER}; END IF;"
        f" END $$",
        f"ALTER ROLE {USER} WITH LOGIN CREATEDB PASSWORD '{PASSWORD}'",
    ],
}


def setup(backend):
    engine = sa.create_engine(ROOT[backend], isolation_level='AUTOCOMMIT')
    try:
        with engine.connect() as conn:
            for statement in STATEMENTS[backend]:
                conn.execute(sa.text(statement))
            if backend == 'postgresql' and not conn.scalar(sa.text(
                    'SELECT 1 FROM pg_database WHERE datname = :name'),
                    {'name': DATABASE}):
                conn.exec_driver_sql(
                    f'CREATE DATABASE {DATABASE} OWNER {USER}')
    finally:
        engine.dispose()
    print(f'{backend}: user and database {DATABASE} ready on '
          f'{engine.url.host}:{engine.url.port}')


for name in sys.argv[1:]:
    setup(name)
EOF
