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
"""Pins the one read of keystone's identity model (lockout.keystone_password).

keystone has no public call for a user's password failures; if a keystone
release renames or moves these columns, this fails instead of the
second factor silently ignoring keystone's lockout.
"""

import http.client

from keystone.common import provider_api

from keystone_mfa_ext.lockout import keystone_password
from tests.unit import base

PROVIDERS = provider_api.ProviderAPIs


class KeystonePasswordFailuresTestCase(base.TOTPRestfulTestCase):

    def setUp(self):
        super().setUp()
        self.config_fixture.config(group='security_compliance',
                                   lockout_failure_attempts=5,
                                   lockout_duration=600)
        self.uid = self.user['id']

    def fail_password(self, times):
        for _ in range(times):
            self.v3_create_token(
                self.build_authentication_request(
                    user_id=self.uid, password='wrong'),
                expected_status=http.client.UNAUTHORIZED)

    def test_counts_keystones_password_failures(self):
        self.assertEqual(0, keystone_password.password_failures(
            self.uid).count)
        self.fail_password(2)
        state = keystone_password.password_failures(self.uid)
        self.assertEqual(2, state.count)
        self.assertIsNotNone(state.failed_at)
        self.assertFalse(state.ignored)

    def test_the_ignore_option_of_the_user(self):
        PROVIDERS.identity_api.update_user(
            self.uid, {'options': {'ignore_lockout_failure_attempts': True}})
        self.assertTrue(keystone_password.password_failures(
            self.uid).ignored)

    def test_unknown_user(self):
        self.assertIsNone(keystone_password.password_failures('nobody'))
