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
"""Hostile input, property-based, over every route and auth method of ours.

For every JSON body and path parameter (and the attempts query string):
never a 5xx; every error is keystone's body `{"error": {"code", "title",
"message"}}` with `code` equal to the HTTP status; a body that fails the
route's schema is a 400; and a rejected request changes no row of any
table, ours or keystone's, except the counters the API documents (login
attempts, failure counters, a code's wrong-try counter, rate events).

The examples of a property run inside one test method on one keystone
fixture (hypothesis' inner-function pattern), deterministically
(`derandomize`, no example database), so CI sees the same inputs each run.
"""

from concurrent import futures
import http.client
import json
from unittest import mock
import urllib.parse

import hypothesis
from hypothesis import strategies as st
from keystone.common import provider_api
from keystone.common import sql as ks_sql
import keystone.conf
from keystone import exception as ks_exception
import sqlalchemy as sa

from keystone_mfa_ext.api import spassword as spassword_api
from keystone_mfa_ext.auth import schema as auth_schema
from keystone_mfa_ext.common import compat
from keystone_mfa_ext.devices import core as devices_core
from keystone_mfa_ext.devices import schema as devices_schema
from keystone_mfa_ext.enforcement import schema as enforcement_schema
from keystone_mfa_ext.lockout import core as lockout
from keystone_mfa_ext.password_recovery import core as password_recovery
from keystone_mfa_ext.providers import schema as providers_schema
from keystone_mfa_ext.sndfa import core as spassword
from keystone_mfa_ext.sndfa import schema as spassword_schema
from keystone_mfa_ext.user_mfa import schema as user_mfa_schema
from tests.unit.api import test_spassword
from tests.unit import strategies

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
NOTHING = object()
EXAMPLES = 30


def fuzz(max_examples=EXAMPLES):
    """CI settings: the same examples every run, no time limit per one."""
    return hypothesis.settings(
        max_examples=max_examples, deadline=None, derandomize=True,
        database=None, print_blob=False,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[p for p in hypothesis.Phase if p != hypothesis.Phase.explain])


# What a rejected request may still change, as api.md documents it.
AUDIT = ('mfa_login_attempt',)
COUNTERS = AUDIT + ('mfa_user_state',)
CODE_TRIES = COUNTERS + ('mfa_email_code',)
# keystone's tables that our routes and methods may write.
WATCHED = ('user', 'local_user', 'password', 'user_option', 'credential',
           'project', 'assignment', 'system_assignment', 'revocation_event',
           'nonlocal_user', 'federated_user', 'application_credential')


def schema_valid(schema, body):
    """Valid per `schema`, and text any database can store."""
    try:
        compat.SchemaValidator(schema).validate(body)
    except ks_exception.SchemaValidationError:
        return False
    return strategies.storable(body)


class _HostileTestCase(test_spassword._EmailTestCase):
    """The email test fixture (SMTP sink, personas) plus attack helpers."""

    def setUp(self):
        super().setUp()
        self.admin = self.token(self.system_admin, system=True)
        meta = sa.MetaData()
        with ks_sql.session_for_read() as session:
            meta.reflect(bind=session.connection())
        self.tables = [t for t in meta.sorted_tables
                       if t.name.startswith('mfa_') or t.name in WATCHED]

    def snapshot(self):
        """Every row of our tables and of keystone's user-related ones."""
        rows = {}
        with ks_sql.session_for_read() as session:
            for table in self.tables:
                rows[table.name] = sorted(
                    repr(tuple(r)) for r in session.execute(table.select()))
        return rows

    def send(self, method, path, body=NOTHING, raw=None, token=None,
             headers=None):
        headers = dict(headers or {})
        headers.setdefault('Accept', 'application/json')
        if token:
            headers['X-Auth-Token'] = token
        data = raw if raw is not None else (
            b'' if body is NOTHING else strategies.encode(body))
        if data:
            headers.setdefault('Content-Type', 'application/json')
        try:
            return self.public_app.request(
                '/v3' + path, method=method, headers=headers, body=data,
                status='*', expect_errors=True, remote_addr='127.0.0.1')
        except Exception as e:
            # keystone's test app re-raises what a server answers with 500.
            self.fail(f'{method} {path[:200]}: 500, unhandled {e!r:.300}')

    def too_large(self, response):
        """keystone's sizelimit middleware cut the body off (its format)."""
        limit = CONF.oslo_middleware.max_request_body_size
        return (response.status_int == http.client.REQUEST_ENTITY_TOO_LARGE
                and len(response.request.body) > limit)

    def assert_keystone_error(self, response):
        self.assertEqual('application/json',
                         response.content_type, response.body[:300])
        error = json.loads(response.body)['error']
        self.assertEqual(response.status_int, error['code'])
        self.assertIsInstance(error['title'], str)
        self.assertIsInstance(error['message'], str)

    def attack(self, method, path, body=NOTHING, raw=None, token=None,
               schema=None, may_change=(), headers=None, malformed=None):
        """Send; check status, error body and what the rejection changed.

        A body that fails `schema` must be a 400 that changes nothing at
        all; any other rejection may change only the `may_change` tables.
        """
        before = self.snapshot()
        response = self.send(method, path, body=body, raw=raw, token=token,
                             headers=headers)
        status = response.status_int
        where = f'{method} {path[:200]} -> {status} {response.body[:300]!r}'
        self.assertLess(status, 500, where)
        if self.too_large(response):
            self.assertEqual(before, self.snapshot())
            return response
        if malformed is None:
            malformed = raw is not None or (
                schema is not None and body is not NOTHING
                and not schema_valid(schema, body))
        if malformed:
            self.assertEqual(http.client.BAD_REQUEST, status, where)
        if status >= 400:
            if method != 'HEAD':
                self.assert_keystone_error(response)
            after = self.snapshot()
            allowed = () if malformed else may_change
            changed = sorted(name for name in before
                             if before[name] != after[name]
                             and name not in allowed)
            self.assertEqual([], changed, where)
        return response

    def new_device(self):
        device, _secret = devices_core.create(self.uid, 'fixture')
        return device['id']


def unrouted(response):
    """No route matched: Flask's 404, which keystone's test app makes 418.

    A '%2F' in a segment is a '/' once decoded, so the path may match no
    route (or another route of ours, which then answers for itself).
    """
    return response.status_int in (404, 418) and (
        response.content_type == 'text/html'
        and (response.status_int == 404
             or b'from an unrouted' in response.body))


class HostileBodiesTestCase(_HostileTestCase):
    """Every JSON body of our routes, near-valid and junk."""

    def test_otp_device_create(self):
        path = f'/users/{self.uid}/otp_devices'
        valid = {'otp_device': {'name': 'phone', 'algorithm': 'SHA1',
                                'digits': 6, 'period': 30}}

        @fuzz()
        @hypothesis.given(strategies.bodies(valid))
        def check(body):
            r = self.attack('POST', path, body, token=self.admin,
                            schema=devices_schema.otp_device_create)
            if r.status_int == http.client.CREATED:
                # The name round-trips, and the device goes again.
                device = r.json['otp_device']
                self.assertEqual(body['otp_device']['name'], device['name'])
                devices_core.delete(self.uid, device['id'])
        check()

    def test_otp_device_update_and_verify(self):
        member = f'/users/{self.uid}/otp_devices/{self.new_device()}'

        @fuzz()
        @hypothesis.given(
            strategies.bodies({'otp_device': {'name': 'renamed'}}),
            strategies.bodies({'verify': {'code': '123456'}}))
        def check(update, verify):
            lockout.unlock(self.uid)   # wrong codes count; start afresh
            self.attack('PATCH', member, update, token=self.admin,
                        schema=devices_schema.otp_device_update)
            # A wrong (well-formed) code is a 400 that counts a failure.
            self.attack('POST', member + '/verify', verify, token=self.admin,
                        schema=devices_schema.otp_device_verify,
                        may_change=COUNTERS)
        check()

    def test_user_mfa_update(self):
        path = f'/users/{self.uid}/mfa'

        @fuzz()
        @hypothesis.given(st.one_of(
            strategies.bodies({'mfa': {'enabled': True}}),
            strategies.bodies({'mfa': {'unlock': True}})))
        def check(body):
            self.attack('PATCH', path, body, token=self.admin,
                        schema=user_mfa_schema.user_mfa_update)
        check()

    def test_sndfa_switch(self):
        path = f'/users/{self.uid}/sndfa'

        @fuzz()
        @hypothesis.given(strategies.bodies({'enable': True}))
        def check(body):
            self.attack('POST', path, body, token=self.owner,
                        schema=spassword_schema.sndfa_update)
        check()

    def _providers(self, collection):
        valid = {'provider': {
            'name': 'p', 'provider_name': 'sndfa', 'enabled': True,
            'settings': {'code_ttl': 600, 'code_length': 6,
                         'time_window': 24,
                         'smtp': {'server': 'mail.example.org', 'port': 587,
                                  'tls': True, 'user': 'u',
                                  'password': 'secret', 'from': 'a@b.c'}}}}
        other = dict(valid['provider'], name='other', provider_name='totp',
                     settings={'issuer': 'Cloud', 'algorithm': 'SHA256',
                               'digits': 8, 'period': 60,
                               'past_windows': 1, 'future_windows': 1})
        existing = self.post(collection, token=self.admin,
                             body={'provider': other}).json['provider']
        member = f'{collection}/{existing["id"]}'

        @fuzz(max_examples=20)
        @hypothesis.given(strategies.bodies(valid), strategies.bodies(valid),
                          strategies.bodies(valid))
        def check(create, patch, put):
            # Settings are checked per provider_name after the body schema.
            r = self.attack('POST', collection, create, token=self.admin,
                            malformed=_bad_provider(
                                providers_schema.provider_create, create))
            if r.status_int == http.client.CREATED:
                self.delete(r.headers['Location'].split('/v3', 1)[1],
                            token=self.admin)
            # (A PATCH may change the type: its settings are not judged.)
            self.attack('PATCH', member, patch, token=self.admin,
                        schema=providers_schema.provider_update)
            self.attack('PUT', member, put, token=self.admin,
                        malformed=_bad_provider(
                            providers_schema.provider_replace, put))
        check()

    def test_system_providers(self):
        self._providers('/mfa/providers')

    def test_domain_providers(self):
        self._providers(f'/domains/{self.domain["id"]}/mfa/providers')

    def test_domain_policy(self):
        # A domain of its own: a "required" policy here touches no persona.
        domain = self.new_domain()
        self.new_user(domain['id'])
        path = f'/domains/{domain["id"]}/mfa/policy'
        valid = {'policy': {'enforcement': 'required',
                            'rules': [['password', 'totp']],
                            'grace_period_days': 7}}

        @fuzz()
        @hypothesis.given(strategies.bodies(valid))
        def check(body):
            self.attack('PUT', path, body, token=self.admin,
                        schema=enforcement_schema.domain_policy)
        check()

    def test_link_routes_with_live_codes(self):
        """Junk on a live link is a 400 and leaves the link usable."""
        email = 'target@example.org'

        @fuzz()
        @hypothesis.given(
            strategies.bodies({'confirm': True}),
            strategies.bodies({'password': 'n3w-Passw0rd!'}),
            st.sampled_from(['checkemail', 'sndfa', 'reset_password']))
        def check(body, reset_body, route):
            purpose = {'checkemail': spassword.CHECKEMAIL,
                       'sndfa': spassword.APPROVE,
                       'reset_password': spassword.RESET}[route]
            code, row = spassword.issue(self.uid, purpose, 600,
                                        client_ip='127.0.0.1', email=email)
            spassword.drop_older(row)   # as after the mail went out
            if route == 'reset_password':
                body, schema = reset_body, spassword_schema.reset_password
            else:
                schema = spassword_schema.confirm
            r = self.attack('POST', f'/users/{self.uid}/{route}/{code}',
                            body, schema=schema)
            if r.status_int < 400 or self.too_large(r):
                return
            if schema_valid(schema, body):
                # keystone refused the new password: the link stays.
                self.assertEqual(400, r.status_int)
            # Still usable: the junk did not burn the code.
            rows = spassword.consume(self.uid, purpose, code)
            self.assertIsNotNone(rows)
        check()

    def test_link_routes_with_wrong_codes(self):
        @fuzz()
        @hypothesis.given(
            strategies.bodies({'password': 'n3w-Passw0rd!'}),
            st.sampled_from(['checkemail', 'sndfa', 'reset_password']))
        def check(body, route):
            schema = (spassword_schema.reset_password
                      if route == 'reset_password'
                      else spassword_schema.confirm)
            self.attack('POST', f'/users/{self.uid}/{route}/1234567890',
                        body, schema=schema, may_change=CODE_TRIES)
        check()

    def test_link_form_posts(self):
        """HTML form posts to the link routes (keystone_mfa_ext.wsgi.forms)."""
        types = ['application/x-www-form-urlencoded',
                 'application/x-www-form-urlencoded; charset=latin-1',
                 'multipart/form-data; boundary=xyz', 'multipart/form-data']

        @fuzz()
        @hypothesis.given(
            st.sampled_from(['checkemail', 'sndfa', 'reset_password']),
            st.one_of(
                st.dictionaries(strategies.hostile_text(max_size=12),
                                strategies.hostile_text(), max_size=3)
                .map(_form_encode),
                st.binary(max_size=64)),
            st.sampled_from(types))
        def check(route, data, content_type):
            path = f'/users/{self.uid}/{route}/1234567890'
            before = self.snapshot()
            r = self.send('POST', path, raw=data,
                          headers={'Content-Type': content_type})
            where = f'{route} {content_type} -> {r.status_int} {r.body[:200]}'
            self.assertLess(r.status_int, 500, where)
            self.assertGreaterEqual(r.status_int, 400, where)
            if not self.too_large(r):   # else oslo's sizelimit answered
                # A form post gets a page, errors included: a wrong link's
                # 401, the 400 of a form without a usable password.
                self.assertEqual('text/html', r.content_type, where)
                self.assertIn(r.status_int, (400, 401), where)
            changed = [n for n, rows in self.snapshot().items()
                       if rows != before[n] and n not in CODE_TRIES]
            self.assertEqual([], changed, where)
        check()

    def test_non_json_bodies(self):
        """Bytes that are not a JSON object, on every body route."""
        device = self.new_device()
        routes = [
            ('POST', f'/users/{self.uid}/otp_devices'),
            ('PATCH', f'/users/{self.uid}/otp_devices/{device}'),
            ('POST', f'/users/{self.uid}/otp_devices/{device}/verify'),
            ('PATCH', f'/users/{self.uid}/mfa'),
            ('POST', f'/users/{self.uid}/sndfa'),
            ('POST', '/mfa/providers'),
            ('PUT', f'/domains/{self.domain["id"]}/mfa/policy'),
            ('POST', f'/users/{self.uid}/checkemail/1234567890'),
            ('POST', f'/users/{self.uid}/reset_password/1234567890'),
            ('POST', f'/users/{self.uid}/recover_password'),
            ('POST', '/auth/tokens'),
        ]

        @fuzz()
        @hypothesis.given(st.sampled_from(routes), strategies.raw_bodies())
        def check(route, raw):
            hypothesis.assume(raw.strip() and
                              not _is_json_object(raw))
            self.attack(*route, raw=raw, token=self.admin)
        check()


def _bad_provider(body_schema, body):
    """The body, or the settings for its provider_name, are invalid."""
    if not schema_valid(body_schema, body):
        return True
    ref = body['provider']
    return 'settings' in ref and not schema_valid(
        providers_schema.SETTINGS[ref['provider_name']], ref['settings'])


def _form_encode(form):
    return urllib.parse.urlencode(
        {k.encode('utf-8', 'surrogatepass'): v.encode('utf-8', 'surrogatepass')
         for k, v in form.items()}).encode()


def _is_json_object(raw):
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, RecursionError):
        return False


class HostilePathsTestCase(_HostileTestCase):
    """Every path parameter of every route: ids and codes nobody issued."""

    def routes(self, device, provider, attempt):
        uid, did = self.uid, self.domain['id']
        empty = {}
        return [
            # (method, template, body, token)
            ('GET', '/users/{u}/otp_devices', NOTHING, self.admin),
            ('POST', '/users/{u}/otp_devices',
             {'otp_device': {'name': 'x'}}, self.admin),
            ('GET', '/users/{u}/otp_devices/{d}', NOTHING, self.admin),
            ('PATCH', '/users/{u}/otp_devices/{d}',
             {'otp_device': {'name': 'x'}}, self.admin),
            ('DELETE', '/users/{u}/otp_devices/{d}', NOTHING, self.admin),
            ('POST', '/users/{u}/otp_devices/{d}/verify',
             {'verify': {'code': '123456'}}, self.admin),
            ('GET', '/users/{u}/recovery_codes', NOTHING, self.admin),
            ('POST', '/users/{u}/recovery_codes', NOTHING, self.admin),
            ('DELETE', '/users/{u}/recovery_codes', NOTHING, self.admin),
            ('GET', '/users/{u}/mfa', NOTHING, self.admin),
            ('PATCH', '/users/{u}/mfa', {'mfa': {'unlock': True}},
             self.admin),
            ('DELETE', '/users/{u}/mfa', NOTHING, self.admin),
            ('GET', '/users/{u}/mfa/attempts', NOTHING, self.admin),
            ('GET', '/users/{u}/mfa/attempts/{a}', NOTHING, self.admin),
            ('GET', '/mfa/attempts/{a}', NOTHING, self.admin),
            ('GET', '/domains/{dom}/mfa/attempts', NOTHING, self.admin),
            ('GET', '/domains/{dom}/mfa/attempts/{a}', NOTHING, self.admin),
            ('GET', '/mfa/providers/{p}', NOTHING, self.admin),
            ('PATCH', '/mfa/providers/{p}', {'provider': {}}, self.admin),
            ('PUT', '/mfa/providers/{p}',
             {'provider': {'name': 'x', 'provider_name': 'totp',
                           'enabled': True, 'settings': {}}}, self.admin),
            ('DELETE', '/mfa/providers/{p}', NOTHING, self.admin),
            ('GET', '/domains/{dom}/mfa/providers', NOTHING, self.admin),
            ('POST', '/domains/{dom}/mfa/providers',
             {'provider': {'name': 'x', 'provider_name': 'totp'}},
             self.admin),
            ('GET', '/domains/{dom}/mfa/providers/{p}', NOTHING, self.admin),
            ('DELETE', '/domains/{dom}/mfa/providers/{p}', NOTHING,
             self.admin),
            ('GET', '/domains/{dom}/mfa/policy', NOTHING, self.admin),
            ('PUT', '/domains/{dom}/mfa/policy',
             {'policy': {'enforcement': 'optional'}}, self.admin),
            ('GET', '/users/{u}/checkemail', NOTHING, self.admin),
            ('GET', '/users/{u}/sndfa', NOTHING, self.admin),
            ('POST', '/users/{u}/sndfa', {'enable': False}, self.admin),
            ('POST', '/users/{u}/checkemail/{c}', empty, None),
            ('POST', '/users/{u}/sndfa/{c}', empty, None),
            ('POST', '/users/{u}/reset_password/{c}',
             {'password': 'n3w-Passw0rd!'}, None),
        ], {'u': uid, 'd': device, 'p': provider, 'a': attempt, 'dom': did,
            'c': '1234567890'}

    def test_path_parameters(self):
        device = self.new_device()
        provider = self.post('/mfa/providers', token=self.admin, body={
            'provider': {'name': 'x', 'provider_name': 'totp'}}).json[
            'provider']['id']
        self.issue(self.totp_auth(self.uid, '000000'),
                   expected_status=http.client.UNAUTHORIZED)
        attempt = self.get('/mfa/attempts', token=self.admin).json[
            'attempts'][0]['id']
        routes, values = self.routes(device, provider, attempt)
        params = [(i, name) for i, route in enumerate(routes)
                  for name in values if '{' + name + '}' in route[1]]

        @fuzz(max_examples=120)
        @hypothesis.given(st.sampled_from(params),
                          strategies.path_segments())
        def check(param, segment):
            index, name = param
            method, template, body, token = routes[index]
            path = template.format(**dict(values, **{name: segment}))
            # Decoded, '%2F' is a '/': the path may then name another
            # route, or a collection, that rightly answers 2xx.
            elsewhere = '/' in urllib.parse.unquote(segment)
            self.attack_path(method, path, body, token, elsewhere)
        check()

    def attack_path(self, method, path, body, token, elsewhere):
        """As attack(), for ids and codes nobody issued."""
        before = self.snapshot()
        response = self.send(method, path, body=body, token=token)
        status = response.status_int
        where = f'{method} {path[:200]} -> {status} {response.body[:200]!r}'
        self.assertLess(status, 500, where)
        if status < 400:
            self.assertTrue(elsewhere, where)
            return
        if not unrouted(response):
            self.assert_keystone_error(response)
        changed = [n for n, rows in self.snapshot().items()
                   if rows != before[n] and n not in CODE_TRIES]
        self.assertEqual([], changed, where)

    def test_unauthenticated_pages_and_recover(self):
        """GET pages and recover_password: same answer for any segment."""
        # recover_password mails from a thread; on keystone's one test
        # connection that would race our snapshots. One request uses up
        # the address's allowance, then the thread's work runs inline.
        self.config_fixture.config(group='spassword',
                                   recover_max_per_address=1)
        queued = []
        request_reset = password_recovery.request_reset
        with mock.patch.object(password_recovery, 'request_reset',
                               side_effect=lambda *args: queued.append(
                                   request_reset(*args))):
            self.send('POST', f'/users/{self.uid}/recover_password')
        futures.wait([f for f in queued if f is not None], timeout=30)

        @fuzz(max_examples=60)
        @hypothesis.given(strategies.path_segments(),
                          strategies.path_segments(),
                          st.sampled_from(['checkemail', 'sndfa',
                                           'reset_password', 'recover']))
        def check(user, code, route):
            before = self.snapshot()
            if route == 'recover':
                r = self.send('POST', f'/users/{user}/recover_password')
                if r.status_int == http.client.ACCEPTED:
                    self.assertEqual(spassword_api.RECOVER_ANSWER, r.json)
                    password_recovery.mail_reset_link(
                        urllib.parse.unquote(user), '127.0.0.1')
            else:
                r = self.send('GET', f'/users/{user}/{route}/{code}')
            self.assertLess(r.status_int, 500)
            if r.status_int >= 400 and not unrouted(r):
                self.assert_keystone_error(r)
            after = self.snapshot()
            changed = [n for n, rows in after.items()
                       if rows != before[n] and n != 'mfa_rate_event']
            self.assertEqual([], changed)
        check()

    def test_attempts_query_strings(self):
        names = ['user_id', 'method', 'status', 'since', 'until', 'limit',
                 'marker']
        paths = ['/mfa/attempts', f'/users/{self.uid}/mfa/attempts',
                 f'/domains/{self.domain["id"]}/mfa/attempts']

        @fuzz(max_examples=50)
        @hypothesis.given(
            st.sampled_from(paths),
            st.dictionaries(st.sampled_from(names),
                            strategies.hostile_text(max_size=40),
                            min_size=1, max_size=3))
        def check(path, query):
            qs = urllib.parse.urlencode(
                {k: v.encode('utf-8', 'surrogatepass')
                 for k, v in query.items()})
            r = self.attack('GET', f'{path}?{qs}', token=self.admin)
            self.assertIn(r.status_int, (200, 400))
        check()


class HostileAuthTestCase(_HostileTestCase):
    """POST /v3/auth/tokens with hostile totp and sndfa payloads."""

    def setUp(self):
        super().setUp()
        self.enable_sndfa()
        r = self.issue(self.password_auth(self.uid, self.target['password']),
                       expected_status=http.client.UNAUTHORIZED)
        self.receipt = r.headers['Openstack-Auth-Receipt']
        # A user in an enrollment grace period: the login hook then reads
        # every request's payload too.
        domain = self.new_domain()
        self.new_user(domain['id'])
        self.put(f'/domains/{domain["id"]}/mfa/policy', token=self.admin,
                 body={'policy': {'enforcement': 'required',
                                  'rules': [['password', 'totp']],
                                  'grace_period_days': 7}},
                 expected_status=http.client.OK)

    def auth(self, method, payload, with_password=False, receipt=None):
        methods = ['password', method] if with_password else [method]
        identity = {'methods': methods, method: payload}
        if with_password:
            identity['password'] = {'user': {
                'id': self.uid, 'password': self.target['password']}}
        headers = {'Openstack-Auth-Receipt': receipt} if receipt else None
        lockout.unlock(self.uid)   # wrong codes count; start afresh
        return self.attack('POST', '/auth/tokens',
                           {'auth': {'identity': identity}},
                           malformed=not schema_valid(
                               METHOD_SCHEMAS[method], payload),
                           may_change=CODE_TRIES + ('mfa_rate_event',),
                           headers=headers)

    def test_totp(self):
        valid = {'user': {'id': self.uid, 'passcode': '123456'}}
        by_name = {'user': {'name': self.target['name'],
                            'domain': {'name': self.domain['name']},
                            'passcode': '12345678'}}

        @fuzz(max_examples=60)
        @hypothesis.given(st.one_of(strategies.bodies(valid),
                                    strategies.bodies(by_name)),
                          st.booleans())
        def check(payload, with_password):
            self.auth('totp', payload, with_password)
        check()

    def test_sndfa(self):
        valid = {'user': {'id': self.uid}, 'code': '123456'}
        without_code = {'user': {'name': self.target['name'],
                                 'domain': {'id': self.domain['id']}}}

        @fuzz(max_examples=60)
        @hypothesis.given(st.one_of(strategies.bodies(valid),
                                    strategies.bodies(without_code)),
                          st.booleans())
        def check(payload, with_receipt):
            self.auth('sndfa', payload,
                      receipt=self.receipt if with_receipt else None)
        check()


METHOD_SCHEMAS = {'totp': auth_schema.totp, 'sndfa': auth_schema.sndfa}


class HostilePasswordGateTestCase(_HostileTestCase):
    """The FIWARE password gate (`[auth] password = spassword`)."""

    def auth_plugin_config_override(self, methods=None, **method_classes):
        method_classes.setdefault('password', 'spassword')
        super().auth_plugin_config_override(methods, **method_classes)

    def setUp(self):
        super().setUp()
        self.enable_sndfa()
        self.config_fixture.config(group='spassword', sndfa=True)

    def test_password_payload(self):
        valid = {'user': {'id': self.uid,
                          'password': self.target['password']}}
        by_name = {'user': {'name': self.target['name'],
                            'domain': {'id': self.domain['id']},
                            'password': 'wrong'}}

        @fuzz(max_examples=60)
        @hypothesis.given(st.one_of(strategies.bodies(valid),
                                    strategies.bodies(by_name)))
        def check(payload):
            # keystone's own schema checks this payload; ours add nothing.
            self.attack('POST', '/auth/tokens', {'auth': {'identity': {
                'methods': ['password'], 'password': payload}}},
                may_change=CODE_TRIES + ('local_user', 'mfa_rate_event'))
        check()
