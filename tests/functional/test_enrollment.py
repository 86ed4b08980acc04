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
"""A user enrolls a phone, turns MFA on, loses the phone: real server.

pyotp plays the authenticator app and zxing-cpp its camera.
"""

import datetime
import os
import time

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import pyotp

from tests.functional import base
from tests import qr
from tests import utils


class EnrollmentTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.user = self.server.create_user()
        self.uid = self.user['id']
        self.path = f'/users/{self.uid}'

    def password_auth(self):
        return v3.Password(auth_url=self.server.auth_url, user_id=self.uid,
                           password=self.user['password'], unscoped=True)

    def mfa_session(self, passcode):
        """password -> 401 + receipt -> totp with the receipt -> token."""
        e = self.assertRaises(ks_exceptions.MissingAuthMethods,
                              self.password_auth().get_access,
                              ks_session.Session())
        auth = v3.Auth(auth_url=self.server.auth_url, unscoped=True,
                       auth_methods=[v3.ReceiptMethod(receipt=e.receipt),
                                     v3.TOTPMethod(user_id=self.uid,
                                                   passcode=passcode)])
        return ks_session.Session(auth=auth)

    def both_factors_session(self, passcode):
        """password and totp in one request (MFA not on yet)."""
        return ks_session.Session(auth=v3.Auth(
            auth_url=self.server.auth_url, unscoped=True, auth_methods=[
                v3.PasswordMethod(user_id=self.uid,
                                  password=self.user['password']),
                v3.TOTPMethod(user_id=self.uid, passcode=passcode)]))

    def enroll(self, me):
        r = me.post(f'{self.path}/otp_devices',
                    json={'otp_device': {'name': 'phone'}})
        self.assertEqual(201, r.status_code)
        device = r.json()['otp_device']
        [uri] = qr.decode_data_uri(device['qrcode'])   # the phone's camera
        self.assertEqual(device['key_uri'], uri)
        phone = pyotp.parse_uri(uri)
        r = me.post(f'{self.path}/otp_devices/{device["id"]}/verify',
                    json={'verify': {'code': phone.now()}})
        self.assertEqual(204, r.status_code)
        return device, phone

    @staticmethod
    def unused_code(phone, last_step):
        """A code of a step after `last_step`, from the future window.

        Codes are single use: a step at or before the last accepted one is
        refused, so wait (at most one period) until a new step is in reach.
        """
        while True:
            step = int(time.time() + phone.interval) // phone.interval
            if step > last_step:
                return step, phone.at(step * phone.interval)
            time.sleep(0.5)

    def manage(self, *args):
        confs = []
        for name in ('keystone.conf', 'devserver.conf'):
            confs += ['--config-file', os.path.join(self.server.state_dir,
                                                    name)]
        return utils.run_script(args[0], *confs, *args[1:])

    def credential_keys(self):
        key_dir = os.path.join(self.server.state_dir, 'credential-keys')
        keys = set()
        for name in os.listdir(key_dir):
            with open(os.path.join(key_dir, name)) as f:
                keys.add(f.read())
        return keys

    def rotate_credential_keys(self):
        """keystone's rotation, then ours, as an operator would run them."""
        ids = ['--keystone-user', str(os.getuid()),
               '--keystone-group', str(os.getgid())]
        self.manage('keystone-manage', 'credential_migrate', *ids)
        self.manage('keystone-manage', 'credential_rotate', *ids)
        out = self.manage('keystone-mfa-ext-manage', 'reencrypt').stdout
        self.assertIn('0 could not be decrypted', out)

    def test_enroll_enable_login_and_lose_the_phone(self):
        password_only = self.server.adapter(
            ks_session.Session(auth=self.password_auth()))
        device, phone = self.enroll(password_only)
        old_token = password_only.session.get_token()
        # With a verified device, the password alone changes no factor.
        refused = password_only.patch(f'{self.path}/mfa', json={
            'mfa': {'enabled': True}}, raise_exc=False)
        self.assertEqual(403, refused.status_code)
        self.assertIn('second factor', refused.json()['error']['message'])
        step = phone.timecode(datetime.datetime.now())  # used to verify
        step, code = self.unused_code(phone, step)
        state = self.server.adapter(self.both_factors_session(code)).patch(
            f'{self.path}/mfa', json={'mfa': {'enabled': True}})
        self.assertEqual([['password', 'totp']], state.json()['mfa']['rules'])
        # Switching MFA on ended the password-only session.
        self.assertEqual(401, self.server.get(
            f'{self.path}/mfa', token=old_token).status_code)

        # Password alone now only yields a receipt; with the phone, a token.
        step, code = self.unused_code(phone, step)
        me = self.server.adapter(self.mfa_session(code))
        codes = me.post(f'{self.path}/recovery_codes').json()[
            'recovery_codes']['codes']
        self.assertEqual(10, len(codes))

        # Lost phone: a recovery code works once.
        self.mfa_session(codes[0]).get_token()
        self.assertRaises(ks_exceptions.Unauthorized,
                          self.mfa_session(codes[0]).get_token)
        remaining = me.get(f'{self.path}/recovery_codes').json()
        self.assertEqual(9, remaining['recovery_codes']['remaining'])

        # The operator rotates the credential keys until the key that
        # encrypted the device secret is gone; the phone still works.
        first_keys = self.credential_keys()
        for _ in range(3):
            self.rotate_credential_keys()
        self.assertFalse(first_keys & self.credential_keys())
        step, code = self.unused_code(phone, step)
        self.mfa_session(code).get_token()
