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
"""/v3/users/{user_id}/otp_devices through keystone's app and policies."""

import base64
import http.client
import urllib.parse
import uuid

import pyotp

from keystone_mfa_ext.devices import core as devices_core
from tests import qr
from tests.unit import base

CREATED, OK, NO_CONTENT = (http.client.CREATED, http.client.OK,
                           http.client.NO_CONTENT)
BAD, NOT_FOUND, CONFLICT, FORBIDDEN = (
    http.client.BAD_REQUEST, http.client.NOT_FOUND, http.client.CONFLICT,
    http.client.FORBIDDEN)


class _DeviceTestCase(base.OwnerRestfulTestCase):

    def setUp(self):
        super().setUp()
        self.path = f'/users/{self.uid}/otp_devices'

    def create(self, expected_status=CREATED, token=None, **fields):
        fields.setdefault('name', 'phone-' + uuid.uuid4().hex[:6])
        return self.post(self.path, body={'otp_device': fields},
                         token=token or self.owner_token,
                         expected_status=expected_status)

    @staticmethod
    def otp_of(device):
        query = urllib.parse.parse_qs(
            urllib.parse.urlparse(device['key_uri']).query)
        return pyotp.TOTP(query['secret'][0], digits=device['digits'],
                          interval=device['period'],
                          digest=device['algorithm'].lower())

    def verify(self, device, code, expected_status=NO_CONTENT):
        return self.post(f'{self.path}/{device["id"]}/verify',
                         body={'verify': {'code': code}},
                         token=self.owner_token,
                         expected_status=expected_status)


class EnrollmentTestCase(_DeviceTestCase):

    def test_create_returns_key_uri_and_qrcode_once(self):
        r = self.create(name='my phone', algorithm='SHA256', digits=8,
                        period=60)
        dev = r.result['otp_device']
        self.assertFalse(dev['verified'])
        self.assertTrue(r.headers['Location'].endswith(
            f'{self.path}/{dev["id"]}'))
        uri = urllib.parse.urlparse(dev['key_uri'])
        self.assertEqual(('otpauth', 'totp'), (uri.scheme, uri.netloc))
        self.assertEqual(f'/OpenStack:{self.target["name"]}',
                         urllib.parse.unquote(uri.path))
        query = urllib.parse.parse_qs(uri.query)
        self.assertEqual(['OpenStack'], query['issuer'])
        self.assertEqual((['SHA256'], ['8'], ['60']),
                         (query['algorithm'], query['digits'],
                          query['period']))
        self.assertEqual(20, len(base64.b32decode(
            query['secret'][0] + '=' * (-len(query['secret'][0]) % 8))))
        prefix = 'data:image/png;base64,'
        self.assertTrue(dev['qrcode'].startswith(prefix))
        self.assertEqual([dev['key_uri']], qr.decode_data_uri(dev['qrcode']))
        secret = query['secret'][0]
        listed = self.get(self.path, token=self.owner_token)
        shown = self.get(f'{self.path}/{dev["id"]}', token=self.owner_token)
        for body in (listed.body, shown.body):
            self.assertNotIn(secret.encode(), body)
            self.assertNotIn(b'key_uri', body)

    def test_verify_then_login(self):
        dev = self.create().result['otp_device']
        otp = self.otp_of(dev)
        self.issue(self.totp_auth(self.uid, otp.at(self.ts + 30)),
                   expected_status=http.client.UNAUTHORIZED)
        self.verify(dev, otp.at(self.ts))
        shown = self.get(f'{self.path}/{dev["id"]}', token=self.owner_token)
        self.assertTrue(shown.result['otp_device']['verified'])
        self.set_clock(30)
        self.issue(self.totp_auth(self.uid, otp.at(self.ts)))

    def test_verification_code_cannot_be_replayed_at_login(self):
        dev = self.create().result['otp_device']
        code = self.otp_of(dev).at(self.ts)
        self.verify(dev, code)
        self.issue(self.totp_auth(self.uid, code),
                   expected_status=http.client.UNAUTHORIZED)

    def test_wrong_code_is_400_and_changes_nothing_but_counters(self):
        dev = self.create().result['otp_device']
        right = self.otp_of(dev).at(self.ts)
        wrong = '000000' if right != '000000' else '111111'
        self.verify(dev, wrong, expected_status=BAD)
        shown = self.get(f'{self.path}/{dev["id"]}', token=self.owner_token)
        self.assertFalse(shown.result['otp_device']['verified'])
        state = self.get(f'/users/{self.uid}/mfa', token=self.owner_token)
        self.assertEqual(1, state.result['mfa']['failed_attempts'])

    def test_unverified_devices_expire(self):
        dev = self.create().result['otp_device']
        self.set_clock(901)
        listed = self.get(self.path, token=self.owner_token)
        self.assertEqual([], listed.result['otp_devices'])
        self.verify(dev, self.otp_of(dev).at(self.ts),
                    expected_status=NOT_FOUND)

    def test_at_most_max_devices(self):
        for _ in range(5):
            self.create()
        r = self.create(expected_status=CONFLICT)
        # keystone's Conflict adds the full stop; one, not two.
        self.assertEqual(
            'Conflict occurred attempting to store otp_device - '
            'A user may have at most 5 OTP devices.',
            r.result['error']['message'])

    def test_names_are_unique_per_user_and_renamable(self):
        first = self.create(name='phone').result['otp_device']
        r = self.create(name='phone', expected_status=CONFLICT)
        self.assertEqual(
            'Conflict occurred attempting to store otp_device - '
            'The user already has an OTP device with this name.',
            r.result['error']['message'])
        second = self.create(name='tablet').result['otp_device']
        r = self.patch(f'{self.path}/{first["id"]}', token=self.owner_token,
                       body={'otp_device': {'name': 'old phone'}})
        self.assertEqual('old phone', r.result['otp_device']['name'])
        self.patch(f'{self.path}/{second["id"]}', token=self.owner_token,
                   body={'otp_device': {'name': 'old phone'}},
                   expected_status=CONFLICT)

    def test_delete(self):
        dev = self.create().result['otp_device']
        self.delete(f'{self.path}/{dev["id"]}', token=self.owner_token)
        self.get(f'{self.path}/{dev["id"]}', token=self.owner_token,
                 expected_status=NOT_FOUND)

    def test_another_users_device_id_is_404(self):
        theirs, _secret = devices_core.create(self.other_member['id'], 'x')
        for method in (self.get, self.delete):
            method(f'{self.path}/{theirs["id"]}', token=self.owner_token,
                   expected_status=NOT_FOUND)
        self.patch(f'{self.path}/{theirs["id"]}', token=self.owner_token,
                   body={'otp_device': {'name': 'mine'}},
                   expected_status=NOT_FOUND)
        self.verify(theirs, '123456', expected_status=NOT_FOUND)
        self.get(f'{self.path}/{uuid.uuid4().hex}', token=self.owner_token,
                 expected_status=NOT_FOUND)

    def test_bad_bodies_are_400(self):
        for body in (None, {}, {'otp_device': {}}, {'otp_device': 'x'},
                     {'otp_device': {'name': ''}},
                     {'otp_device': {'name': 'x' * 256}},
                     {'otp_device': {'name': 'a\x00b'}},
                     {'otp_device': {'name': 7}},
                     {'otp_device': {'name': 'x', 'secret': 'AAAA'}},
                     {'otp_device': {'name': 'x', 'algorithm': 'MD5'}},
                     {'otp_device': {'name': 'x', 'digits': 7}},
                     {'otp_device': {'name': 'x', 'digits': '6'}},
                     {'otp_device': {'name': 'x', 'period': 45}},
                     {'otp_device': {'name': 'x'}, 'extra': 1}):
            self.post(self.path, body=body, token=self.owner_token,
                      expected_status=BAD)
        dev = self.create().result['otp_device']
        for body in ({}, {'verify': {}}, {'verify': {'code': 123456}},
                     {'verify': {'code': '12345'}},
                     {'verify': {'code': '123456789'}},
                     {'verify': {'code': 'abcdef'}}):
            self.post(f'{self.path}/{dev["id"]}/verify', body=body,
                      token=self.owner_token, expected_status=BAD)
        self.assertEqual([], [d for d in self.get(
            self.path, token=self.owner_token).result['otp_devices']
            if d['verified']])


class DevicePersonasTestCase(_DeviceTestCase):
    """Owner or admin (of this user's domain), nobody else."""

    EXPECTED = {'system_admin': CREATED, 'domain_admin': CREATED,
                'owner': CREATED, 'other_domain_admin': FORBIDDEN,
                'other_member': FORBIDDEN}

    def test_create_list_get_delete_per_persona(self):
        for persona, token in self.persona_tokens().items():
            allowed = self.EXPECTED[persona] == CREATED
            r = self.create(token=token,
                            expected_status=self.EXPECTED[persona])
            dev_id = (r.result['otp_device']['id'] if allowed
                      else devices_core.create(self.uid,
                                               uuid.uuid4().hex)[0]['id'])
            read = OK if allowed else FORBIDDEN
            self.get(self.path, token=token, expected_status=read)
            self.get(f'{self.path}/{dev_id}', token=token,
                     expected_status=read)
            self.patch(f'{self.path}/{dev_id}', token=token,
                       body={'otp_device': {'name': uuid.uuid4().hex}},
                       expected_status=read)
            self.delete(f'{self.path}/{dev_id}', token=token,
                        expected_status=NO_CONTENT if allowed else FORBIDDEN)

    def test_no_token_is_401(self):
        self.get(self.path, noauth=True,
                 expected_status=http.client.UNAUTHORIZED)
        self.post(self.path, noauth=True, body={'otp_device': {'name': 'x'}},
                  expected_status=http.client.UNAUTHORIZED)
