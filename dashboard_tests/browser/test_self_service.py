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
"""A new user enrolls in the browser, turns MFA on, logs in with it."""

from urllib import parse

from dashboard_tests.browser import base


class SelfServiceTest(base.BrowserTestCase):

    def enroll(self, name='phone'):
        """Add a device; read its key from the rendered QR image."""
        self.go('/settings/mfa/')
        self.screenshot('settings-mfa-empty')
        self.fill('#id_name', name)
        self.click('#mfa-add-device button[type=submit]')
        qr = self.find('#mfa-qrcode')
        self.screenshot('settings-mfa-enroll')
        uris = base.decode_qr_png(qr.screenshot_as_png)
        self.assertEqual(1, len(uris), 'QR image not readable')
        self.assertTrue(uris[0].startswith('otpauth://totp/'), uris[0])
        secret = parse.parse_qs(parse.urlparse(uris[0]).query)['secret'][0]
        # The key shown as text is the one in the QR code.
        self.assertEqual(secret, self.text('#mfa-secret').replace(' ', ''))
        return base.Authenticator(uris[0])

    def test_enroll_turn_on_and_log_in_with_totp_and_recovery_code(self):
        user = self.new_user()
        self.login(user['name'], user['password'])
        self.wait_url('/identity/')

        phone = self.enroll()
        self.fill('#mfa-verify-form input[name=code]', phone.code())
        self.click('#mfa-verify-form button[type=submit]')
        self.find('#mfa-turn-on')
        self.assertIn('Yes', self.text('tr.mfa-device'))

        # A factor change once a device exists: keystone wants a fresh
        # second factor, the page asks for it and then goes on.
        self.click('#mfa-turn-on')
        self.wait_url('/settings/mfa/confirm/')
        self.screenshot('settings-mfa-confirm')
        self.fill('#id_password', user['password'])
        self.fill('#id_passcode', phone.code())
        self.click('#mfa-confirm-form button[type=submit]')
        # Switching MFA on revokes every earlier token: log in again, with
        # password + TOTP on Horizon's second step.
        self.find('#id_username')
        self.assertIn('second factor', self.text('#logout_reason'))
        self.screenshot('login-after-mfa-on')
        self.login(user['name'], user['password'])
        self.wait_url('/auth/totp/')
        self.screenshot('login-passcode')
        self.passcode(phone.code())
        self.wait_url('/identity/')
        self.go('/settings/mfa/')
        self.assertIn('On', self.text('#mfa-enabled'))
        self.assertIn('password + totp', self.text('#mfa-rules'))
        self.screenshot('settings-mfa-on')

        # Recovery codes, with the token of that two-factor login.
        self.click('#mfa-create-recovery')
        codes = self.text('#mfa-codes').split()
        self.assertEqual(10, len(codes))
        self.find('#mfa-copy-codes')
        self.find('#mfa-download-codes')
        self.screenshot('settings-mfa-recovery-codes')

        # Password + a recovery code on the same second step.
        self.logout()
        self.login(user['name'], user['password'])
        self.wait_url('/auth/totp/')
        self.passcode(codes[0])
        self.wait_url('/identity/')
        self.go('/settings/mfa/')
        self.assertEqual('9', self.text('#mfa-recovery-left'))

        # The user's own login attempts, paged.
        self.click('#mfa-attempts-link')
        self.find('#mfa-attempts-table')
        self.assertGreaterEqual(len(self.finds('tr.mfa-attempt')), 2)
        self.screenshot('settings-mfa-attempts')

    def test_wrong_verify_code_then_rename_and_delete(self):
        user = self.new_user()
        self.login(user['name'], user['password'])
        self.wait_url('/identity/')
        phone = self.enroll('tablet')
        self.fill('#mfa-verify-form input[name=code]', '000000'
                  if phone.code() != '000000' else '111111')
        self.click('#mfa-verify-form button[type=submit]')
        self.find('.alert-danger, .messages .alert')
        # Rename and delete the unverified device.
        self.fill('tr.mfa-device input[name=name]', 'old tablet')
        self.click('tr.mfa-device form:nth-of-type(2) button')
        self.find('#mfa-devices')
        self.assertEqual('old tablet', self.text('td.mfa-device-name'))
        self.click('tr.mfa-device .mfa-delete')
        self.find('#mfa-devices')
        self.assertEqual([], self.finds('tr.mfa-device'))
