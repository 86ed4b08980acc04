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
"""The benchmark cases: one timed unit of work each, over HTTP only.

A case's `run(client)` takes what it needs from its pool (not timed), then
times its request(s) and returns the latency in seconds; an unexpected
answer raises `Unexpected`. TOTP secrets are used at most once per time
step (our driver refuses replays), which the pools guarantee.
"""

import email
import email.policy
import itertools
import os
import queue
import threading
import time
import urllib.parse

import pyotp

from tests.functional import mail_helpers

RECEIPT = 'Openstack-Auth-Receipt'
TOKENS = '/auth/tokens'


class Unexpected(Exception):
    pass


def expect(resp, *codes):
    if resp.status_code not in codes:
        raise Unexpected(f'{resp.request.method} {resp.url.split("?")[0]}'
                         f' -> {resp.status_code}: {resp.text[:200]}')
    return resp


class Item:
    """A user and one TOTP secret of it (or none)."""

    def __init__(self, user_id, secret=None, email_address=None):
        self.user_id = user_id
        self.secret = secret
        self.email = email_address
        self.last_step = None
        self.busy = False


def step_now():
    return int(time.time() // 30)


class Pool:
    """Items handed out one at a time, each secret once per TOTP step.

    `exclusive_user`: no two items of one user out at the same time (flows
    with per-user state, e.g. the sndfa code of the last mail).
    """

    def __init__(self, items, exclusive_user=False):
        self.items = list(items)
        self.exclusive_user = exclusive_user
        self._cond = threading.Condition()
        self._next = itertools.count()
        self._users_out = set()

    def _usable(self, item, step):
        if item.busy or (self.exclusive_user and
                         item.user_id in self._users_out):
            return False
        return item.secret is None or item.last_step is None or \
            item.last_step < step

    def take(self, timeout=35):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                step = step_now()
                start = next(self._next)
                for i in range(len(self.items)):
                    item = self.items[(start + i) % len(self.items)]
                    if self._usable(item, step):
                        item.busy = True
                        item.last_step = step
                        self._users_out.add(item.user_id)
                        return item
                if time.monotonic() > deadline:
                    raise Unexpected('pool exhausted')
                self._cond.wait(0.2)

    def give(self, item):
        with self._cond:
            item.busy = False
            self._users_out.discard(item.user_id)
            self._cond.notify_all()


def code_of(item):
    return pyotp.TOTP(item.secret).at(item.last_step * 30)


def password_method(item, password):
    return {'user': {'id': item.user_id, 'password': password}}


def totp_method(item):
    return {'user': {'id': item.user_id, 'passcode': code_of(item)}}


def auth_body(scope=None, **methods):
    body = {'auth': {'identity': {'methods': list(methods), **methods}}}
    if scope:
        body['auth']['scope'] = scope
    return body


class Case:
    name = None
    server = 'ours'

    def __init__(self, name, ctx, pool=None):
        self.name = name
        self.ctx = ctx
        self.pool = pool
        # Added to every request of the case (the SQL-count probe's mark).
        self.extra_headers = {}

    def url(self, path):
        return self.ctx.urls[self.server] + path

    def run(self, client):
        item = self.pool.take() if self.pool else None
        try:
            return self.timed(client, item)
        finally:
            if item is not None:
                self.pool.give(item)

    def timed(self, client, item):
        raise NotImplementedError

    def post_token(self, client, body, *codes, headers=None):
        return expect(client.post(self.url('/v3' + TOKENS), json=body,
                                  headers=dict(headers or {},
                                               **self.extra_headers),
                                  timeout=120), *codes)

    def get(self, client, path, *codes):
        """GET /v3`path` with the admin token."""
        return expect(client.get(self.url('/v3' + path), timeout=120,
                                 headers=dict(self.ctx.admin_headers,
                                              **self.extra_headers)),
                      *codes)


class TokenCase(Case):
    """POST /v3/auth/tokens with `methods` built from a pool item.

    `scope`: the token's scope (None: unscoped).
    """

    def __init__(self, name, ctx, pool, methods, server='ours', scope=None):
        super().__init__(name, ctx, pool)
        self.methods = methods
        self.server = server
        self.scope = scope

    def timed(self, client, item):
        body = {}
        if 'password' in self.methods:
            body['password'] = password_method(item, self.ctx.password)
        if 'totp' in self.methods:
            body['totp'] = totp_method(item)
        start = time.perf_counter()
        self.post_token(client, auth_body(self.scope, **body), 201)
        return time.perf_counter() - start


class ReceiptFlow(Case):
    """password -> 401 with a receipt -> totp with the receipt -> token."""

    def timed(self, client, item):
        start = time.perf_counter()
        r = self.post_token(client, auth_body(
            self.ctx.scope, password=password_method(
                item, self.ctx.password)), 401)
        receipt = r.headers.get(RECEIPT)
        if not receipt:
            raise Unexpected('no auth receipt')
        self.post_token(client, auth_body(
            self.ctx.scope, totp=totp_method(item)), 201,
            headers={RECEIPT: receipt})
        return time.perf_counter() - start


class MailBox:
    """New mails of the devserver's SMTP sink, read once each."""

    def __init__(self, mail_dir):
        self.mail_dir = mail_dir
        self._seen = set()
        self._by_to = {}
        self._lock = threading.Lock()

    def _scan(self):
        for name in sorted(os.listdir(self.mail_dir)):
            if not name.endswith('.eml') or name in self._seen:
                continue
            self._seen.add(name)
            with open(os.path.join(self.mail_dir, name), 'rb') as f:
                msg = email.message_from_binary_file(
                    f, policy=email.policy.default)
            self._by_to.setdefault(msg['To'], []).append(msg)

    def next_for(self, to, timeout=30):
        """The oldest unread mail to `to`, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                self._scan()
                mails = self._by_to.get(to)
                if mails:
                    return mails.pop(0)
            if time.monotonic() > deadline:
                raise Unexpected(f'no mail to {to}')
            time.sleep(0.01)


class SndfaFlow(Case):
    """password -> receipt -> sndfa asks a code (SMTP) -> sndfa with it."""

    def timed(self, client, item):
        start = time.perf_counter()
        r = self.post_token(client, auth_body(
            self.ctx.scope, password=password_method(
                item, self.ctx.password)), 401)
        headers = {RECEIPT: r.headers.get(RECEIPT, '')}
        sndfa = {'user': {'id': item.user_id}}
        r = self.post_token(client, auth_body(sndfa=sndfa), 401,
                            headers=headers)
        if not r.json().get('identity', {}).get('sndfa', {}).get(
                'code_sent'):
            raise Unexpected('sndfa code not sent: ' + r.text[:200])
        code = mail_helpers.code_in(self.ctx.mailbox.next_for(item.email))
        sndfa['code'] = code
        self.post_token(client, auth_body(self.ctx.scope, sndfa=sndfa), 201,
                        headers=headers)
        return time.perf_counter() - start


class DeviceCreate(Case):
    """POST .../otp_devices (secret, encryption, QR PNG); admin token."""

    def __init__(self, name, ctx, pool, created):
        super().__init__(name, ctx, pool)
        self.created = created
        self._names = itertools.count()

    def create(self, client, item):
        body = {'otp_device': {'name': f'bench-{next(self._names)}'}}
        start = time.perf_counter()
        r = expect(client.post(
            self.url(f'/v3/users/{item.user_id}/otp_devices'), json=body,
            headers=self.ctx.admin_headers, timeout=120), 201)
        elapsed = time.perf_counter() - start
        device = r.json()['otp_device']
        if not device.get('qrcode', '').startswith('data:image/png'):
            raise Unexpected('no QR code in the create response')
        query = urllib.parse.urlparse(device['key_uri']).query
        secret = urllib.parse.parse_qs(query)['secret'][0]
        self.created.put((item.user_id, device['id'], secret))
        return elapsed

    def timed(self, client, item):
        return self.create(client, item)


class DeviceVerify(Case):
    """POST .../otp_devices/{id}/verify with a current code of it."""

    def __init__(self, name, ctx, creator):
        super().__init__(name, ctx)
        self.creator = creator

    def run(self, client):
        try:
            user_id, device_id, secret = self.creator.created.get_nowait()
        except queue.Empty:
            item = self.creator.pool.take()
            try:
                self.creator.create(client, item)
            finally:
                self.creator.pool.give(item)
            user_id, device_id, secret = self.creator.created.get_nowait()
        code = pyotp.TOTP(secret).now()
        start = time.perf_counter()
        expect(client.post(
            self.url(f'/v3/users/{user_id}/otp_devices/{device_id}/verify'),
            json={'verify': {'code': code}}, headers=self.ctx.admin_headers,
            timeout=120), 204)
        return time.perf_counter() - start


class AdminGet(Case):
    """GET `path` with the admin token; `path` may use {user_id}.

    On stock keystone, `GET /users/{id}` is keystone's own per-request
    floor: validating the token and enforcing policy.
    """

    def __init__(self, name, ctx, path, server='ours', pool=None):
        super().__init__(name, ctx, pool)
        self.path = path
        self.server = server

    def timed(self, client, item):
        path = self.path.format(user_id=item.user_id if item else '')
        start = time.perf_counter()
        r = self.get(client, path, 200)
        elapsed = time.perf_counter() - start
        self.check(r.json())
        return elapsed

    def check(self, body):
        """Raise Unexpected when the answer is not what the case measures."""


class AttemptsPage(AdminGet):
    """One page (default limit) of the login-attempt list."""

    def check(self, body):
        if not body.get('attempts'):
            raise Unexpected('empty attempts page')
