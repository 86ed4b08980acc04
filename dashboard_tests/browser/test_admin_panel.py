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
"""The Identity admin panel: policy, grace-period enrollment, attempts, users.

A member never sees it.
"""

from dashboard_tests.browser import base


class AdminPanelTest(base.BrowserTestCase):

    def system_admin(self):
        return self.keystone.adapter(self.keystone.session(
            system_scope='all'))

    def reset_policy(self):
        self.system_admin().put('/domains/default/mfa/policy', json={
            'policy': {'enforcement': 'optional', 'rules': [],
                       'grace_period_days': 0}})

    def delete_providers(self):
        admin = self.system_admin()
        path = '/domains/default/mfa/providers'
        for provider in admin.get(path).json()['providers']:
            admin.delete(f"{path}/{provider['id']}")

    def test_required_policy_sends_user_in_grace_to_enrollment(self):
        self.login('admin', self.keystone.admin_password)
        self.wait_url('/identity/')
        self.go('/identity/mfa_admin/')
        self.find('#mfa-policy')
        self.screenshot('admin-mfa-policy')
        self.addCleanup(self.reset_policy)
        self.driver.find_element(
            base.By.CSS_SELECTOR,
            '#id_enforcement option[value=required]').click()
        self.fill('#id_rules', '[["password", "totp"]]')
        self.fill('#id_grace_period_days', '7')
        self.click('#mfa-policy-form button[type=submit]')
        self.find('.alert-success')
        self.assertEqual('required', self.text('#mfa-policy-enforcement'))

        # A provider of the domain, created on the page.
        self.addCleanup(self.delete_providers)
        self.fill('#id_name', 'apps')
        self.fill('#id_settings', '{"issuer": "Example Cloud"}')
        self.click('#mfa-provider-form button[type=submit]')
        self.find('.alert-success')
        self.assertIn('Example Cloud', self.text('#mfa-providers'))
        self.screenshot('admin-mfa-policy-required')

        # A user of the domain, in the grace period, logs in: enrollment
        # comes first.
        user = self.new_user()
        self.logout()
        self.login(user['name'], user['password'])
        self.wait_url('/settings/mfa/')
        self.assertTrue(self.text('#mfa-grace'))
        self.screenshot('login-grace-enrollment')

        # The admin reads the attempts and the user's state.
        self.logout()
        self.login('admin', self.keystone.admin_password)
        self.wait_logged_in()
        self.go('/identity/mfa_admin/attempts/?status=success')
        self.find('#mfa-attempts-table')
        self.screenshot('admin-mfa-attempts')
        self.go('/identity/mfa_admin/user/?user_id=' + user['id'])
        self.find('#mfa-user-state')
        self.click('#mfa-user-unlock')
        self.find('.alert-success')
        self.screenshot('admin-mfa-user')

    def test_member_never_sees_the_admin_panel(self):
        user = self.new_user()
        self.login(user['name'], user['password'])
        self.wait_url('/identity/')
        self.assertEqual([], self.finds('a[href*="/identity/mfa_admin/"]'))
        self.go('/identity/mfa_admin/')
        self.find('body')
        # Horizon refuses the panel: none of its content is rendered.
        self.assertEqual([], self.finds('#mfa-admin'))
        self.assertEqual([], self.finds('#mfa-policy-form'))
        self.screenshot('member-no-admin-panel')
        # The member's own settings panel is there.
        self.go('/settings/mfa/')
        self.find('#mfa-state')
