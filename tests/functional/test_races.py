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
"""Several keystone nodes on one MariaDB database, raced.

Each single-use secret (a TOTP code, a recovery code, an emailed sndfa
code, a password-reset link) is sent REQUESTS times at the same moment,
the requests taking turns over the nodes: exactly one may win, in every
round. Concurrent wrong codes must each be counted (no lost update).
The numbers of every round are printed as `race: ...` lines.
"""

import collections
import secrets
import time

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import testtools
from testtools import content

from tests import db
from tests.functional import mail_helpers as mails
from tests.functional import totp_helpers

NODES = 2
WORKERS = 3          # per node: 6 requests really in flight at once
REQUESTS = 10
ROUNDS = 3
THRESHOLD = 20       # [mfa] max_failed_attempts, above REQUESTS
RECEIPT = 'Openstack-Auth-Receipt'
# Cheap password hashes (codes are hashed with keystone's hasher too): the
# races are about atomic updates, not hashing cost, and 2 CPUs run them.
EXTRA_CONFIG = (f'[mfa]\nmax_failed_attempts = {THRESHOLD}\n'
                '[identity]\npassword_hash_rounds = 4\n')


def shared_nodes():
    return totp_helpers.shared('races', lambda: (
        totp_helpers.SharedDatabaseKeystones(
            count=NODES, extra_config=EXTRA_CONFIG, workers=WORKERS)))


class MultiNodeRaceTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        try:
            self.nodes = shared_nodes().servers
        except db.Unavailable as e:
            self.skipTest(str(e))
        self.first, self.second = self.nodes[:2]
        self.urls = totp_helpers.spread(self.nodes, REQUESTS)
        self.results = []

    def report(self, what, round_, statuses):
        counts = collections.Counter(statuses)
        line = (f'race: {what} round {round_}: {len(statuses)} requests over '
                f'{NODES} nodes -> ' + ', '.join(
                    f'{n} x {status}' for status, n in sorted(counts.items())))
        print(line, flush=True)
        self.results.append(line)
        self.addDetail('race-results', content.text_content(
            '\n'.join(self.results)))

    def admin(self):
        return self.first.adapter(self.first.session(system_scope='all'))

    def assertOneWinner(self, success, statuses):
        self.assertEqual([success] + [401] * (REQUESTS - 1), statuses)

    # --- users ---------------------------------------------------------
    def user_session(self, user, node):
        return node.adapter(ks_session.Session(auth=v3.Password(
            auth_url=node.auth_url, user_id=user['id'],
            password=user['password'], unscoped=True)))

    def email_user(self):
        """A user whose address was verified through the emailed link."""
        email = f'race{secrets.token_hex(4)}@example.org'
        user = self.first.create_user(email=email)
        user['email'] = email
        me = self.user_session(user, self.first)
        me.get(f'/users/{user["id"]}/checkemail')
        link = mails.link_in(mails.last_mail(self.first, email))
        r = requests.post(link, json={}, timeout=30)
        self.assertEqual(200, r.status_code, r.text)
        return user, me

    def password_login(self, node, user_id, password):
        return requests.post(node.auth_url + '/auth/tokens', json={
            'auth': {'identity': {'methods': ['password'], 'password': {
                'user': {'id': user_id, 'password': password}}}}},
            timeout=30)

    def v3_path(self, link):
        """The path of a mailed link below /v3, to send it to any node."""
        return link.split('/v3', 1)[1]

    # --- races ---------------------------------------------------------
    def test_one_totp_code_gives_one_token(self):
        for round_ in range(ROUNDS):
            # A fresh user each round: the losers count as failures (they
            # sent the password, so they count toward the lockout).
            user = self.first.create_user()
            otp = totp_helpers.add_totp_credential(self.first, user['id'])
            if round_:
                # An older accepted step: the race updates the used-step
                # row instead of inserting it (round 0).
                self.assertEqual([201], totp_helpers.race(
                    self.urls[:1], totp_helpers.password_totp_body(
                        user['id'], user['password'],
                        otp.at(time.time() - 30))))
            statuses = totp_helpers.race(
                self.urls, totp_helpers.password_totp_body(
                    user['id'], user['password'], otp.now()))
            self.report('totp code', round_, statuses)
            self.assertOneWinner(201, statuses)

    def test_one_recovery_code_gives_one_token(self):
        admin = self.admin()
        for round_ in range(ROUNDS):
            user = self.first.create_user()
            path = f'/users/{user["id"]}/recovery_codes'
            codes = admin.post(path).json()['recovery_codes']['codes']
            statuses = totp_helpers.race(
                self.urls, totp_helpers.password_totp_body(
                    user['id'], user['password'], codes[0]))
            self.report('recovery code', round_, statuses)
            self.assertOneWinner(201, statuses)
            self.assertEqual(9, admin.get(path).json()[
                'recovery_codes']['remaining'])

    def test_one_emailed_sndfa_code_gives_one_token(self):
        for round_ in range(ROUNDS):
            user, me = self.email_user()
            uid = user['id']
            me.post(f'/users/{uid}/sndfa', json={'enable': True})
            r = self.password_login(self.first, uid, user['password'])
            self.assertEqual(401, r.status_code, r.text)
            receipt = {RECEIPT: r.headers[RECEIPT]}
            sndfa = {'auth': {'identity': {'methods': ['sndfa'], 'sndfa': {
                'user': {'id': uid}}}}}
            # The receipt of the first node asks the second for the mail.
            r = requests.post(self.second.auth_url + '/auth/tokens',
                              json=sndfa, headers=receipt, timeout=30)
            self.assertTrue(r.json()['identity']['sndfa']['code_sent'])
            code = mails.code_in(mails.last_mail(self.second, user['email']))
            sndfa['auth']['identity']['sndfa']['code'] = code
            statuses = totp_helpers.race(self.urls, sndfa, headers=receipt)
            self.report('sndfa code', round_, statuses)
            self.assertOneWinner(201, statuses)

    def test_one_reset_link_sets_the_password_once(self):
        for round_ in range(ROUNDS):
            user, _me = self.email_user()
            r = requests.post(self.second.auth_url +
                              f'/users/{user["id"]}/recover_password',
                              timeout=30)
            self.assertEqual(202, r.status_code)
            link = mails.link_in(mails.last_mail(self.second, user['email']))
            password = secrets.token_urlsafe(16)
            statuses = totp_helpers.race(
                self.urls, {'password': password}, path=self.v3_path(link))
            self.report('reset link', round_, statuses)
            self.assertOneWinner(204, statuses)
            # The winner's password is the one in force. (Only the login:
            # keystone may still refuse a token issued in the very second
            # the reset revoked the user's tokens.)
            r = self.password_login(self.second, user['id'], password)
            self.assertEqual(201, r.status_code, r.text)

    def test_concurrent_wrong_codes_are_each_counted(self):
        admin = self.admin()
        user = self.first.create_user()
        uid = user['id']
        otp = totp_helpers.add_totp_credential(self.first, uid)

        def state():
            return admin.get(f'/users/{uid}/mfa').json()['mfa']

        def wrong_code():
            right = otp.now()
            return next(c for c in ('000000', '111111') if c != right)

        done = 0
        # Up to the threshold in two concurrent bursts: every failure counts,
        # and the lock comes exactly with the THRESHOLD-th one. With the
        # password: only failures that proved a first factor count.
        for round_, burst in enumerate((REQUESTS, THRESHOLD - REQUESTS)):
            urls = totp_helpers.spread(self.nodes, burst)
            statuses = totp_helpers.race(urls, totp_helpers.password_totp_body(
                uid, user['password'], wrong_code()))
            done += burst
            mfa = state()
            self.report('wrong codes (failed_attempts=%(failed_attempts)s, '
                        'locked=%(locked)s)' % mfa, round_, statuses)
            self.assertEqual([401] * burst, statuses)
            self.assertEqual(done, mfa['failed_attempts'])
            self.assertEqual(done >= THRESHOLD, mfa['locked'])
        # Locked: even the right code fails, and is not counted again.
        self.assertEqual([401], totp_helpers.race(
            self.urls[:1], totp_helpers.password_totp_body(
                uid, user['password'], otp.now())))
        self.assertEqual(THRESHOLD, state()['failed_attempts'])
        failures = admin.get(f'/users/{uid}/mfa/attempts', params={
            'status': 'failure', 'limit': 100}).json()['attempts']
        self.assertEqual(THRESHOLD, len(failures))
