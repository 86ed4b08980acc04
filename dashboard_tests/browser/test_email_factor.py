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
"""The email factor end to end: verify the address, switch it on, log in."""

import secrets

from dashboard_tests.browser import base
from tests.functional import mail_helpers


class EmailFactorTest(base.BrowserTestCase):

    def confirm_on_keystone_page(self):
        """Press the button of keystone's page; wait for its answer."""
        self.click('button, input[type=submit]')
        base.wait.WebDriverWait(self.driver, base.WAIT).until(
            lambda d: 'confirmed' in d.title.lower())

    def user_with_verified_address(self):
        """A logged-in user who checked their address from the panel."""
        address = f'u{secrets.token_hex(4)}b@example.org'
        user = self.new_user(email=address)
        user['email'] = address
        self.login(user['name'], user['password'])
        self.wait_url('/identity/')
        self.go('/settings/mfa/')
        self.click('#mfa-check-email')
        self.find('.alert-success')
        mail = mail_helpers.last_mail(self.keystone, address)
        # The link opens keystone's confirm page; its button verifies.
        self.driver.get(mail_helpers.link_in(mail))
        self.confirm_on_keystone_page()
        self.go('/settings/mfa/')
        return user

    def test_verify_address_switch_on_and_log_in_with_mailed_code(self):
        user = self.user_with_verified_address()
        address = user['email']
        self.assertEqual('Yes', self.text('#mfa-email-verified'))
        self.screenshot('settings-mfa-email')

        # On: keystone now asks password + sndfa, every older token ends.
        self.click('#mfa-sndfa-on')
        self.find('#id_username')
        self.assertIn('second factor', self.text('#logout_reason'))

        self.login(user['name'], user['password'])
        self.wait_url('/auth/totp/')
        mail = mail_helpers.last_mail(self.keystone, address, count=2)
        self.screenshot('login-email-code')
        self.passcode(mail_helpers.code_in(mail))
        self.wait_url('/identity/')
        self.go('/settings/mfa/')
        self.assertEqual('On', self.text('#mfa-sndfa'))
        self.assertIn('password + sndfa', self.text('#mfa-rules'))

    def test_wrong_mailed_code_is_refused(self):
        user = self.user_with_verified_address()
        self.click('#mfa-sndfa-on')
        self.find('#id_username')
        self.login(user['name'], user['password'])
        self.wait_url('/auth/totp/')
        self.passcode('000000')
        self.find('.alert-danger, .error')
        self.assertIn('/auth/totp/', self.driver.current_url)
