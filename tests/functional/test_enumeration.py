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
"""The unauthenticated routes tell nobody whether a user or email exists.

Four kinds of target: an unknown user id, a user without email, one with
an unverified email and one with a verified email (who really gets mail).
Each route must answer all four with the same status, headers and bytes,
and in comparable time: requests of the four kinds are interleaved in a
random order, and the medians of their durations must differ by less than
the noise of the same kind's own samples (see `tolerance`).
"""

import math
import random
import secrets
import statistics
import time

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import testtools

from tests.functional import base
from tests.functional import mail_helpers as mails

KINDS = ('unknown', 'no_email', 'unverified', 'verified')
SAMPLES = 25
# A wrong link code costs one password-hash check (~0.3-0.8 s here).
CODE_SAMPLES = 10
# Headers that differ per request by design.
VOLATILE = {'date', 'x-openstack-request-id'}
# Enough recovery mails per user and address that every sample of the
# verified user really sends one: the slowest case there is.
CONFIG = """
[spassword]
recover_max_per_user = 100
recover_max_per_address = 10000
"""


def fingerprint(response):
    headers = tuple(sorted((k.lower(), v) for k, v in response.headers.items()
                           if k.lower() not in VOLATILE))
    return response.status_code, headers, response.content


def owner_adapter(server, user):
    """The user's own client (unscoped: users here have no roles)."""
    return server.adapter(ks_session.Session(auth=v3.Password(
        auth_url=server.auth_url, user_id=user['id'],
        password=user['password'], unscoped=True)))


def tolerance(durations):
    """What a difference of two kinds' medians must stay below, in seconds.

    Three standard errors of a difference of medians of n samples from one
    distribution: SE ~= 1.77 sigma / sqrt(n), with sigma estimated robustly
    from the interquartile range of all samples (IQR ~= 1.35 sigma), at
    least 2 ms. On a loaded 2-core machine the noise is large, but the
    work an attacker looks for stays far above it: a password-hash check
    (the whole ~0.3-0.8 s of a link post here) or an SMTP delivery done in
    the request (several ms against a ~1 ms spread of recover_password).
    """
    pooled = [t for samples in durations.values() for t in samples]
    n = min(len(samples) for samples in durations.values())
    q1, _q2, q3 = statistics.quantiles(pooled, n=4)
    sigma = (q3 - q1) / 1.35
    return max(0.002, 3 * 1.77 * sigma / math.sqrt(n))


class EnumerationTestCase(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = base.shared_server(extra_config=CONFIG)
        cls.users = cls._users()

    @classmethod
    def _users(cls):
        server = cls.server
        users = {'unknown': secrets.token_hex(16),
                 'no_email': server.create_user()['id']}
        unverified = server.create_user(
            email=f'n{secrets.token_hex(4)}@example.org')
        users['unverified'] = unverified['id']
        email = f'v{secrets.token_hex(4)}@example.org'
        verified = server.create_user(email=email)
        owner_adapter(server, verified).get(
            f'/users/{verified["id"]}/checkemail')
        link = mails.link_in(mails.last_mail(server, email))
        requests.post(link, json={}, timeout=30).raise_for_status()
        users['verified'] = verified['id']
        cls.verified_email = email
        return users

    def call(self, method, kind, suffix, **kwargs):
        url = f'{self.server.auth_url}/users/{self.users[kind]}/{suffix}'
        start = time.perf_counter()
        r = requests.request(method, url, timeout=60, **kwargs)
        return r, time.perf_counter() - start

    def measure(self, method, suffix, samples=SAMPLES, **kwargs):
        """{kind: [durations]}, after checking every answer is the same."""
        durations = {kind: [] for kind in KINDS}
        answers = set()
        for _ in range(samples):
            order = list(KINDS)
            random.shuffle(order)
            for kind in order:
                r, took = self.call(method, kind, suffix, **kwargs)
                answers.add(fingerprint(r))
                durations[kind].append(took)
        self.assertEqual(1, len(answers), answers)
        return durations

    def assert_same_timing(self, name, durations):
        medians = {k: statistics.median(v) for k, v in durations.items()}
        allowed = tolerance(durations)
        report = ', '.join(f'{k} {1000 * m:.1f} ms'
                           for k, m in medians.items())
        self.addDetail(name, testtools.content.text_content(
            f'{report}; tolerance {1000 * allowed:.1f} ms'))
        print(f'\n{name}: medians {report}; '
              f'tolerance {1000 * allowed:.1f} ms', flush=True)
        for kind in KINDS[1:]:
            self.assertLess(abs(medians[kind] - medians['unknown']), allowed,
                            f'{name}: {report}')

    def test_recover_password(self):
        before = len(self.server.wait_for_mail(self.verified_email, 1))
        for method in ('GET', 'POST'):
            durations = self.measure(method, 'recover_password')
            self.assertEqual(202, self.call(method, 'unknown',
                                            'recover_password')[0]
                             .status_code)
            self.assert_same_timing(f'{method} recover_password', durations)
        # The verified user really got mail all along.
        self.assertGreater(len(self.server.wait_for_mail(
            self.verified_email, before + 2 * SAMPLES, timeout=60)),
            before + SAMPLES)

    def test_link_posts_with_a_wrong_code(self):
        code = secrets.token_urlsafe(32)
        for route in ('checkemail', 'sndfa', 'reset_password'):
            # A valid body: the code is really checked, not the schema.
            durations = self.measure('POST', f'{route}/{code}',
                                     samples=CODE_SAMPLES,
                                     json={'password': 'x' * 12}
                                     if route == 'reset_password' else {})
            self.assert_same_timing(f'POST {route}/CODE', durations)
        r, _took = self.call('POST', 'unknown', f'sndfa/{code}', json={})
        self.assertEqual(401, r.status_code)

    def test_pages_and_form_posts(self):
        code = secrets.token_urlsafe(32)
        for route in ('checkemail', 'sndfa', 'reset_password'):
            answers = set()
            for kind in KINDS:
                page, _took = self.call('GET', kind, f'{route}/{code}')
                self.assertEqual(200, page.status_code)
                form, _took = self.call('POST', kind, f'{route}/{code}',
                                        data={'password': 'x' * 12})
                self.assertEqual(401, form.status_code)
                answers.add((fingerprint(page), fingerprint(form)))
            self.assertEqual(1, len(answers), route)
