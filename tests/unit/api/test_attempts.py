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
"""The login-attempt audit API: scopes, filters, paging, detail, purge."""

import datetime
import http.client
import time
import uuid

from oslo_utils import timeutils
import sqlalchemy as sa

from keystone_mfa_ext.attempts.backends import sql as attempts_sql
from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.common import sql
from tests.unit import base

OK, BAD, FORBIDDEN, NOT_FOUND = (http.client.OK, http.client.BAD_REQUEST,
                                 http.client.FORBIDDEN, http.client.NOT_FOUND)


class AttemptsTestCase(base.TOTPRestfulTestCase, base.PersonasMixin):

    def setUp(self):
        super().setUp()
        self.setup_personas()
        self.uid = self.target['id']
        self.other = self.other_domain_admin['id']
        # Through the real totp method: a failure and a success.
        self.issue(self.totp_auth(self.uid, '000000'),
                   expected_status=http.client.UNAUTHORIZED,
                   headers={'User-Agent': 'pytest', 'X-Auth-Token': 'nope',
                            'Cookie': 'session=1'})
        attempts.record('totp', attempts.SUCCESS, user_id=self.uid,
                        domain_id=self.domain['id'], message='ok')
        attempts.record('sndfa', attempts.FAILURE, user_id=self.other,
                        domain_id=self.other_domain['id'], message='x')
        self.admin = self.token(self.system_admin, system=True)

    def ids(self, response):
        return [a['id'] for a in response.result['attempts']]

    def test_system_list_newest_first_with_filters(self):
        r = self.get('/mfa/attempts', token=self.admin)
        items = r.result['attempts']
        self.assertEqual(3, len(items))
        stamps = [a['timestamp'] for a in items]
        self.assertEqual(sorted(stamps, reverse=True), stamps)
        self.assertEqual({'id', 'user_id', 'domain_id', 'method', 'status',
                          'message', 'client_ip', 'timestamp', 'request_id',
                          'links'}, set(items[0]))
        r = self.get('/mfa/attempts?status=failure&method=totp',
                     token=self.admin)
        self.assertEqual(1, len(r.result['attempts']))
        r = self.get(f'/mfa/attempts?user_id={self.other}', token=self.admin)
        self.assertEqual(['sndfa'], [a['method']
                                     for a in r.result['attempts']])
        future = (timeutils.utcnow() + datetime.timedelta(hours=1))
        r = self.get('/mfa/attempts?since=' + future.isoformat() + 'Z',
                     token=self.admin)
        self.assertEqual([], r.result['attempts'])
        r = self.get('/mfa/attempts?until=' + future.isoformat() + 'Z',
                     token=self.admin)
        self.assertEqual(3, len(r.result['attempts']))

    def test_paging_with_limit_and_marker(self):
        seen = []
        path = '/mfa/attempts?limit=2'
        while path:
            r = self.get(path, token=self.admin)
            seen += self.ids(r)
            nxt = r.result['links']['next']
            path = nxt and nxt.split('/v3', 1)[1]
        self.assertEqual(3, len(set(seen)))
        self.assertEqual(3, len(seen))

    def test_self_link_is_the_collection_asked_for(self):
        for path in ('/mfa/attempts?limit=2',
                     f'/domains/{self.domain["id"]}/mfa/attempts',
                     f'/users/{self.uid}/mfa/attempts?status=failure'):
            links = self.get(path, token=self.admin).result['links']
            self.assertTrue(links['self'].endswith('/v3' + path),
                            links['self'])

    def test_detail_keeps_only_allow_listed_headers(self):
        r = self.get(f'/users/{self.uid}/mfa/attempts?status=failure',
                     token=self.admin)
        [item] = r.result['attempts']
        self.assertNotIn('client_headers', item)
        detail = self.get(f'/users/{self.uid}/mfa/attempts/{item["id"]}',
                          token=self.admin).result['attempt']
        self.assertEqual('pytest', detail['client_headers']['user-agent'])
        for forbidden in ('x-auth-token', 'cookie'):
            self.assertNotIn(forbidden, detail['client_headers'])
        self.assertEqual({}, detail['metadata'])

    def test_scopes_do_not_leak(self):
        mine = self.get(f'/domains/{self.domain["id"]}/mfa/attempts',
                        token=self.admin).result['attempts']
        self.assertEqual({self.domain['id']}, {a['domain_id'] for a in mine})
        theirs = self.get(f'/users/{self.other}/mfa/attempts',
                          token=self.admin).result['attempts'][0]['id']
        self.get(f'/users/{self.uid}/mfa/attempts/{theirs}',
                 token=self.admin, expected_status=NOT_FOUND)
        self.get(f'/domains/{self.domain["id"]}/mfa/attempts/{theirs}',
                 token=self.admin, expected_status=NOT_FOUND)

    def test_personas(self):
        tokens = dict(self.persona_tokens(), **self.reader_tokens())
        system = {'system_admin', 'system_reader'}
        domain = system | {'domain_admin', 'domain_reader'}
        user = {'system_admin', 'domain_admin', 'owner'}
        for name, token in tokens.items():
            self.get('/mfa/attempts', token=token,
                     expected_status=OK if name in system else FORBIDDEN)
            self.get(f'/domains/{self.domain["id"]}/mfa/attempts',
                     token=token,
                     expected_status=OK if name in domain else FORBIDDEN)
            self.get(f'/users/{self.uid}/mfa/attempts', token=token,
                     expected_status=OK if name in user else FORBIDDEN)
        self.get('/mfa/attempts', noauth=True,
                 expected_status=http.client.UNAUTHORIZED)

    def test_bad_query_parameters_are_400(self):
        for query in ('limit=0', 'limit=1001', 'limit=x', 'status=maybe',
                      'since=yesterday', 'until=2026-13-01',
                      'marker=' + uuid.uuid4().hex, 'user_id=' + 'x' * 65):
            self.get('/mfa/attempts?' + query, token=self.admin,
                     expected_status=BAD)
        self.get(f'/domains/{uuid.uuid4().hex}/mfa/attempts',
                 token=self.admin, expected_status=NOT_FOUND)

    def test_nul_in_a_filter_or_marker_is_400(self):
        # PostgreSQL cannot compare text with a NUL: these were 500s there.
        paths = ('/mfa/attempts', f'/domains/{self.domain["id"]}/mfa/attempts',
                 f'/users/{self.uid}/mfa/attempts')
        for path in paths:
            for name in ('marker', 'user_id', 'method', 'status', 'since',
                         'until', 'limit'):
                for value in ('%00', 'a%00b', 'a%00'):
                    r = self.get(f'{path}?{name}={value}', token=self.admin,
                                 expected_status=BAD)
                    error = r.result['error']
                    self.assertEqual(BAD, error['code'])
                    self.assertEqual(
                        f'Invalid value for query parameter {name}.',
                        error['message'])

    def test_out_of_range_dates_are_400(self):
        for value in ('9999-12-31T23:59:59-01:00',
                      '0001-01-01T00:00:00%2B01:00'):
            self.get('/mfa/attempts?since=' + value, token=self.admin,
                     expected_status=BAD)

    def test_purge_keeps_recent_rows(self):
        old = timeutils.utcnow() - datetime.timedelta(days=91)
        with sql.session_for_write() as session:
            session.execute(sa.update(attempts_sql.LoginAttempt).where(
                attempts_sql.LoginAttempt.user_id == self.other)
                .values(timestamp=old))
        cutoff = timeutils.utcnow() - datetime.timedelta(days=90)
        self.assertEqual(1, attempts.purge(cutoff))
        self.assertEqual(2, len(self.get('/mfa/attempts', token=self.admin)
                                .result['attempts']))


class AttemptsAtScaleTestCase(base.TOTPRestfulTestCase):
    """One page out of 100 000 rows stays an index range scan."""

    ROWS = 100_000

    def test_a_page_from_100k_rows_is_fast(self):
        now = timeutils.utcnow()
        users = [uuid.uuid4().hex for _ in range(1000)]
        rows = [{'id': uuid.uuid4().hex, 'user_id': users[i % 1000],
                 'domain_id': 'd%d' % (i % 10), 'method': 'totp',
                 'status': 'failure', 'message': 'wrong code',
                 'client_ip': '127.0.0.1', 'request_id': None,
                 'timestamp': now - datetime.timedelta(seconds=i),
                 'client_headers': '{}', 'extra': '{}'}
                for i in range(self.ROWS)]
        with sql.session_for_write() as session:
            session.execute(sa.insert(attempts_sql.LoginAttempt), rows)
        timings = {}
        for name, filters in (('all', {}), ('user', {'user_id': users[7]}),
                              ('domain', {'domain_id': 'd3'})):
            samples = []
            for _ in range(20):
                start = time.perf_counter()
                page, more = attempts.list_attempts(filters, limit=100)
                samples.append(time.perf_counter() - start)
            samples.sort()
            timings[name] = samples[int(len(samples) * 0.95) - 1]
            self.assertTrue(page)
        print('attempts page p95 over %d rows (ms): %s' % (self.ROWS, {
            k: round(v * 1000, 1) for k, v in timings.items()}))
        for name, p95 in timings.items():
            self.assertLess(p95, 0.05, name)
