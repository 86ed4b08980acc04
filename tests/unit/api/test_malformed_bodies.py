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
"""Regressions found by test_hostile_input: bodies that used to be 500s."""

import http.client
import json
import logging

import fixtures

from keystone_mfa_ext.devices import core as devices_core
from tests.unit import base

BAD = http.client.BAD_REQUEST


class MalformedBodyTestCase(base.OwnerRestfulTestCase):

    def send(self, path, raw, token=None, method='POST'):
        response = self.admin_request(
            method=method, path='/v3' + path, body=raw,
            token=token or self.owner_token, expected_status=BAD,
            headers={'Content-Type': 'application/json'}, convert=False)
        error = json.loads(response.body)['error']
        self.assertEqual(BAD, error['code'])
        return error

    def test_lone_surrogate_in_a_name_is_400_and_stores_nothing(self):
        # Valid JSON ("\ud800" escape), but no database takes the text: it
        # used to fail in the INSERT, a 500.
        raw = json.dumps({'otp_device': {'name': 'a\ud800'}}).encode()
        error = self.send(f'/users/{self.uid}/otp_devices', raw)
        self.assertEqual("Invalid input for field 'otp_device/name'.",
                         error['message'])
        self.assertEqual([], devices_core.list_for_user(self.uid))

    def test_lone_surrogate_in_a_passcode_is_400(self):
        raw = json.dumps(self.totp_auth(self.uid, '12345\udfff')).encode()
        self.admin_request(method='POST', path='/v3/auth/tokens', body=raw,
                           headers={'Content-Type': 'application/json'},
                           expected_status=BAD)

    def test_deeply_nested_body_is_400_in_keystone_format(self):
        # keystone's JSON check hit RecursionError before any route ran.
        raw = b'[' * 5000 + b']' * 5000
        for path in (f'/users/{self.uid}/otp_devices', '/auth/tokens'):
            error = self.send(path, raw)
            self.assertEqual('Bad Request', error['title'])

    def test_rejected_value_is_not_chained_into_the_log(self):
        """keystone logs a 400 with its traceback: not with the value."""
        # (At DEBUG keystone's RBAC log shows request bodies anyway.)
        logger = self.useFixture(fixtures.FakeLogger(level=logging.WARNING))
        raw = json.dumps({'otp_device': {
            'name': 'x', 'digits': 'NOT-AN-INTEGER-4711'}}).encode()
        error = self.send(f'/users/{self.uid}/otp_devices', raw)
        self.assertEqual("Invalid input for field 'otp_device/digits'.",
                         error['message'])
        self.assertIn('Invalid input for field', logger.output)
        self.assertNotIn('NOT-AN-INTEGER-4711', logger.output)

    def test_nul_in_a_path_parameter_is_404_before_any_lookup(self):
        # PostgreSQL cannot compare text with a NUL: keystone's get_user
        # answered 500 there.
        for path in ('/users/%00/otp_devices', f'/users/{self.uid}%00/mfa',
                     f'/users/{self.uid}/otp_devices/a%00b'):
            r = self.admin_request(method='GET', path='/v3' + path,
                                   token=self.owner_token,
                                   expected_status=http.client.NOT_FOUND)
            self.assertEqual('Could not find the resource.',
                             r.result['error']['message'])
