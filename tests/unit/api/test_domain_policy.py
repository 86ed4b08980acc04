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
"""Domain MFA enforcement: rules on existing and new users, grace periods."""

import http.client
import uuid

from keystone.common import provider_api
from keystone.tests import unit

from keystone_mfa_ext.enforcement import core as enforcement
from tests.unit.api import test_otp_devices
from tests.unit.api import test_spassword

PROVIDERS = provider_api.ProviderAPIs
OK, BAD, FORBIDDEN, NOT_FOUND = 200, 400, 403, 404
UNAUTHORIZED = http.client.UNAUTHORIZED
RECEIPT = 'Openstack-Auth-Receipt'


class DomainPolicyTestCase(test_otp_devices._DeviceTestCase):

    def setUp(self):
        super().setUp()
        self.admin = self.token(self.system_admin, system=True)
        self.policy_path = f'/domains/{self.domain["id"]}/mfa/policy'

    def put_policy(self, expected_status=OK, token=None, **policy):
        return self.put(self.policy_path, body={'policy': policy},
                        token=token or self.admin,
                        expected_status=expected_status)

    def password_login(self, user, expected_status=http.client.CREATED):
        return self.issue(self.password_auth(user['id'], user['password']),
                          expected_status=expected_status)

    def enroll_target(self):
        dev = self.create().result['otp_device']
        self.verify(dev, self.otp_of(dev).at(self.ts))

    def test_default_is_optional_with_counts(self):
        r = self.get(self.policy_path, token=self.admin).result['policy']
        self.assertEqual('optional', r['enforcement'])
        self.assertEqual(0, r['enrolled'])
        self.assertGreater(r['not_enrolled'], 0)

    def test_required_without_grace_applies_to_everyone_now(self):
        self.enroll_target()
        r = self.put_policy(enforcement='required',
                            rules=[['password', 'totp']]).result['policy']
        self.assertEqual(1, r['enrolled'])
        for user in (self.target, self.other_member):
            resp = self.password_login(user, expected_status=UNAUTHORIZED)
            self.assertIn(RECEIPT, resp.headers)
        # another domain is untouched
        self.password_login(self.other_domain_admin)

    def test_grace_period_lets_unenrolled_users_enroll_then_enforces(self):
        self.put_policy(enforcement='required', rules=[['password', 'totp']],
                        grace_period_days=7)
        # During grace: a password still works, enrollment ends the grace.
        self.password_login(self.target)
        self.enroll_target()
        self.password_login(self.target, expected_status=UNAUTHORIZED)
        # Nobody keeps single-factor access after the grace period.
        self.password_login(self.other_member)
        # A token from the grace period is revoked as it ends (checked
        # with an admin token issued now: the first one expired meanwhile).
        self.set_clock(7 * 86400 - 1800)
        token = self.token(self.other_member,
                           project_id=self.target_project['id'])
        self.set_clock(7 * 86400 + 1)
        admin = self.token(self.system_admin, system=True)
        self.password_login(self.other_member, expected_status=UNAUTHORIZED)
        self.get('/auth/tokens', headers={'X-Subject-Token': token},
                 token=admin, expected_status=NOT_FOUND)

    def test_users_created_later_are_covered(self):
        self.put_policy(enforcement='required', rules=[['password', 'totp']])
        user = unit.create_user(PROVIDERS.identity_api,
                                domain_id=self.domain['id'])
        self.password_login(user, expected_status=UNAUTHORIZED)

    def test_optional_forces_nothing(self):
        self.put_policy(enforcement='required', rules=[['password', 'totp']],
                        grace_period_days=3)
        self.put_policy(enforcement='optional')
        self.set_clock(4 * 86400)
        self.password_login(self.other_member)

    def test_back_to_optional_releases_users_without_a_factor(self):
        self.enroll_target()
        self.put_policy(enforcement='required', rules=[['password', 'totp']])
        self.password_login(self.other_member, expected_status=UNAUTHORIZED)
        self.put_policy(enforcement='optional')
        # Forced without a factor: released. Enrolled: MFA stays on.
        self.password_login(self.other_member)
        self.password_login(self.target, expected_status=UNAUTHORIZED)
        options = PROVIDERS.identity_api.get_user(
            self.other_member['id'])['options']
        self.assertFalse(options.get('multi_factor_auth_enabled'))

    def test_back_to_optional_keeps_rules_a_user_chose(self):
        # An admin gave this user other rules: not the policy's doing.
        PROVIDERS.identity_api.update_user(self.other_member['id'], {
            'options': {'multi_factor_auth_enabled': True,
                        'multi_factor_auth_rules': [['password', 'sndfa']]}})
        self.put_policy(enforcement='required', rules=[['password', 'totp']],
                        grace_period_days=3)
        self.put_policy(enforcement='optional')
        options = PROVIDERS.identity_api.get_user(
            self.other_member['id'])['options']
        self.assertTrue(options['multi_factor_auth_enabled'])

    def test_rules_of_an_optional_policy_are_checked_too(self):
        for rules in ([['password', 'sms']], [['password']]):
            self.put_policy(enforcement='optional', rules=rules,
                            expected_status=BAD)
        r = self.put_policy(enforcement='optional',
                            rules=[['password', 'totp']]).result['policy']
        self.assertEqual([['password', 'totp']], r['rules'])
        self.password_login(self.other_member)

    def test_bad_input(self):
        for policy in ({'enforcement': 'always'}, {},
                       {'enforcement': 'required', 'rules': []},
                       {'enforcement': 'required', 'rules': [['password',
                                                              'sms']]},
                       {'enforcement': 'required', 'rules': 'password'},
                       {'enforcement': 'required', 'grace_period_days': -1},
                       {'enforcement': 'optional', 'extra': 1}):
            self.put_policy(expected_status=BAD, **policy)
        self.put(f'/domains/{uuid.uuid4().hex}/mfa/policy',
                 body={'policy': {'enforcement': 'optional'}},
                 token=self.admin, expected_status=NOT_FOUND)

    def test_personas(self):
        tokens = dict(self.persona_tokens(), **self.reader_tokens())
        allowed = {'system_admin', 'domain_admin'}
        for name, token in tokens.items():
            self.get(self.policy_path, token=token,
                     expected_status=OK if name in allowed else FORBIDDEN)
            self.put_policy(token=token, enforcement='optional',
                            expected_status=OK if name in allowed
                            else FORBIDDEN)

    def test_one_method_rules_are_refused(self):
        for rules in ([['password']], [['totp']], [['password', 'password']],
                      [['password', 'token']]):
            self.put_policy(enforcement='required', rules=rules,
                            expected_status=BAD)

    def test_owner_cannot_disable_and_reset_starts_over(self):
        self.enroll_target()
        self.put_policy(enforcement='required', rules=[['password', 'totp']])
        self.patch(f'/users/{self.uid}/mfa', token=self.admin,
                   body={'mfa': {'enabled': False}}, expected_status=FORBIDDEN)
        self.delete(f'/users/{self.uid}/mfa', token=self.admin)
        # grace 0: the rules are back at once, password alone gets a receipt
        self.password_login(self.target, expected_status=UNAUTHORIZED)

    def test_a_password_only_token_cannot_add_factors_once_mfa_is_on(self):
        self.enroll_target()
        # MFA on, written straight into keystone's options (a precondition
        # that revokes no token): the owner's password-only token is still
        # valid, and refused anyway.
        PROVIDERS.identity_api.update_user(self.uid, {'options': {
            'multi_factor_auth_enabled': True,
            'multi_factor_auth_rules': [['password', 'totp']]}})
        r = self.post(f'/users/{self.uid}/recovery_codes',
                      token=self.owner_token, expected_status=FORBIDDEN)
        self.assertIn('second factor', r.result['error']['message'])
        r = self.post(f'/users/{self.uid}/otp_devices',
                      token=self.owner_token,
                      body={'otp_device': {'name': 'attacker'}},
                      expected_status=FORBIDDEN)
        self.assertIn('second factor', r.result['error']['message'])
        # An admin is judged by its own factors (none here).
        self.post(f'/users/{self.uid}/recovery_codes', token=self.admin)


class PolicyAndOtherFactorsTestCase(test_spassword._EmailTestCase):
    """A required policy meets users whose factor it does not name."""

    def setUp(self):
        super().setUp()
        self.admin = self.token(self.system_admin, system=True)
        self.policy_path = f'/domains/{self.domain["id"]}/mfa/policy'
        self.enable_sndfa()      # the target's only factor: sndfa

    def put_policy(self, **policy):
        return self.put(self.policy_path, body={'policy': policy},
                        token=self.admin, expected_status=OK).result['policy']

    def rules(self):
        options = PROVIDERS.identity_api.get_user(self.uid)['options']
        return (options.get('multi_factor_auth_enabled'),
                options.get('multi_factor_auth_rules'))

    def test_a_factor_the_rules_do_not_name_is_no_enrollment(self):
        before = self.rules()
        self.assertEqual((True, [['password', 'sndfa']]), before)
        r = self.put_policy(enforcement='required',
                            rules=[['password', 'totp']],
                            grace_period_days=14)
        self.assertEqual(0, r['enrolled'])
        # Not locked out: a grace period to enroll a device, own rules kept.
        self.assertEqual(before, self.rules())
        self.assertIsNotNone(enforcement.grace_until(self.uid))
        r = self.put_policy(enforcement='required',
                            rules=[['password', 'totp'],
                                   ['password', 'sndfa']])
        self.assertEqual(1, r['enrolled'])

    def test_back_to_optional_gives_back_the_users_own_rules(self):
        self.put_policy(enforcement='required', rules=[['password', 'totp']])
        self.assertEqual((True, [['password', 'totp']]), self.rules())
        self.put_policy(enforcement='optional')
        self.assertEqual((True, [['password', 'sndfa']]), self.rules())
