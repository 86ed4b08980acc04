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
"""No secret leaks: every flow on a real server with DEBUG logging.

The test runs every flow of the extension against its own devserver with
`[DEFAULT] debug = true` and keystone's notifications written to the log,
remembers every secret it saw (device secrets, codes, recovery codes, links
and their codes, passwords, tokens, receipts) and then searches for them in
the server's log (keystone, gunicorn's access log, notifications), in the
audit records (list and detail), and in every error body it received.
"""

import json
import re
import secrets
import time
import urllib.parse

import pyotp
import requests
import testtools

from tests.functional import base
from tests.functional import mail_helpers as mails
from tests.functional import totp_helpers

RECEIPT = 'Openstack-Auth-Receipt'
CONFIG = """
[DEFAULT]
debug = true
# keystone opts out of identity.authenticate events by default; we want
# every event, including our CADF ones, in the log.
notification_opt_out =

[oslo_messaging_notifications]
driver = log
"""


class Recorder:
    """A requests session that keeps every response for later checks."""

    def __init__(self, server):
        self.server = server
        self.http = requests.Session()
        self.responses = []
        self.http.hooks['response'].append(self._keep)

    def _keep(self, response, *args, **kwargs):
        self.responses.append(response)

    def call(self, method, path, token=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if token:
            headers['X-Auth-Token'] = token
        url = path if path.startswith('http') else self.server.auth_url + path
        return self.http.request(method, url, headers=headers, timeout=60,
                                 **kwargs)

    def errors(self):
        return [r for r in self.responses if r.status_code >= 400]


def password_body(user_id, password):
    return {'auth': {'identity': {'methods': ['password'], 'password': {
        'user': {'id': user_id, 'password': password}}}}}


def totp_body(user_id, passcode):
    return {'auth': {'identity': {'methods': ['totp'], 'totp': {
        'user': {'id': user_id, 'passcode': passcode}}}}}


def sndfa_body(user_id, code=None):
    sndfa = {'user': {'id': user_id}}
    if code is not None:
        sndfa['code'] = code
    return {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': sndfa}}}


class Secrets:
    """Every secret a flow saw, with the forms it could be written in."""

    def __init__(self):
        self.found = {}

    def add(self, kind, value):
        self.found.setdefault(value, kind)

    def patterns(self):
        for value, kind in self.found.items():
            # Short digit codes only as whole words: a 6-digit run inside
            # a hex request id is no leak.
            if value.isdigit():
                yield kind, value, re.compile(
                    r'(?<![0-9A-Za-z])' + value + r'(?![0-9A-Za-z])')
            else:
                yield kind, value, re.compile(re.escape(value))

    def leaks(self, where, text):
        """One line per secret found: what, where, and the line it is in."""
        found = []
        for kind, value, pattern in self.patterns():
            match = pattern.search(text)
            if match:
                start = text.rfind('\n', 0, match.start()) + 1
                end = text.find('\n', match.end())
                line = text[start:end if end >= 0 else None]
                found.append(f'{kind} in {where}: {line[:400]}')
        return found


class SecretsInLogsTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(base.DevServer(extra_config=CONFIG))
        self.rec = Recorder(self.server)
        self.secrets = Secrets()

    # --- small steps -----------------------------------------------------
    def token(self, body, headers=None, expected=201):
        r = self.rec.call('POST', '/auth/tokens', json=body, headers=headers)
        self.assertEqual(expected, r.status_code, r.text)
        if RECEIPT in r.headers:
            self.secrets.add('receipt', r.headers[RECEIPT])
        if 'X-Subject-Token' in r.headers:
            self.secrets.add('token', r.headers['X-Subject-Token'])
        return r

    def receipt(self):
        r = self.token(password_body(self.uid, self.password), expected=401)
        return {RECEIPT: r.headers[RECEIPT]}

    def next_code(self, phone):
        """A code of a step after the last accepted one (single use).

        The server accepts one step on either side of now (clock drift),
        so two codes are always in reach without waiting.
        """
        while True:
            now = int(time.time()) // phone.interval
            step = max(self.last_step + 1, now)
            if step <= now + 1:
                self.last_step = step
                code = phone.at(step * phone.interval)
                self.secrets.add('totp code', code)
                return code
            time.sleep(0.5)

    def link_of_last_mail(self, count):
        link = mails.link_in(mails.last_mail(self.server, self.email, count))
        self.secrets.add('link', link)
        self.secrets.add('link code', link.rsplit('/', 1)[1])
        return link

    def form_post(self, link, **data):
        """As a browser posts the page's form: a Referer with the link."""
        return self.rec.call('POST', link, data=data or {'confirm': '1'},
                             headers={'Referer': link})

    # --- the flows ---------------------------------------------------------
    def run_every_flow(self):
        self.admin = self.system_admin_token()
        self.email = f's{secrets.token_hex(4)}@example.org'
        self.password = secrets.token_urlsafe(16)
        self.secrets.add('password', self.password)
        r = self.rec.call('POST', '/users', token=self.admin, json={'user': {
            'name': 'u-' + secrets.token_hex(6), 'domain_id': 'default',
            'email': self.email, 'password': self.password}})
        self.assertEqual(201, r.status_code, r.text)
        self.uid = r.json()['user']['id']
        path = f'/users/{self.uid}'
        me = self.token(password_body(self.uid, self.password)
                        ).headers['X-Subject-Token']

        # OTP device: enroll, a wrong then the right verification code.
        r = self.rec.call('POST', f'{path}/otp_devices', token=me,
                          json={'otp_device': {'name': 'phone'}})
        self.assertEqual(201, r.status_code, r.text)
        device = r.json()['otp_device']
        self.secrets.add('key_uri', device['key_uri'])
        self.secrets.add('qrcode', device['qrcode'][-200:])
        phone = pyotp.parse_uri(device['key_uri'])
        self.secrets.add('device secret', phone.secret)
        self.last_step = 0
        verify = f'{path}/otp_devices/{device["id"]}/verify'
        code = self.next_code(phone)
        wrong = '%06d' % ((int(code) + 500000) % 1000000)
        self.assertEqual(400, self.rec.call(
            'POST', verify, token=me,
            json={'verify': {'code': wrong}}).status_code)
        self.assertEqual(204, self.rec.call(
            'POST', verify, token=me,
            json={'verify': {'code': code}}).status_code)
        # With a verified device, factor changes need both factors.
        both = self.token(totp_helpers.password_totp_body(
            self.uid, self.password, self.next_code(phone))
        ).headers['X-Subject-Token']
        # A replayed verification code: an error that must not repeat it.
        self.assertEqual(400, self.rec.call(
            'POST', verify, token=both,
            json={'verify': {'code': code}}).status_code)
        r = self.rec.call('PATCH', f'{path}/mfa', token=both,
                          json={'mfa': {'enabled': True}})
        self.assertEqual(200, r.status_code, r.text)

        # totp login in the receipt flow; a replayed code fails.
        code = self.next_code(phone)
        mfa = self.token(totp_body(self.uid, code),
                         headers=self.receipt()).headers['X-Subject-Token']
        self.token(totp_body(self.uid, code), headers=self.receipt(),
                   expected=401)

        # Recovery codes: create, log in with one, its replay fails.
        r = self.rec.call('POST', f'{path}/recovery_codes', token=mfa)
        self.assertEqual(201, r.status_code, r.text)
        codes = r.json()['recovery_codes']['codes']
        for c in codes:
            self.secrets.add('recovery code', c)
            plain = c.replace('-', '')
            self.secrets.add('recovery code', plain)
            self.secrets.add('recovery code (hashed part)', plain[4:])
        self.token(totp_body(self.uid, codes[0]), headers=self.receipt())
        self.token(totp_body(self.uid, codes[0]), headers=self.receipt(),
                   expected=401)
        self.token(totp_body(self.uid, codes[1].lower()),
                   headers=self.receipt())

        # checkemail: the mailed link; GET page, form post, replay.
        r = self.rec.call('GET', f'{path}/checkemail', token=mfa)
        self.assertEqual(200, r.status_code, r.text)
        link = self.link_of_last_mail(1)
        self.assertEqual(200, self.rec.call('GET', link).status_code)
        self.assertEqual(401, self.rec.call('POST', link[:-4] + 'AAAA',
                                            json={}).status_code)
        self.assertEqual(200, self.form_post(link).status_code)
        self.assertEqual(401, self.rec.call('POST', link,
                                            json={}).status_code)

        # sndfa: enable, a mailed code, a wrong one, the right one.
        r = self.rec.call('POST', f'{path}/sndfa', token=mfa,
                          json={'enable': True})
        self.assertEqual(200, r.status_code, r.text)
        receipt = self.receipt()
        self.token(sndfa_body(self.uid), headers=receipt, expected=401)
        code = mails.code_in(mails.last_mail(self.server, self.email, 2))
        self.secrets.add('sndfa code', code)
        wrong = '%06d' % ((int(code) + 500000) % 1000000)
        self.token(sndfa_body(self.uid, wrong), headers=receipt,
                   expected=401)
        self.token(sndfa_body(self.uid, code), headers=receipt)
        self.token(sndfa_body(self.uid, code), headers=receipt,
                   expected=401)
        # No reset mail while the mailbox is a factor: sndfa off again.
        r = self.rec.call('POST', f'{path}/sndfa', token=mfa,
                          json={'enable': False})
        self.assertEqual(200, r.status_code, r.text)

        # recover_password + reset_password: page, a refused password,
        # the new one, a replay.
        r = self.rec.call('POST', f'{path}/recover_password')
        self.assertEqual(202, r.status_code, r.text)
        link = self.link_of_last_mail(3)
        self.assertEqual(200, self.rec.call('GET', link).status_code)
        self.assertEqual(400, self.rec.call(
            'POST', link, json={'password': ''}).status_code)
        new_password = secrets.token_urlsafe(16)
        self.secrets.add('new password', new_password)
        r = self.form_post(link, password=new_password)
        self.assertEqual(200, r.status_code, r.text)
        replay = secrets.token_urlsafe(16)
        self.secrets.add('refused password', replay)
        self.assertEqual(401, self.rec.call(
            'POST', link, json={'password': replay}).status_code)
        self.token(password_body(self.uid, self.password), expected=401)
        self.password = new_password

        # Admin reset (lost phone) and a login after it.
        r = self.rec.call('DELETE', f'{path}/mfa', token=self.admin)
        self.assertEqual(204, r.status_code, r.text)
        self.token(password_body(self.uid, new_password))

    def system_admin_token(self):
        return self.token({'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': 'admin', 'domain': {'id': 'default'},
                'password': self.server.admin_password}}},
            'scope': {'system': {'all': True}}}}).headers['X-Subject-Token']

    def audit_records(self):
        """Every attempt in the list and in its detail, as JSON text."""
        system = self.system_admin_token()
        r = self.rec.call('GET', '/mfa/attempts', token=system,
                          params={'limit': 1000})
        self.assertEqual(200, r.status_code, r.text)
        listed = r.json()['attempts']
        details = []
        for attempt in listed:
            r = self.rec.call('GET', f'/mfa/attempts/{attempt["id"]}',
                              token=system)
            self.assertEqual(200, r.status_code, r.text)
            details.append(r.json())
        return listed, details

    def test_no_secret_in_logs_audit_errors_or_notifications(self):
        self.run_every_flow()
        listed, details = self.audit_records()
        # The checks below can only pass for the right reason if each
        # place really holds this run's records.
        self.assertGreaterEqual(len(self.secrets.found), 30)
        mine = [a for a in listed if a['user_id'] == self.uid]
        self.assertGreaterEqual(len(mine), 10)
        self.assertTrue(any(d['attempt'].get('client_headers')
                            for d in details))
        time.sleep(1)   # let gunicorn flush its access log
        with open(self.server.log_path, encoding='utf-8',
                  errors='replace') as f:
            log = f.read()
        self.assertIn(' DEBUG ', log)
        # notifications, through the log driver
        self.assertIn('oslo.messaging.notification.identity.authenticate',
                      log)
        self.assertIn('oslo.messaging.notification.identity.user', log)
        self.assertIn('/recovery_codes', log)         # access log
        leaks = self.secrets.leaks('server log', log)
        leaks += self.secrets.leaks('audit list', json.dumps(listed))
        leaks += self.secrets.leaks('audit detail', json.dumps(details))
        errors = self.rec.errors()
        self.assertGreaterEqual(len(errors), 10)
        for r in errors:
            where = f'error {r.status_code} of {r.request.method} ' + (
                urllib.parse.urlparse(r.url).path.split('/')[-1][:8])
            text = r.text + json.dumps(dict(r.headers))
            leaks += self.secrets.leaks(where, text.replace(
                r.headers.get(RECEIPT, '\0'), ''))
        self.assertEqual([], leaks)
