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
"""/v3/users/{user_id}/recovery_codes and their use in the totp method."""

import http.client
import re

import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from tests.unit.auth import test_totp
from tests.unit import base

CODE = re.compile(r'^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$')


class RecoveryCodesTestCase(base.OwnerRestfulTestCase):

    def setUp(self):
        super().setUp()
        self.path = f'/users/{self.uid}/recovery_codes'

    def generate(self, token=None, expected_status=http.client.CREATED):
        return self.post(self.path, token=token or self.owner_token,
                         expected_status=expected_status)

    def second_factor_token(self, code):
        """The owner's password and a recovery code, in one request."""
        return self.two_factor_token(self.target, code,
                                     project_id=self.target_project['id'])

    def remaining(self):
        return self.get(self.path, token=self.owner_token).result[
            'recovery_codes']['remaining']

    def test_ten_codes_shown_once_with_enough_entropy(self):
        r = self.generate()
        codes = r.result['recovery_codes']['codes']
        self.assertEqual(10, len(set(codes)))
        for code in codes:
            self.assertRegex(code, CODE)  # 16 base32 chars: 80 bits
        self.assertIn('Location', r.headers)
        shown = self.get(self.path, token=self.owner_token)
        self.assertEqual({'remaining', 'created_at'},
                         set(shown.result['recovery_codes']))
        self.assertEqual(10, shown.result['recovery_codes']['remaining'])
        for code in codes:
            self.assertNotIn(code.encode(), shown.body)

    def test_stored_hashed_not_in_clear(self):
        codes = self.generate().result['recovery_codes']['codes']
        with sql.session_for_read() as session:
            stored = session.execute(sa.text(
                'SELECT lookup, code_hash FROM mfa_recovery_code')).all()
        blob = repr(stored)
        for code in codes:
            self.assertNotIn(code.replace('-', '')[4:], blob)

    def test_a_code_logs_in_once_and_is_audited(self):
        code = self.generate().result['recovery_codes']['codes'][0]
        self.issue(self.totp_auth(self.uid, code.lower()))
        self.set_clock(1)  # distinct timestamps: ties have no order
        self.issue(self.totp_auth(self.uid, code),
                   expected_status=http.client.UNAUTHORIZED)
        self.assertEqual(9, self.remaining())
        messages = [a['message'] for a in test_totp.attempts_of(self.uid)]
        self.assertEqual(['recovery code', 'wrong code'], messages)

    def test_new_set_invalidates_the_old_one(self):
        old = self.generate().result['recovery_codes']['codes']
        # The first set is a factor: a code of it is the second factor
        # that may replace it.
        new = self.generate(token=self.second_factor_token(old[0])).result[
            'recovery_codes']['codes']
        self.issue(self.totp_auth(self.uid, old[1]),
                   expected_status=http.client.UNAUTHORIZED)
        self.issue(self.totp_auth(self.uid, new[0]))

    def test_a_body_with_anything_in_it_is_refused_and_keeps_the_set(self):
        codes = self.generate().result['recovery_codes']['codes']
        # Authorization comes before the body: a password-only token is
        # refused whatever it sends.
        self.post(self.path, body={'bogus': 1}, token=self.owner_token,
                  expected_status=http.client.FORBIDDEN)
        token = self.second_factor_token(codes[0])
        for body in ({'bogus': 1}, {'recovery_codes': {}}, [1], 'x'):
            r = self.post(self.path, body=body, token=token,
                          expected_status=http.client.BAD_REQUEST)
            self.assertEqual(400, r.result['error']['code'])
        self.assertEqual(9, self.remaining())  # all but the code spent
        self.post(self.path, body={}, token=token,
                  expected_status=http.client.CREATED)
        self.issue(self.totp_auth(self.uid, codes[1]),
                   expected_status=http.client.UNAUTHORIZED)

    def test_delete(self):
        codes = self.generate().result['recovery_codes']['codes']
        # A password alone does not remove a factor; one of its codes may.
        self.delete(self.path, token=self.owner_token,
                    expected_status=http.client.FORBIDDEN)
        self.delete(self.path, token=self.second_factor_token(codes[0]))
        self.assertEqual(0, self.remaining())
        self.issue(self.totp_auth(self.uid, codes[1]),
                   expected_status=http.client.UNAUTHORIZED)

    def test_personas(self):
        expected = {'system_admin': True, 'domain_admin': True,
                    'owner': True, 'other_domain_admin': False,
                    'other_member': False}
        for persona, token in self.persona_tokens().items():
            ok = expected[persona]
            r = self.generate(token=token, expected_status=http.client.CREATED
                              if ok else http.client.FORBIDDEN)
            self.get(self.path, token=token, expected_status=http.client.OK
                     if ok else http.client.FORBIDDEN)
            if persona == 'owner':
                # Its own codes are now a factor: removing them takes a
                # second factor (admins are judged by their own factors).
                token = self.second_factor_token(
                    r.result['recovery_codes']['codes'][0])
            self.delete(self.path, token=token,
                        expected_status=http.client.NO_CONTENT
                        if ok else http.client.FORBIDDEN)
