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
"""Who may change factors, and what switching MFA on ends.

Factor changes need the user's own, non-delegated token, and a recent
second factor once the user has one; switching MFA on revokes earlier
tokens and delegations; a required domain bounds its users' rules, also
through keystone's own user API; a grace period ends on any request.
"""

import http.client
import uuid

from keystone.common import provider_api
from keystone.tests import unit
import pyotp

from tests.unit.api import test_otp_devices

PROVIDERS = provider_api.ProviderAPIs
OK, CREATED, NO_CONTENT = 200, 201, 204
BAD, UNAUTHORIZED, FORBIDDEN, NOT_FOUND = 400, 401, 403, 404


class _FactorTestCase(test_otp_devices._DeviceTestCase):

    def setUp(self):
        super().setUp()
        self.admin = self.token(self.system_admin, system=True)
        self.step = 0

    def enroll(self):
        """A verified device of the target; returns its TOTP."""
        dev = self.create().result['otp_device']
        phone = self.otp_of(dev)
        self.verify(dev, phone.at(self.ts))
        self.phone = phone
        return phone

    def fresh_token(self, **scope):
        """Password and a code of a step not used yet, in one request."""
        self.step += 30
        self.set_clock(self.step)
        return self.two_factor_token(self.target, self.phone.at(self.ts),
                                     **scope)

    def project_token(self):
        return self.token(self.target, project_id=self.target_project['id'])

    def assertKeystoneOptionsEndSingleFactorAccess(self, options):
        """keystone's own PATCH /v3/users/{id} with these MFA options."""
        earlier = self.project_token()
        self.post(f'/users/{self.uid}/application_credentials',
                  body={'application_credential': {'name': 'ci'}},
                  token=earlier)
        self.get(f'/users/{self.uid}/mfa', token=earlier)   # cached now
        self.patch(f'/users/{self.uid}',
                   body={'user': {'options': options}}, token=self.admin)
        self.assertEqual([], PROVIDERS.application_credential_api
                         .list_application_credentials(self.uid))
        self.get(f'/users/{self.uid}/mfa', token=earlier,
                 expected_status=UNAUTHORIZED)

    def assertRefused(self, response, words):
        """keystone's 403 with `words`, and the header saying what is needed.

        The header lets programs act without reading the (translatable)
        message: an interactive token, or one that used a second factor.
        """
        error = response.result['error']
        self.assertEqual(FORBIDDEN, error['code'])
        self.assertIn(words, error['message'])
        self.assertEqual(
            'interactive-token' if 'delegated' in words else 'second-factor',
            response.headers['Openstack-MFA-Required'])


class DelegatedTokensTestCase(_FactorTestCase):

    def app_cred_token(self):
        cred = self.post(
            f'/users/{self.uid}/application_credentials',
            body={'application_credential': {'name': uuid.uuid4().hex}},
            token=self.project_token()).result['application_credential']
        return self.get_requested_token({'auth': {'identity': {
            'methods': ['application_credential'],
            'application_credential': {'id': cred['id'],
                                       'secret': cred['secret']}}}})

    def test_an_application_credential_adds_no_factor(self):
        token = self.app_cred_token()
        r = self.post(f'{self.path}', body={'otp_device': {'name': 'x'}},
                      token=token, expected_status=FORBIDDEN)
        self.assertRefused(r, 'delegated')
        self.post(f'/users/{self.uid}/recovery_codes', token=token,
                  expected_status=FORBIDDEN)
        self.patch(f'/users/{self.uid}/mfa',
                   body={'mfa': {'enabled': True}}, token=token,
                   expected_status=FORBIDDEN)

    def test_a_trustee_changes_no_factor_of_the_trustor(self):
        trust = self.post('/OS-TRUST/trusts', body={'trust': {
            'trustor_user_id': self.uid,
            'trustee_user_id': self.other_member['id'],
            'project_id': self.target_project['id'],
            'impersonation': True,
            'roles': [{'name': 'member'}]}},
            token=self.project_token()).result['trust']
        token = self.get_requested_token(self.build_authentication_request(
            user_id=self.other_member['id'],
            password=self.other_member['password'], trust_id=trust['id']))
        r = self.post(f'/users/{self.uid}/recovery_codes', token=token,
                      expected_status=FORBIDDEN)
        self.assertRefused(r, 'delegated')


class SudoWindowTestCase(_FactorTestCase):

    def test_the_first_factor_needs_only_the_password(self):
        self.enroll()   # create and verify with a password-only token

    def test_with_a_factor_the_password_alone_changes_nothing(self):
        self.enroll()
        password_only = self.owner_token
        r = self.post(f'/users/{self.uid}/recovery_codes',
                      token=password_only, expected_status=FORBIDDEN)
        self.assertRefused(r, 'second factor')
        [dev] = self.get(self.path, token=self.admin).result["otp_devices"]
        self.delete(f'{self.path}/{dev["id"]}', token=password_only,
                    expected_status=FORBIDDEN)
        self.post(f'/users/{self.uid}/recovery_codes',
                  token=self.fresh_token(), expected_status=CREATED)

    def test_a_two_factor_token_ages_out_of_the_window(self):
        self.enroll()
        token = self.fresh_token()
        self.set_clock(self.step + 600)
        self.post(f'/users/{self.uid}/recovery_codes', token=token,
                  expected_status=CREATED)
        self.set_clock(self.step + 1000)
        r = self.post(f'/users/{self.uid}/recovery_codes', token=token,
                      expected_status=FORBIDDEN)
        self.assertRefused(r, 'within the last 900 seconds')

    def test_zero_turns_the_age_check_off(self):
        self.config_fixture.config(group='mfa',
                                   factor_change_max_token_age=0)
        self.enroll()
        token = self.fresh_token()
        self.set_clock(self.step + 1000)
        self.post(f'/users/{self.uid}/recovery_codes', token=token,
                  expected_status=CREATED)

    def test_keystone_totp_credentials_are_factors_too(self):
        body = {'credential': {'type': 'totp', 'user_id': self.uid,
                               'blob': 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'}}
        # No factor yet: keystone's API adds the first one as before.
        first = self.post('/credentials', body=body,
                          token=self.owner_token).result['credential']
        r = self.post('/credentials', body=body, token=self.owner_token,
                      expected_status=FORBIDDEN)
        self.assertRefused(r, 'second factor')
        self.delete(f'/credentials/{first["id"]}', token=self.owner_token,
                    expected_status=FORBIDDEN)
        # The credential's own code is the second factor that may.
        self.phone = pyotp.TOTP(body['credential']['blob'])
        self.delete(f'/credentials/{first["id"]}',
                    token=self.fresh_token())

    def test_an_admin_is_judged_by_the_admins_own_factors(self):
        self.enroll()
        # The admin has no factor: a password token resets the user.
        self.delete(f'/users/{self.uid}/mfa', token=self.admin,
                    expected_status=NO_CONTENT)


class MFAStartsTestCase(_FactorTestCase):

    def test_switching_mfa_on_ends_earlier_tokens_and_delegations(self):
        project_token = self.project_token()
        self.post(f'/users/{self.uid}/application_credentials',
                  body={'application_credential': {'name': 'ci'}},
                  token=project_token)
        self.post(f'/users/{self.uid}/credentials/OS-EC2',
                  body={'tenant_id': self.target_project['id']},
                  token=project_token)
        self.post('/OS-TRUST/trusts', body={'trust': {
            'trustor_user_id': self.uid,
            'trustee_user_id': self.other_member['id'],
            'project_id': self.target_project['id'],
            'impersonation': False, 'roles': [{'name': 'member'}]}},
            token=project_token)
        self.enroll()
        self.patch(f'/users/{self.uid}/mfa', body={'mfa': {'enabled': True}},
                   token=self.fresh_token())
        self.assertEqual([], PROVIDERS.application_credential_api
                         .list_application_credentials(self.uid))
        self.assertEqual([], PROVIDERS.credential_api
                         .list_credentials_for_user(self.uid, type='ec2'))
        self.assertEqual([], PROVIDERS.trust_api.list_trusts_for_trustor(
            self.uid))
        admin = self.token(self.system_admin, system=True)
        self.get('/auth/tokens', headers={'X-Subject-Token': project_token},
                 token=admin, expected_status=NOT_FOUND)

    def test_no_process_keeps_a_revoked_token_in_its_cache(self):
        earlier = self.owner_token
        self.get(f'/users/{self.uid}/mfa', token=earlier)   # cached now
        self.enroll()
        self.patch(f'/users/{self.uid}/mfa', body={'mfa': {'enabled': True}},
                   token=self.fresh_token())
        self.get(f'/users/{self.uid}/mfa', token=earlier,
                 expected_status=UNAUTHORIZED)

    def test_keystones_own_user_api_switching_mfa_on_ends_them_too(self):
        self.assertKeystoneOptionsEndSingleFactorAccess({
            'multi_factor_auth_enabled': True,
            'multi_factor_auth_rules': [['password', 'totp']]})


class KeystoneSemanticsTestCase(_FactorTestCase):
    """What counts is what keystone itself enforces and stores."""

    def test_rules_without_the_enabled_option_are_mfa_on(self):
        # keystone treats a missing multi_factor_auth_enabled as on
        # (`openstack user set --multi-factor-auth-rule` sends only rules).
        self.assertKeystoneOptionsEndSingleFactorAccess({
            'multi_factor_auth_rules': [['password', 'totp']]})

    def test_only_the_exact_credential_type_totp_is_a_factor(self):
        # MariaDB compares types case-insensitively: `TOTP` must not
        # become a factor that nothing guarded.
        secret = pyotp.random_base32(32)
        for kind in ('TOTP', 'totp '):
            ref = unit.new_credential_ref(self.uid, type=kind)
            ref['blob'] = secret
            PROVIDERS.credential_api.create_credential(ref['id'], ref)
        self.phone = pyotp.TOTP(secret)
        self.step += 30
        self.set_clock(self.step)
        auth = self.build_authentication_request(
            user_id=self.uid, password=self.target['password'],
            passcode=self.phone.at(self.ts))
        auth['auth']['identity']['methods'] = ['password', 'totp']
        self.v3_create_token(auth, expected_status=UNAUTHORIZED)
        self.post(f'/users/{self.uid}/recovery_codes',
                  token=self.owner_token, expected_status=CREATED)


class RequiredDomainTestCase(_FactorTestCase):

    def put_policy(self, **policy):
        self.put(f'/domains/{self.domain["id"]}/mfa/policy',
                 body={'policy': policy}, token=self.admin,
                 expected_status=OK)

    def patch_options(self, user, options, expected_status):
        return self.patch(f'/users/{user["id"]}',
                          body={'user': {'options': options}},
                          token=self.token(self.system_admin, system=True),
                          expected_status=expected_status)

    def test_keystones_user_api_cannot_widen_the_policy(self):
        self.put_policy(enforcement='required', rules=[['password', 'totp']])
        member = self.other_member
        r = self.patch_options(member, {
            'multi_factor_auth_rules': [['password', 'totp'],
                                        ['password', 'sndfa']]}, BAD)
        self.assertIn('required', r.result['error']['message'])
        self.patch_options(member, {'multi_factor_auth_enabled': False}, BAD)
        self.patch_options(member, {
            'multi_factor_auth_rules': [['totp', 'password']]}, OK)

    def test_a_grace_period_ends_on_any_request(self):
        self.put_policy(enforcement='required', rules=[['password', 'totp']],
                        grace_period_days=7)
        self.set_clock(7 * 86400 - 1800)
        token = self.token(self.other_member,
                           project_id=self.target_project['id'])
        self.post(f'/users/{self.other_member["id"]}'
                  '/application_credentials',
                  body={'application_credential': {'name': 'ci'}},
                  token=token)
        self.set_clock(7 * 86400 + 1)
        # Not a login of that user: any request ends the grace period,
        # and the one that came in on the user's token is refused.
        self.get(f'/users/{self.other_member["id"]}/mfa', token=token,
                 expected_status=UNAUTHORIZED)
        self.assertEqual([], PROVIDERS.application_credential_api
                         .list_application_credentials(
                             self.other_member['id']))
        options = PROVIDERS.identity_api.get_user(
            self.other_member['id'])['options']
        self.assertEqual([['password', 'totp']],
                         options['multi_factor_auth_rules'])
        self.assertEqual(http.client.UNAUTHORIZED, self.issue(
            self.password_auth(self.other_member['id'],
                               self.other_member['password']),
            expected_status=UNAUTHORIZED).status_code)
