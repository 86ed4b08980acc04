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
"""Racing logins against real servers, several sharing one database.

`SharedDatabaseKeystones` starts keystone servers that share one MariaDB
database and their key repositories (as API nodes behind a load balancer);
`race()` sends one request to all of them at the same moment.
"""

import atexit
import concurrent.futures
import threading

import fixtures
import pyotp
import requests

from tests import db
from tests.functional import base


def add_totp_credential(server, user_id):
    """The seed flow: a base32 secret stored through POST /v3/credentials."""
    secret = pyotp.random_base32(32)
    server.adapter().post('/credentials', json={'credential': {
        'blob': secret, 'type': 'totp', 'user_id': user_id}})
    return pyotp.TOTP(secret)


def totp_body(user_id, passcode):
    return {'auth': {'identity': {'methods': ['totp'], 'totp': {
        'user': {'id': user_id, 'passcode': passcode}}}}}


def password_totp_body(user_id, password, passcode):
    """Both factors in one request: a failure here counts toward lockout."""
    return {'auth': {'identity': {
        'methods': ['password', 'totp'],
        'password': {'user': {'id': user_id, 'password': password}},
        'totp': {'user': {'id': user_id, 'passcode': passcode}}}}}


def race(urls, body, path='/auth/tokens', headers=None):
    """POST the same body to every URL at the same moment; return statuses.

    `urls` are /v3 URLs; list one several times to send it several requests.
    """
    barrier = threading.Barrier(len(urls))

    def post(url):
        barrier.wait()
        return requests.post(url + path, json=body, headers=headers or {},
                             timeout=60).status_code

    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        return sorted(pool.map(post, urls))


def spread(servers, count):
    """`count` /v3 URLs taking turns over `servers`."""
    return [servers[i % len(servers)].auth_url for i in range(count)]


def shared_keys_config(server):
    """keystone.conf text that makes another server use `server`'s keys."""
    return ''.join(
        f'[{group}]\nkey_repository = {server.state_dir}/{name}\n'
        for group, name in (('fernet_tokens', 'fernet-keys'),
                            ('fernet_receipts', 'fernet-receipt-keys'),
                            ('credential', 'credential-keys')))


class SharedDatabaseKeystones(fixtures.Fixture):
    """`count` keystone servers on one new MariaDB database and one key set.

    Raises db.Unavailable when there is no MariaDB to create it on.
    """

    def __init__(self, count=2, extra_config='', workers=2):
        super().__init__()
        self.count = count
        self.extra_config = extra_config
        self.workers = workers

    def _setUp(self):
        self.database_url, drop = db.create_database('mysql')
        self.addCleanup(drop)
        first = self.useFixture(base.DevServer(
            database_url=self.database_url,
            extra_config=self.extra_config or None, workers=self.workers))
        self.servers = [first]
        for _ in range(self.count - 1):
            # Their own processes and SMTP sinks; same database and keys.
            self.servers.append(self.useFixture(base.DevServer(
                database_url=self.database_url,
                extra_config=shared_keys_config(first) + self.extra_config,
                workers=self.workers, admin_password=first.admin_password)))


_SHARED = {}


def shared(name, factory):
    """One started fixture per test process and name, cleaned up at exit.

    Servers take seconds to start, so the tests of a module share them. A
    fixture that could not start raises the same error for every caller.
    """
    if name not in _SHARED:
        fixture = factory()
        try:
            fixture.setUp()
        except fixtures.MultipleExceptions as e:
            _SHARED[name] = e.args[0][1]   # what _setUp raised
        else:
            atexit.register(fixture.cleanUp)
            _SHARED[name] = fixture
    found = _SHARED[name]
    if isinstance(found, Exception):
        raise found
    return found
