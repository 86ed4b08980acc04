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
"""Views and forms of the settings panel, keystone mocked at api.py."""

from unittest import mock

from django.urls import reverse
from keystoneauth1 import exceptions as ks_exceptions

from openstack_dashboard.test import helpers

from keystone_mfa_dashboard import api
from keystone_mfa_dashboard.dashboards.mfa_settings import forms
from keystone_mfa_dashboard.dashboards.mfa_settings import views
from keystone_mfa_dashboard import reauth

INDEX = reverse('horizon:settings:mfa:index')
STATE = {'enabled': False, 'rules': [], 'locked': False,
         'locked_until': None, 'grace_until': None,
         'recovery_codes_remaining': 3, 'email_verified': False,
         'sndfa': False, 'otp_devices': 0, 'failed_attempts': 0}
URI = ('otpauth://totp/Keystone:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DP'
       '&issuer=Keystone')


def action(name):
    return reverse('horizon:settings:mfa:action', args=[name])


class IndexViewTest(helpers.TestCase):

    @mock.patch.object(api, 'get_sndfa', return_value={'sndfa': False})
    @mock.patch.object(api, 'list_devices', return_value=[
        {'id': 'd1', 'name': 'phone', 'verified': True,
         'created_at': '2026-12-04T10:00:00Z'}])
    @mock.patch.object(api, 'get_mfa', return_value=dict(STATE))
    def test_state_and_devices(self, *mocks):
        res = self.client.get(INDEX)
        self.assertTemplateUsed(res, 'settings/mfa/index.html')
        self.assertContains(res, 'phone')
        self.assertContains(res, 'id="mfa-turn-on"')
        self.assertContains(res, '3 recovery codes left')
        self.assertContains(res, 'csrfmiddlewaretoken')

    @mock.patch.object(api, 'get_sndfa', return_value={'sndfa': False})
    @mock.patch.object(api, 'list_devices', return_value=[])
    @mock.patch.object(api, 'get_mfa', return_value=dict(
        STATE, grace_until='2026-12-11T10:00:00.000000Z'))
    def test_grace_deadline_shown(self, *mocks):
        res = self.client.get(INDEX)
        self.assertContains(res, 'id="mfa-grace"')
        self.assertContains(res, '2026-12-11T10:00:00.000000Z')


class ActionViewTest(helpers.TestCase):

    @mock.patch.object(api, 'create_device', return_value={
        'id': 'd1', 'name': 'phone', 'key_uri': URI,
        'qrcode': 'data:image/png;base64,AAAA'})
    def test_create_device_shows_qr_and_key_once(self, create):
        res = self.client.post(action('create_device'), {'name': 'phone'})
        create.assert_called_once_with(mock.ANY, 'phone')
        self.assertTemplateUsed(res, 'settings/mfa/enroll.html')
        self.assertContains(res, 'data:image/png;base64,AAAA')
        self.assertContains(res, 'JBSW Y3DP EHPK 3PXP JBSW Y3DP')
        self.assertIn('no-store', res['Cache-Control'])
        # Nothing of the key stays in the session.
        self.assertNotIn('JBSWY3DP', str(dict(self.client.session)))

    @mock.patch.object(api, 'verify_device')
    def test_bad_code_is_refused_before_keystone(self, verify):
        res = self.client.post(action('verify_device'),
                               {'device_id': 'd1', 'code': 'abc'})
        self.assertRedirects(res, INDEX, fetch_redirect_response=False)
        verify.assert_not_called()

    @mock.patch.object(api, 'set_mfa', side_effect=api.FactorChangeRequired(
        'needs a token that used a second factor'))
    def test_factor_change_asks_for_the_code(self, set_mfa):
        res = self.client.post(action('switch_mfa'), {'enable': 'on'})
        self.assertRedirects(res, reverse('horizon:settings:mfa:confirm'),
                             fetch_redirect_response=False)
        self.assertEqual({'action': 'switch_mfa', 'data': {'enable': True}},
                         self.client.session[reauth.PENDING_KEY])

    @mock.patch.object(api, 'delete_device', side_effect=(
        ks_exceptions.NotFound(message='Could not find device')))
    def test_keystone_error_becomes_a_message(self, delete):
        res = self.client.post(action('delete_device'), {'device_id': 'd1'},
                               follow=False)
        self.assertRedirects(res, INDEX, fetch_redirect_response=False)

    def test_unknown_action(self):
        res = self.client.post(action('nope'), {})
        self.assertEqual(404, res.status_code)

    def test_get_not_allowed(self):
        self.assertEqual(405, self.client.get(
            action('create_device')).status_code)


class ConfirmViewTest(helpers.TestCase):

    def test_without_pending_action_goes_back(self):
        res = self.client.get(reverse('horizon:settings:mfa:confirm'))
        self.assertRedirects(res, INDEX, fetch_redirect_response=False)

    @mock.patch.object(api, 'create_recovery_codes',
                       return_value={'codes': ['abcd-efgh'] * 10})
    @mock.patch.object(reauth, 'pop_pending', return_value={
        'action': 'create_recovery_codes', 'data': {}})
    @mock.patch.object(reauth, 'login_again', return_value=None)
    def test_code_then_the_action_runs_again(self, login_again, pop,
                                             create):
        res = self.client.post(reverse('horizon:settings:mfa:confirm'),
                               {'password': 'secret', 'passcode': '123456'})
        login_again.assert_called_once_with(mock.ANY, 'secret', '123456')
        pop.assert_called_once_with(mock.ANY)
        self.assertTemplateUsed(res, 'settings/mfa/recovery_codes.html')
        self.assertContains(res, 'abcd-efgh')

    @mock.patch.object(reauth, 'pop_pending')
    @mock.patch.object(reauth, 'login_again',
                       return_value='The password or the code is wrong')
    def test_wrong_code_stays_on_the_page(self, login_again, pop):
        res = self.client.post(reverse('horizon:settings:mfa:confirm'),
                               {'password': 'x', 'passcode': '1'})
        self.assertTemplateUsed(res, 'settings/mfa/confirm.html')
        self.assertContains(res, 'The password or the code is wrong')
        pop.assert_not_called()


class FormsTest(helpers.TestCase):

    def test_verify_code_digits_only(self):
        self.assertTrue(forms.VerifyForm(
            {'device_id': 'ab-12', 'code': ' 123456 '}).is_valid())
        self.assertFalse(forms.VerifyForm(
            {'device_id': 'ab-12', 'code': '12345'}).is_valid())
        self.assertFalse(forms.VerifyForm(
            {'device_id': '../x', 'code': '123456'}).is_valid())

    def test_switch(self):
        form = forms.SwitchForm({'enable': 'on'})
        self.assertTrue(form.is_valid())
        self.assertIs(True, form.cleaned_data['enable'])
        self.assertFalse(forms.SwitchForm({'enable': 'maybe'}).is_valid())

    def test_device_secret_grouped(self):
        self.assertEqual('JBSW Y3DP EHPK 3PXP JBSW Y3DP',
                         views.device_secret(URI))


class ConfirmByEmailTest(helpers.TestCase):

    @mock.patch.object(reauth, 'has_pending', return_value=True)
    @mock.patch.object(reauth, 'mail_code',
                       return_value=('A code was mailed to a***@x.org.',
                                     True))
    def test_email_me_a_code(self, mail_code, pending):
        res = self.client.post(reverse('horizon:settings:mfa:confirm'),
                               {'password': 'secret', 'send_email': '1'})
        mail_code.assert_called_once_with(mock.ANY, 'secret')
        self.assertRedirects(res, reverse('horizon:settings:mfa:confirm'),
                             fetch_redirect_response=False)

    @mock.patch.object(reauth, 'mail_code')
    def test_email_needs_the_password(self, mail_code):
        res = self.client.post(reverse('horizon:settings:mfa:confirm'),
                               {'send_email': '1'})
        self.assertContains(res, 'Enter your password.')
        mail_code.assert_not_called()

    @mock.patch.object(api, 'rescope')
    @mock.patch.object(api, 'fresh_login')
    @mock.patch.object(api, 'sndfa_login', side_effect=(
        ks_exceptions.Unauthorized()))
    def test_mailed_code_goes_with_the_receipt(self, sndfa, fresh, rescope):
        request = mock.Mock(session={reauth.RECEIPT_KEY: 'rcpt'})
        error = reauth.login_again(request, '', '123456')
        self.assertIn('wrong', str(error))
        sndfa.assert_called_once_with(request, 'rcpt', '123456')
        fresh.assert_not_called()
        # A wrong code keeps the receipt for another try.
        self.assertEqual('rcpt', request.session[reauth.RECEIPT_KEY])

    @mock.patch.object(api, 'password_receipt',
                       return_value=('rcpt', [['password', 'totp']], 'u1'))
    def test_no_email_factor(self, receipt):
        request = mock.Mock(session={})
        message, sent = reauth.mail_code(request, 'secret')
        self.assertFalse(sent)
        self.assertNotIn(reauth.RECEIPT_KEY, request.session)


class AttemptsViewTest(helpers.TestCase):

    @mock.patch.object(api, 'list_attempts', return_value=(
        [{'id': 'a9', 'method': 'totp', 'status': 'success',
          'timestamp': '2026-12-04T10:00:00Z', 'client_ip': '192.0.2.7'}],
        'a9'))
    def test_own_attempts_paged(self, attempts):
        url = reverse('horizon:settings:mfa:attempts')
        res = self.client.get(url + '?marker=a1')
        self.assertContains(res, '192.0.2.7')
        self.assertContains(res, '?marker=a9')
        attempts.assert_called_once_with(
            mock.ANY, '/users/%s/mfa/attempts' % self.user.id, marker='a1')


class ApiTest(helpers.TestCase):

    def response(self, status, body, method='POST', headers=None):
        resp = mock.Mock(status_code=status, text=str(body))
        resp.json.return_value = body
        resp.request.method = method
        resp.headers = headers or {}
        return resp

    def test_factor_change_refusal_is_recognised(self):
        body = {'error': {'code': 403, 'title': 'Forbidden', 'message': (
            'Changing factors needs a token that used a second factor: '
            'authenticate again.')}}
        with self.assertRaises(api.FactorChangeRequired):
            api._check(self.response(403, body))
        with self.assertRaises(ks_exceptions.Forbidden):
            api._check(self.response(403, {'error': {
                'code': 403, 'message': 'policy', 'title': 'Forbidden'}}))

    def test_the_servers_header_wins_over_the_message(self):
        translated = {'error': {'code': 403, 'title': 'Forbidden',
                                'message': 'Ändern braucht einen zweiten '
                                           'Faktor.'}}
        with self.assertRaises(api.FactorChangeRequired):
            api._check(self.response(403, translated, headers={
                'Openstack-MFA-Required': 'second-factor'}))
        # A delegated token: logging in again in the page would not help.
        with self.assertRaises(ks_exceptions.Forbidden):
            api._check(self.response(403, translated, headers={
                'Openstack-MFA-Required': 'interactive-token'}))

    @mock.patch.object(api, 'call')
    def test_list_attempts_marker_only_with_a_next_page(self, call):
        call.return_value.json.return_value = {
            'attempts': [{'id': 'a1'}, {'id': 'a2'}],
            'links': {'next': 'http://k/v3/mfa/attempts?marker=a2'}}
        self.assertEqual(([{'id': 'a1'}, {'id': 'a2'}], 'a2'),
                         api.list_attempts(None, '/mfa/attempts',
                                           status='failure', user_id=''))
        call.assert_called_once_with(None, 'GET', '/mfa/attempts',
                                     token=None, params={
                                         'status': 'failure',
                                         'limit': api.PAGE_SIZE})
        call.return_value.json.return_value = {
            'attempts': [{'id': 'a3'}], 'links': {'next': None}}
        self.assertEqual(([{'id': 'a3'}], None),
                         api.list_attempts(None, '/mfa/attempts'))
