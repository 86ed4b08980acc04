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
"""A real keystone whose SMTP server and database fail under it.

The server sends mail to a FaultySMTPServer (tests/smtp.py) that is down,
slow or refusing on demand, and reaches MariaDB through a relay that can
cut every connection (without MariaDB: SQLite, and the database tests
skip). Each failure must give a clean, bounded answer and leave no state
behind, and the server must work again once the fault is gone.
"""

import secrets
import socket
import threading
import time

import fixtures
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import sqlalchemy as sa
import testtools

from tests import db
from tests.functional import base
from tests.functional import mail_helpers as mails
from tests.functional import totp_helpers
from tests import smtp

SMTP_TIMEOUT = 2             # [spassword] smtp_timeout of the server
SLOW_REPLY = 30              # the slow SMTP server answers after this
MARGIN = 10                  # keystone's own work, on a busy CI machine
FAULTS = (smtp.DOWN, smtp.SLOW, smtp.REFUSING)
RECEIPT = 'Openstack-Auth-Receipt'
UNKNOWN_USER = 'f' * 32


class DatabaseRelay(fixtures.Fixture):
    """A TCP relay to the database server that can be cut and restored.

    `cut()` drops every relayed connection and refuses new ones, as an
    unreachable database does; `restore()` listens again on the same port.
    """

    def __init__(self, host, port):
        super().__init__()
        self.target = (host, port)

    def _setUp(self):
        self.port = smtp.free_port()
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = None
        self.restore()
        self.addCleanup(self.cut)

    def restore(self):
        listener = socket.create_server(('127.0.0.1', self.port))
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,),
                         daemon=True).start()

    def cut(self):
        with self._lock:
            doomed = list(self._sockets) + [self._listener]
            self._sockets.clear()
            self._listener = None
        for sock in doomed:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def _accept(self, listener):
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return            # cut
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst),
                                 daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class FaultStack(fixtures.Fixture):
    """The faulty SMTP server, the database (relayed) and the keystone."""

    def _setUp(self):
        self.smtp = self.useFixture(smtp.FaultySMTPServer(delay=SLOW_REPLY))
        self.relay = None
        try:
            direct_url, drop = db.create_database('mysql')
        except db.Unavailable:
            direct_url = server_url = None
        else:
            self.addCleanup(drop)
            url = sa.engine.make_url(direct_url)
            self.relay = self.useFixture(DatabaseRelay(
                url.host or 'localhost', url.port or 3306))
            server_url = url.set(host='127.0.0.1', port=self.relay.port)
            server_url = server_url.render_as_string(hide_password=False)
        self.server = self.useFixture(base.DevServer(
            database_url=server_url,
            extra_config=(
                '[spassword]\nsmtp_server = 127.0.0.1\n'
                f'smtp_port = {self.smtp.port}\nsmtp_tls = false\n'
                f'smtp_timeout = {SMTP_TIMEOUT}\n'
                # A second verification mail right after the first must
                # meet the fault, not the resend interval.
                'checkemail_resend_interval = 0\n'
                # Cheap password hashes: faults, not hashing, are tested.
                '[identity]\npassword_hash_rounds = 4\n')))
        self.direct_url = direct_url or (
            f'sqlite:///{self.server.state_dir}/keystone.db')
        self.database_name = direct_url and sa.engine.make_url(
            direct_url).database
        self.engine = sa.create_engine(self.direct_url,
                                       poolclass=sa.pool.NullPool)
        self.addCleanup(self.engine.dispose)


def fault_stack():
    return totp_helpers.shared('faults', FaultStack)


class _FaultTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.stack = fault_stack()
        self.server = self.stack.server
        self.smtp = self.stack.smtp
        self.smtp.set_mode(smtp.OK)
        self.addCleanup(self.smtp.set_mode, smtp.OK)

    def url(self, path):
        return self.server.auth_url + path

    def new_user(self, verified=False):
        email = f'f{secrets.token_hex(5)}@example.org'
        user = self.server.create_user(email=email)
        user['email'] = email
        me = self.server.adapter(ks_session.Session(auth=v3.Password(
            auth_url=self.server.auth_url, user_id=user['id'],
            password=user['password'], unscoped=True)))
        if verified:
            me.get(f'/users/{user["id"]}/checkemail')
            r = requests.post(self.mail_link(email), json={}, timeout=30)
            self.assertEqual(200, r.status_code, r.text)
        return user, me

    def mails_to(self, email):
        return [m for m in self.smtp.messages if m['To'] == email]

    def mail_link(self, email, count=1, timeout=20):
        deadline = time.monotonic() + timeout
        while len(self.mails_to(email)) < count:
            if time.monotonic() > deadline:
                self.fail(f'no mail #{count} to {email}')
            time.sleep(0.2)
        return mails.link_in(self.mails_to(email)[-1])

    def pending_codes(self, user_id, purpose):
        """Unused codes of the user stored in the database."""
        with self.stack.engine.connect() as conn:
            return conn.execute(sa.text(
                'SELECT COUNT(*) FROM mfa_email_code WHERE user_id = :u '
                'AND purpose = :p AND used_at IS NULL'),
                {'u': user_id, 'p': purpose}).scalar_one()

    def assertCleanError(self, status, response):
        """keystone's error body: code, title, message; no internals."""
        self.assertEqual(status, response.status_code, response.text)
        error = response.json()['error']
        self.assertEqual(status, error['code'])
        self.assertEqual({'code', 'title', 'message'}, set(error))
        for leak in ('Traceback', 'File "', 'sqlalchemy', 'pymysql',
                     'smtplib', 'Errno'):
            self.assertNotIn(leak, response.text)

    def timed(self, call, *args, what='', **kwargs):
        start = time.monotonic()
        response = call(*args, timeout=60, **kwargs)
        elapsed = time.monotonic() - start
        print(f'fault: {what} -> {response.status_code} in {elapsed:.2f} s',
              flush=True)
        return response, elapsed


class SMTPFaultTestCase(_FaultTestCase):
    """Down (port closed), slow (no reply within smtp_timeout), refusing."""

    bound = SMTP_TIMEOUT + MARGIN

    def test_checkemail_answers_503_and_keeps_the_older_link(self):
        for fault in FAULTS:
            user, me = self.new_user()
            path = f'/users/{user["id"]}/checkemail'
            self.assertEqual(200, me.get(path).status_code)
            older_link = self.mail_link(user['email'])
            self.smtp.set_mode(fault)
            token = me.session.get_token()
            r, elapsed = self.timed(requests.get, self.url(path),
                                    headers={'X-Auth-Token': token},
                                    what=f'checkemail, SMTP {fault}')
            self.assertCleanError(503, r)
            self.assertLess(elapsed, self.bound, fault)
            # No code was stored for the mail that did not go out.
            self.assertEqual(1, self.pending_codes(user['id'], 'checkemail'),
                             fault)
            self.assertEqual(1, len(self.mails_to(user['email'])), fault)
            self.smtp.set_mode(smtp.OK)
            r = requests.post(older_link, json={}, timeout=30)
            self.assertEqual(200, r.status_code, f'{fault}: {r.text}')

    def test_recover_password_answers_202_alike_and_stores_nothing(self):
        unknown = requests.post(
            self.url(f'/users/{UNKNOWN_USER}/recover_password'), timeout=30)
        for fault in FAULTS:
            user, _me = self.new_user(verified=True)
            self.smtp.set_mode(fault)
            r, elapsed = self.timed(requests.post, self.url(
                f'/users/{user["id"]}/recover_password'),
                what=f'recover_password, SMTP {fault}')
            self.assertEqual((unknown.status_code, unknown.text),
                             (r.status_code, r.text), fault)
            # The mail is sent after the answer: no wait, no timing hint.
            self.assertLess(elapsed, MARGIN, fault)
            self.wait_for_log(
                f'Password reset mail for user {user["id"]} not delivered')
            self.assertEqual(0, self.pending_codes(user['id'], 'reset'),
                             fault)
            self.smtp.set_mode(smtp.OK)

    def wait_for_log(self, text):
        deadline = time.monotonic() + SLOW_REPLY
        while not self.server.log_contains(text):
            if time.monotonic() > deadline:
                self.fail(f'not logged: {text}')
            time.sleep(0.2)

    def test_sndfa_step_answers_503_and_the_next_one_mails_a_code(self):
        for fault in FAULTS:
            user, me = self.new_user(verified=True)
            uid = user['id']
            me.post(f'/users/{uid}/sndfa', json={'enable': True})
            r = requests.post(self.url('/auth/tokens'), json={
                'auth': {'identity': {'methods': ['password'], 'password': {
                    'user': {'id': uid, 'password': user['password']}}}}},
                timeout=30)
            receipt = {RECEIPT: r.headers[RECEIPT]}
            sndfa = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
                'user': {'id': uid}}}}}
            self.smtp.set_mode(fault)
            r, elapsed = self.timed(requests.post, self.url('/auth/tokens'),
                                    json=sndfa, headers=receipt,
                                    what=f'sndfa step, SMTP {fault}')
            self.assertCleanError(503, r)
            self.assertLess(elapsed, self.bound, fault)
            self.assertEqual(0, self.pending_codes(uid, 'sndfa'), fault)
            # Nothing half-done: no resend wait for a mail never sent.
            self.smtp.set_mode(smtp.OK)
            r = requests.post(self.url('/auth/tokens'), json=sndfa,
                              headers=receipt, timeout=30)
            self.assertEqual(401, r.status_code)
            self.assertTrue(r.json()['identity']['sndfa']['code_sent'],
                            f'{fault}: {r.text}')
            mail = self.mails_to(user['email'])[-1]
            sndfa['auth']['identity']['sndfa']['code'] = mails.code_in(mail)
            r = requests.post(self.url('/auth/tokens'), json=sndfa,
                              headers=receipt, timeout=30)
            self.assertEqual(201, r.status_code, f'{fault}: {r.text}')


class DatabaseFaultTestCase(_FaultTestCase):
    """MariaDB connections killed, or the database unreachable for a while.

    Whatever a request meets, its answer is keystone's error body (no
    traceback, no driver text), and the same processes serve again once
    the database is back.
    """

    bound = 30                # no request may hang on a dead database

    def setUp(self):
        super().setUp()
        if self.stack.relay is None:
            self.skipTest('needs MariaDB, reached through the test relay')
        self.user = self.server.create_user()
        self.otp = totp_helpers.add_totp_credential(self.server,
                                                    self.user['id'])
        self.token = self.server.session(system_scope='all').get_token()
        self.pid = self.server.process.pid

    def wrong_code(self):
        return next(c for c in ('000000', '111111') if c != self.otp.now())

    def one_of_each(self):
        """[(what, expected status, response)]: keystone's and ours."""
        uid = self.user['id']
        password = {'auth': {'identity': {'methods': ['password'],
                    'password': {'user': {
                        'id': uid, 'password': self.user['password']}}}}}
        calls = [
            ('password login', 201, requests.post,
             self.url('/auth/tokens'), {'json': password}),
            ('GET /users/{id}/mfa', 200, requests.get,
             self.url(f'/users/{uid}/mfa'),
             {'headers': {'X-Auth-Token': self.token}}),
            ('totp login, wrong code', 401, requests.post,
             self.url('/auth/tokens'),
             {'json': totp_helpers.totp_body(uid, self.wrong_code())}),
        ]
        results = []
        for what, expected, call, url, kwargs in calls:
            r, elapsed = self.timed(call, url, what=what, **kwargs)
            self.assertLess(elapsed, self.bound, what)
            results.append((what, expected, r))
        return results

    def assertCleanAnswers(self, results):
        """Each answer is the expected one or a clean 5xx; count failures."""
        failed = 0
        for what, expected, r in results:
            if r.status_code != expected:
                failed += 1
                self.assertGreaterEqual(r.status_code, 500, what)
                self.assertCleanError(r.status_code, r)
        return failed

    def until_recovered(self, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            results = self.one_of_each()
            if not self.assertCleanAnswers(results):
                return
            self.assertLess(time.monotonic(), deadline,
                            'keystone did not recover')
            time.sleep(1)

    def kill_server_connections(self):
        with self.stack.engine.connect() as conn:
            ids = conn.execute(sa.text(
                'SELECT ID FROM information_schema.PROCESSLIST '
                'WHERE DB = :db AND ID <> CONNECTION_ID()'),
                {'db': self.stack.database_name}).scalars().all()
            for connection_id in ids:
                try:
                    conn.execute(sa.text(f'KILL {int(connection_id)}'))
                except sa.exc.DBAPIError:
                    pass          # already gone
        return ids

    def test_killed_connections_are_replaced(self):
        self.assertEqual(0, self.assertCleanAnswers(self.one_of_each()))
        killed = self.kill_server_connections()
        self.assertTrue(killed)
        failed = sum(self.assertCleanAnswers(self.one_of_each())
                     for _round in range(3))
        print(f'fault: killed {len(killed)} MariaDB connections -> '
              f'{failed} of 9 following requests failed (cleanly)',
              flush=True)
        self.until_recovered()
        self.assertEqual(self.pid, self.server.process.pid)

    def test_unreachable_database_then_back(self):
        self.stack.relay.cut()
        try:
            failed = self.assertCleanAnswers(self.one_of_each())
        finally:
            self.stack.relay.restore()
        self.assertGreater(failed, 0, 'the database was not really cut')
        self.until_recovered()
        self.assertIsNone(self.server.process.poll())
        self.assertEqual(self.pid, self.server.process.pid)


class CodeAcceptedTokenRefusedTestCase(_FaultTestCase):
    """A crash between "code accepted" and "token issued" never reuses a code.

    keystone runs the auth methods first and issues the token after them.
    Our methods consume a code in their own committed transaction (one
    conditional UPDATE) before they hand back to keystone, so whatever
    breaks afterwards - a worker that dies, a lost database, or, as made
    here, keystone refusing a project the user has no role on - finds the
    code already spent: the request fails and the code is dead. A user
    loses one code; nobody ever gets a second use of it.
    """

    def setUp(self):
        super().setUp()
        self.admin = self.server.adapter(
            self.server.session(system_scope='all'))
        self.project_id = self.admin.post('/projects', json={'project': {
            'name': 'p-' + secrets.token_hex(6),
            'domain_id': 'default'}}).json()['project']['id']
        self.user, self.me = self.new_user(verified=True)
        self.uid = self.user['id']

    def post(self, body, scoped=False, headers=None):
        if scoped:
            body = dict(body, auth=dict(body['auth'], scope={
                'project': {'id': self.project_id}}))
        return requests.post(self.url('/auth/tokens'), json=body,
                             headers=headers or {}, timeout=30)

    def audit(self):
        return [(a['method'], a['status']) for a in self.admin.get(
            f'/users/{self.uid}/mfa/attempts').json()['attempts']]

    def assertSpentByRefusedToken(self, body, headers=None, method='totp'):
        r = self.post(body, scoped=True, headers=headers)
        self.assertEqual(401, r.status_code, r.text)
        # Our method had accepted the code; keystone refused the scope.
        self.assertIn((method, 'success'), self.audit())
        r = self.post(body, headers=headers)
        self.assertEqual(401, r.status_code, r.text)

    def test_totp_code(self):
        otp = totp_helpers.add_totp_credential(self.server, self.uid)
        self.assertSpentByRefusedToken(
            totp_helpers.totp_body(self.uid, otp.now()))
        # The user is not locked out: the next code works.
        r = self.post(totp_helpers.totp_body(
            self.uid, otp.at(time.time() + 30)))
        self.assertEqual(201, r.status_code, r.text)

    def test_recovery_code(self):
        path = f'/users/{self.uid}/recovery_codes'
        codes = self.me.post(path).json()['recovery_codes']['codes']
        self.assertSpentByRefusedToken(
            totp_helpers.totp_body(self.uid, codes[0]))
        self.assertEqual(9, self.me.get(path).json()[
            'recovery_codes']['remaining'])
        r = self.post(totp_helpers.totp_body(self.uid, codes[1]))
        self.assertEqual(201, r.status_code, r.text)

    def test_emailed_sndfa_code(self):
        self.me.post(f'/users/{self.uid}/sndfa', json={'enable': True})
        r = self.post({'auth': {'identity': {'methods': ['password'],
                       'password': {'user': {
                           'id': self.uid,
                           'password': self.user['password']}}}}})
        receipt = {RECEIPT: r.headers[RECEIPT]}
        sndfa = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.uid}}}}}
        self.assertTrue(self.post(sndfa, headers=receipt).json()[
            'identity']['sndfa']['code_sent'])
        sndfa['auth']['identity']['sndfa']['code'] = mails.code_in(
            self.mails_to(self.user['email'])[-1])
        self.assertSpentByRefusedToken(sndfa, receipt, method='sndfa')
