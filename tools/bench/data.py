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
"""Seeding the benchmark's data straight through SQL, for speed.

Users (keystone's `user`/`local_user`/`password` rows, one bcrypt hash made
by keystone's own hashing for all of them), keystone `totp` credentials and
our OTP devices (secrets encrypted with keystone's credential provider and
the server's credential keys), MFA rules (keystone's user options) and
100 000 login-attempt rows. Creating 100 000 users through the API would
cost one bcrypt each (about 0.3 s of server CPU); through SQL it takes
seconds. Everything the server later reads is in the same form it writes.
"""

import datetime
import json
import random
import secrets
import time
import uuid

from keystone.common import password_hashing
import keystone.conf
from keystone.credential.providers import fernet as fernet_credentials
from keystone.identity.backends import resource_options
from oslo_db import options as db_options
import pyotp
import sqlalchemy as sa

CONF = keystone.conf.CONF
DOMAIN = 'default'
CHUNK = 5000


def load_keystone_conf(files):
    """keystone's CONF in this process, from the server's own files."""
    keystone.conf.configure()
    db_options.set_defaults(CONF)
    CONF(args=[], project='keystone', default_config_files=files)


class Seeder:

    def __init__(self, password):
        self.password = password
        self.engine = sa.create_engine(CONF.database.connection)
        if self.engine.dialect.name == 'sqlite':
            # Readers stop blocking the writer: without WAL, 4 concurrent
            # logins on 2 servers x 2 workers end in "database is locked"
            # (HTTP 500) on stock keystone as on ours. Kept in the file.
            with self.engine.connect() as conn:
                conn.exec_driver_sql('PRAGMA journal_mode=WAL')
        self.meta = sa.MetaData()
        self.meta.reflect(self.engine, only=[
            'user', 'local_user', 'password', 'credential', 'user_option',
            'assignment', 'project', 'role',
            'mfa_otp_device', 'mfa_totp_used_step', 'mfa_login_attempt'])
        self.t = self.meta.tables
        self.crypto = fernet_credentials.Provider()

    def _insert(self, conn, table, rows):
        for i in range(0, len(rows), CHUNK):
            conn.execute(self.t[table].insert(), rows[i:i + CHUNK])

    def users(self, count, prefix=None):
        """`count` enabled users with the same password; [(id, name)]."""
        prefix = prefix or 'bench' + secrets.token_hex(3)
        password_hash = password_hashing.hash_password(self.password)
        now = datetime.datetime.utcnow()
        now_int = int(time.time() * 1000000)
        users = [(uuid.uuid4().hex, f'{prefix}-{i}') for i in range(count)]
        with self.engine.begin() as conn:
            self._insert(conn, 'user', [
                {'id': uid, 'domain_id': DOMAIN, 'enabled': True,
                 'extra': json.dumps({'email': f'{name}@example.org'}),
                 'created_at': now} for uid, name in users])
            self._insert(conn, 'local_user', [
                {'user_id': uid, 'domain_id': DOMAIN, 'name': name,
                 'failed_auth_count': 0} for uid, name in users])
            local = self.t['local_user']
            ids = dict(conn.execute(
                sa.select(local.c.user_id, local.c.id)
                .where(local.c.name.like(f'{prefix}-%'))).all())
            self._insert(conn, 'password', [
                {'local_user_id': ids[uid], 'password_hash': password_hash,
                 'created_at': now, 'created_at_int': now_int,
                 'self_service': False} for uid, _name in users])
        return users

    def member_of(self, user_ids, project_name='admin', role_name='member'):
        """Grant `role_name` on `project_name` (bootstrap made both).

        Returns the project id, for project-scoped token requests.
        """
        project, role = self.t['project'], self.t['role']
        with self.engine.begin() as conn:
            project_id = conn.execute(sa.select(project.c.id).where(
                project.c.name == project_name,
                project.c.domain_id == DOMAIN)).scalar_one()
            role_id = conn.execute(sa.select(role.c.id).where(
                role.c.name == role_name)).scalar_one()
            self._insert(conn, 'assignment', [
                {'type': 'UserProject', 'actor_id': uid,
                 'target_id': project_id, 'role_id': role_id,
                 'inherited': False} for uid in user_ids])
        return project_id

    def _encrypt(self, secret_b32):
        blob, key_hash = self.crypto.encrypt(secret_b32)
        return blob.decode('ascii'), key_hash

    def _used_before(self, conn, rows):
        """Each secret already used an hour ago, as in steady state.

        A device verified through the API, or a credential used once with
        our driver, has its single-use row; seeded ones get one too, so
        logins take the usual one-UPDATE path, not the first-use one.
        """
        step = int(time.time() // 30) - 120
        self._insert(conn, 'mfa_totp_used_step', [
            {'secret_id': r['id'], 'user_id': r['user_id'],
             'last_step': step} for r in rows])

    def totp_credentials(self, user_ids):
        """One keystone `totp` credential per user; {user_id: [secret]}."""
        found, rows = {}, []
        for uid in user_ids:
            secret = pyotp.random_base32(32)
            blob, key_hash = self._encrypt(secret)
            rows.append({'id': uuid.uuid4().hex, 'user_id': uid,
                         'type': 'totp', 'encrypted_blob': blob,
                         'key_hash': key_hash, 'extra': '{}'})
            found[uid] = [secret]
        with self.engine.begin() as conn:
            self._insert(conn, 'credential', rows)
            self._used_before(conn, rows)
        return found

    def devices(self, user_ids, per_user):
        """`per_user` verified SHA1/6/30 devices each; {user_id: [secret]}."""
        found, rows = {}, []
        now = datetime.datetime.utcnow()
        for uid in user_ids:
            found[uid] = []
            for i in range(per_user):
                secret = pyotp.random_base32(32)
                blob, key_hash = self._encrypt(secret)
                rows.append({
                    'id': uuid.uuid4().hex, 'user_id': uid,
                    'name': f'phone-{i}', 'secret': blob,
                    'key_hash': key_hash, 'algorithm': 'SHA1', 'digits': 6,
                    'period': 30, 'verified': True,
                    'created_at': now - datetime.timedelta(seconds=i),
                    'verified_at': now})
                found[uid].append(secret)
        with self.engine.begin() as conn:
            self._insert(conn, 'mfa_otp_device', rows)
            self._used_before(conn, rows)
        return found

    def mfa_rules(self, user_ids, rules):
        """keystone's own MFA user options, as PATCH /v3/users would set."""
        enabled = resource_options.MFA_ENABLED_OPT.option_id
        rule_opt = resource_options.MFA_RULES_OPT.option_id
        rows = []
        for uid in user_ids:
            rows.append({'user_id': uid, 'option_id': enabled,
                         'option_value': json.dumps(True)})
            rows.append({'user_id': uid, 'option_id': rule_opt,
                         'option_value': json.dumps(rules)})
        with self.engine.begin() as conn:
            self._insert(conn, 'user_option', rows)

    def attempts(self, count, user_ids, days=30):
        """`count` audit rows spread over `user_ids` and the last `days`."""
        rng = random.Random(42)
        now = datetime.datetime.utcnow()
        span = days * 86400
        rows = []
        for _i in range(count):
            rows.append({
                'id': secrets.token_hex(16), 'user_id': rng.choice(user_ids),
                'domain_id': DOMAIN, 'method': 'totp',
                'status': rng.choice(('success', 'success', 'failure')),
                'message': 'bench', 'client_ip': '127.0.0.1',
                'request_id': 'req-' + str(uuid.uuid4()),
                'timestamp': now - datetime.timedelta(
                    seconds=rng.random() * span),
                'client_headers': '{}', 'extra': '{}'})
        with self.engine.begin() as conn:
            self._insert(conn, 'mfa_login_attempt', rows)
