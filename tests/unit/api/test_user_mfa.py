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
"""/v3/users/{user_id}/mfa: state, enable/disable/unlock, reset, cleanup."""

import http.client
from keystone.common import provider_api

from keystone_mfa_ext.devices import core as devices_core
from keystone_mfa_ext.recovery import core as recovery
from tests.unit.api import test_otp_devices

PROVIDERS = provider_api.ProviderAPIs
OK, BAD, FORBIDDEN = (http.client.OK, http.client.BAD_REQUEST,
                      http.client.FORBIDDEN)


class UserMFATestCase(test_otp_devices._DeviceTestCase):

    def setUp(self):
        super().setUp()
        self.mfa_path = f'/users/{self.uid}/mfa'

    def enrolled_otp(self):
        dev = self.create().result['otp_device']
        otp = self.otp_of(dev)
        self.verify(dev, otp.at(self.ts))
        self.set_clock(30)
        return otp

    def patch_mfa(self, change, token=None, expected_status=OK):
        return self.patch(self.mfa_path, body={'mfa': change},
                          token=token or self.owner_token,
                          expected_status=expected_status)

    def totp_token(self, otp):
        """A token of the owner that used password AND totp."""
        return self.two_factor_token(self.target, otp.at(self.ts),
                                     project_id=self.target_project['id'])

    def admin_token(self):
        return self.token(self.system_admin, system=True)

    def mfa_on_in_keystone_options(self):
        """MFA on, written straight into keystone's user options.

        A precondition, not the API under test: unlike PATCH .../mfa it
        revokes none of the owner's tokens, so a test can go on with them.
        """
        PROVIDERS.identity_api.update_user(self.uid, {'options': {
            'multi_factor_auth_enabled': True,
            'multi_factor_auth_rules': [['password', 'totp']]}})

    def test_state_of_a_new_user(self):
        state = self.get(self.mfa_path, token=self.owner_token).result['mfa']
        self.assertEqual({
            'enabled': False, 'rules': [], 'otp_devices': 0, 'sndfa': False,
            'email_verified': False, 'recovery_codes_remaining': 0,
            'locked': False, 'locked_until': None, 'failed_attempts': 0,
            'grace_until': None,
        }, state)

    def test_enable_without_a_factor_is_400(self):
        self.patch_mfa({'enabled': True}, expected_status=BAD)
        self.create()  # an unverified device is no factor either
        self.patch_mfa({'enabled': True}, expected_status=BAD)

    def test_enable_writes_keystone_options_that_keystone_enforces(self):
        otp = self.enrolled_otp()
        # Switching MFA on changes the user's factors: once the user has
        # one, the password alone may not, a token that used it may.
        r = self.patch_mfa({'enabled': True}, expected_status=FORBIDDEN)
        self.assertIn('second factor', r.result['error']['message'])
        state = self.patch_mfa({'enabled': True},
                               token=self.totp_token(otp)).result['mfa']
        self.assertTrue(state['enabled'])
        self.assertEqual([['password', 'totp']], state['rules'])
        options = PROVIDERS.identity_api.get_user(self.uid)['options']
        self.assertTrue(options['multi_factor_auth_enabled'])
        r = self.issue(self.password_auth(self.uid, self.target['password']),
                       expected_status=http.client.UNAUTHORIZED)
        self.assertIn('Openstack-Auth-Receipt', r.headers)

    def test_disable_needs_a_second_factor_token_or_an_admin(self):
        otp = self.enrolled_otp()
        self.mfa_on_in_keystone_options()
        # An admin is judged by its own factors: without any, its password
        # token may switch the user's MFA off.
        self.patch_mfa({'enabled': False}, token=self.token(
            self.domain_admin, domain_id=self.domain['id']))
        self.mfa_on_in_keystone_options()
        # The owner: with a token that used the second factor.
        self.patch_mfa({'enabled': False}, token=self.totp_token(otp))
        self.assertFalse(self.get(self.mfa_path, token=self.admin_token())
                         .result['mfa']['enabled'])

    def test_owner_with_password_only_token_cannot_disable(self):
        self.enrolled_otp()
        self.mfa_on_in_keystone_options()
        # self.owner_token is still valid but used one factor only.
        r = self.patch_mfa({'enabled': False}, expected_status=FORBIDDEN)
        self.assertIn('second factor', r.result['error']['message'])
        self.assertTrue(self.get(self.mfa_path, token=self.admin_token())
                        .result['mfa']['enabled'])

    def test_unlock_is_for_admins(self):
        otp = self.enrolled_otp()
        # The owner's strongest token, got before the lock.
        two_factor = self.totp_token(otp)
        wrong = '000000' if otp.at(self.ts) != '000000' else '111111'
        # Only failures that proved the password count toward the lockout.
        for _ in range(5):
            auth = self.build_authentication_request(
                user_id=self.uid, password=self.target['password'],
                passcode=wrong)
            self.issue(auth, expected_status=http.client.UNAUTHORIZED)
        state = self.get(self.mfa_path, token=self.owner_token).result['mfa']
        self.assertTrue(state['locked'])
        self.assertTrue(state['locked_until'].endswith('Z'))
        self.patch_mfa({'unlock': True}, expected_status=FORBIDDEN)
        r = self.patch_mfa({'unlock': True}, token=two_factor,
                           expected_status=FORBIDDEN)
        self.assertIn('identity:unlock_user_mfa', r.result['error']['message'])
        state = self.patch_mfa({'unlock': True}, token=self.token(
            self.domain_admin, domain_id=self.domain['id'])).result['mfa']
        self.assertFalse(state['locked'])
        self.assertEqual(0, state['failed_attempts'])
        self.set_clock(60)   # the code of the step before is spent
        self.issue(self.totp_auth(self.uid, otp.at(self.ts)))

    def test_reset_for_a_lost_phone(self):
        otp = self.enrolled_otp()
        recovery.generate(self.uid)
        two_factor = self.totp_token(otp)
        # A reset is for admins: not even the owner's second factor may.
        r = self.delete(self.mfa_path, token=two_factor,
                        expected_status=FORBIDDEN)
        self.assertIn('identity:delete_user_mfa', r.result['error']['message'])
        self.patch_mfa({'enabled': True}, token=two_factor)
        admin = self.admin_token()
        self.delete(self.mfa_path, token=admin)
        state = self.get(self.mfa_path, token=admin).result['mfa']
        self.assertEqual((False, [], 0, 0),
                         (state['enabled'], state['rules'],
                          state['otp_devices'],
                          state['recovery_codes_remaining']))
        self.issue(self.password_auth(self.uid, self.target['password']))

    def test_bad_bodies_are_400(self):
        for body in ({}, {'mfa': {}}, {'mfa': {'enabled': 'yes'}},
                     {'mfa': {'enabled': None}}, {'mfa': {'unlock': False}},
                     {'mfa': {'enabled': True, 'unlock': True}},
                     {'mfa': {'enabled': True, 'rules': [['password']]}},
                     {'mfa': []}, {'other': 1}):
            self.patch(self.mfa_path, body=body, token=self.owner_token,
                       expected_status=BAD)

    def test_personas_reading_state(self):
        expected = {'system_admin': OK, 'domain_admin': OK, 'owner': OK,
                    'other_domain_admin': FORBIDDEN,
                    'other_member': FORBIDDEN}
        for persona, token in self.persona_tokens().items():
            self.get(self.mfa_path, token=token,
                     expected_status=expected[persona])

    def test_deleting_the_user_removes_its_mfa_data(self):
        self.enrolled_otp()
        recovery.generate(self.uid)
        PROVIDERS.identity_api.delete_user(self.uid)
        self.assertEqual([], devices_core.list_for_user(self.uid))
        self.assertEqual(0, recovery.summary(self.uid)['remaining'])
