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
"""Logins of users with many OTP devices: keys read once, same results."""

import http.client
from unittest import mock
import uuid

import pyotp
import sqlalchemy as sa

from keystone_mfa_ext.common import credential_keys
from keystone_mfa_ext.common import sql
from keystone_mfa_ext.devices import core as devices_core
from tests.unit import base


class ManyDevicesTestCase(base.TOTPRestfulTestCase):

    def setUp(self):
        super().setUp()
        self.uid = self.user['id']
        self.config_fixture.config(group='mfa', max_devices_per_user=50)
        self.secrets = []
        for i in range(12):
            # Distinct creation times (whole seconds: MySQL's DATETIME);
            # on a tie only SQLite keeps insertion order.
            self.set_clock(i)
            device, secret = devices_core.create(self.uid, uuid.uuid4().hex)
            devices_core.mark_verified(device['id'])
            self.secrets.append((device['id'], secret))

    def test_credential_keys_are_read_once_per_login(self):
        real = credential_keys.fernet_credentials.get_multi_fernet_keys
        with mock.patch.object(credential_keys.fernet_credentials,
                               'get_multi_fernet_keys',
                               side_effect=real) as loader:
            found = devices_core.verified_with_secrets(self.uid)
        self.assertEqual(1, loader.call_count)
        self.assertEqual(self.secrets,
                         [(d['id'], secret) for d, secret in found])

    def test_code_of_the_last_device_logs_in(self):
        _device_id, secret = self.secrets[-1]
        self.issue(self.totp_auth(self.uid, pyotp.TOTP(secret).at(self.ts)))

    def test_an_undecryptable_device_is_skipped_not_fatal(self):
        broken_id, broken_secret = self.secrets[0]
        with sql.session_for_write() as session:
            session.execute(sa.text(
                "UPDATE mfa_otp_device SET secret = 'not-a-fernet-token' "
                "WHERE id = :i"), {'i': broken_id})
        found = devices_core.verified_with_secrets(self.uid)
        self.assertEqual(self.secrets[1:],
                         [(d['id'], secret) for d, secret in found])
        self.issue(self.totp_auth(
            self.uid, pyotp.TOTP(broken_secret).at(self.ts)),
            expected_status=http.client.UNAUTHORIZED)
        self.issue(self.totp_auth(
            self.uid, pyotp.TOTP(self.secrets[5][1]).at(self.ts)))
