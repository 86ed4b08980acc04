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
"""The login plugins (email-code step, grace redirect) and the admin panel."""

from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from keystoneauth1 import exceptions as ks_exceptions
from openstack_auth import exceptions as auth_exceptions

from openstack_dashboard.test import helpers

from keystone_mfa_dashboard import api
from keystone_mfa_dashboard.dashboards.mfa_admin import forms as admin_forms
from keystone_mfa_dashboard import login

AUTH_URL = 'http://keystone.example.org/v3'


def missing(rules, receipt='rcpt'):
    resp = mock.Mock(headers={'Openstack-Auth-Receipt': receipt})
    resp.json.return_value = {
        'receipt': {'methods': ['password'], 'user': {'id': 'u1'},
                    'expires_at': '2026-12-04T10:00:00.000000Z'},
        'required_auth_methods': rules}
    return ks_exceptions.MissingAuthMethods(resp)


class SndfaLoginTest(helpers.TestCase):

    def test_which_rules_are_ours(self):
        self.assertTrue(login._wants_sndfa([['password', 'sndfa']]))
        self.assertFalse(login._wants_sndfa([['password', 'totp']]))
        # Horizon's TOTP step goes first when both are possible.
        self.assertFalse(login._wants_sndfa([['password', 'sndfa'],
                                             ['password', 'totp']]))
        self.assertFalse(login._wants_sndfa(None))

    @mock.patch.object(login, 'send_code', return_value={
        'code_sent': True, 'email': 'a***@example.org'})
    def test_password_step_mails_the_code_and_asks_for_it(self, send):
        auth = mock.Mock(auth_url=AUTH_URL)
        auth.get_access.side_effect = missing([['password', 'sndfa']])
        plugin = login.SndfaPasswordPlugin()
        with self.assertRaises(auth_exceptions.KeystoneTOTPRequired) as ctx:
            plugin.get_access_info(auth, session=mock.Mock())
        self.assertEqual('rcpt', ctx.exception.receipt)
        send.assert_called_once_with(AUTH_URL, 'u1', 'rcpt', mock.ANY)
        # Only one login request: a wrong password is never sent twice.
        auth.get_access.assert_called_once()
        # The passcode page then uses sndfa for this receipt.
        method = login.SndfaReceiptPlugin().get_plugin(
            auth_url=AUTH_URL, username='alice', passcode=' 123456 ',
            receipt='rcpt')
        self.assertEqual(['SndfaMethod', 'ReceiptMethod'],
                         [type(m).__name__ for m in method.auth_methods])
        self.assertEqual({'user': {'id': 'u1'}, 'code': '123456'},
                         method.auth_methods[0].get_auth_data(
                             None, None, {})[1])

    @mock.patch.object(login, 'send_code')
    def test_totp_users_keep_horizons_step(self, send):
        auth = mock.Mock(auth_url=AUTH_URL)
        auth.get_access.side_effect = missing([['password', 'totp']],
                                              receipt='other')
        with self.assertRaises(auth_exceptions.KeystoneTOTPRequired):
            login.SndfaPasswordPlugin().get_access_info(
                auth, session=mock.Mock())
        send.assert_not_called()
        self.assertIsNone(login.SndfaReceiptPlugin().get_plugin(
            auth_url=AUTH_URL, passcode='123456', receipt='other'))

    def test_wrong_password_is_horizons_error(self):
        auth = mock.Mock(auth_url=AUTH_URL)
        auth.get_access.side_effect = ks_exceptions.Unauthorized()
        with self.assertRaises(auth_exceptions.KeystoneCredentialsException):
            login.SndfaPasswordPlugin().get_access_info(
                auth, session=mock.Mock())
        auth.get_access.assert_called_once()

    def tearDown(self):
        cache.clear()
        super().tearDown()


class UserHomeTest(helpers.TestCase):

    @mock.patch.object(api, 'get_mfa', return_value={
        'enabled': False, 'grace_until': '2026-12-11T00:00:00Z'})
    def test_grace_period_goes_to_enrollment(self, get_mfa):
        self.assertEqual(reverse('horizon:settings:mfa:index'),
                         login.user_home(self.user))

    @mock.patch('openstack_dashboard.views.get_user_home',
                return_value='/project/')
    @mock.patch.object(api, 'get_mfa', return_value={
        'enabled': True, 'grace_until': None})
    def test_others_go_home(self, get_mfa, home):
        self.assertEqual('/project/', login.user_home(self.user))

    @mock.patch('openstack_dashboard.views.get_user_home',
                return_value='/project/')
    @mock.patch.object(api, 'get_mfa', side_effect=RuntimeError)
    def test_keystone_down_never_blocks_login(self, get_mfa, home):
        self.assertEqual('/project/', login.user_home(self.user))


class AdminPanelTest(helpers.BaseAdminViewTests):

    def test_policy_form(self):
        form = admin_forms.PolicyForm({
            'domain_id': 'default', 'enforcement': 'required',
            'rules': '[["password", "totp"]]', 'grace_period_days': 7})
        self.assertTrue(form.is_valid())
        self.assertEqual([['password', 'totp']], form.cleaned_data['rules'])
        for rules in ('[]x', '{"a": 1}', '[[]]', '[[1]]'):
            self.assertFalse(admin_forms.PolicyForm({
                'domain_id': 'default', 'enforcement': 'required',
                'rules': rules, 'grace_period_days': 7}).is_valid(), rules)

    def test_provider_settings_must_be_an_object(self):
        base = {'name': 'p', 'provider_name': 'sndfa', 'enabled': 'on'}
        self.assertTrue(admin_forms.ProviderForm(dict(
            base, settings='{"smtp": {"password": "x"}}')).is_valid())
        self.assertFalse(admin_forms.ProviderForm(dict(
            base, settings='[1]')).is_valid())

    @mock.patch.object(api, 'admin_call')
    def test_index_shows_policy_and_providers(self, call):
        call.return_value.json.side_effect = [
            {'policy': {'enforcement': 'required',
                        'rules': [['password', 'totp']],
                        'grace_period_days': 7, 'enrolled': 2,
                        'not_enrolled': 5}},
            {'providers': [{'id': 'p1', 'name': 'mail',
                            'provider_name': 'sndfa', 'enabled': True,
                            'settings': {'code_ttl': 300}}]},
            {'providers': [{'id': 'p2', 'name': 'apps',
                            'provider_name': 'totp', 'enabled': False,
                            'settings': {'issuer': 'Example'}}]}]
        res = self.client.get(reverse('horizon:identity:mfa_admin:index')
                              + '?domain_id=d1')
        self.assertContains(res, 'id="mfa-policy-enforcement">required')
        self.assertContains(res, 'id="mfa-policy-not-enrolled">5')
        self.assertContains(res, 'mail')
        self.assertContains(res, 'id="mfa-system-providers"')
        self.assertContains(res, 'Example')
        paths = [c.args[2] for c in call.call_args_list]
        self.assertEqual(['/domains/d1/mfa/policy',
                          '/domains/d1/mfa/providers', '/mfa/providers'],
                         paths)

    @mock.patch.object(api, 'admin_call')
    def test_policy_saved(self, call):
        res = self.client.post(reverse('horizon:identity:mfa_admin:policy'), {
            'domain_id': 'd1', 'enforcement': 'required',
            'rules': '[["password", "totp"]]', 'grace_period_days': '3'})
        self.assertEqual(302, res.status_code)
        call.assert_called_once_with(
            mock.ANY, 'PUT', '/domains/d1/mfa/policy', json={'policy': {
                'enforcement': 'required', 'rules': [['password', 'totp']],
                'grace_period_days': 3}})

    @mock.patch.object(api, 'list_attempts', return_value=(
        [{'id': 'a1', 'user_id': 'u1', 'method': 'totp',
          'status': 'failure', 'timestamp': 't', 'message': 'm',
          'client_ip': '192.0.2.1'}], 'a1'))
    @mock.patch.object(api, 'admin_token', return_value='tok')
    def test_attempts_filtered_and_paged(self, token, attempts):
        res = self.client.get(reverse('horizon:identity:mfa_admin:attempts')
                              + '?status=failure&user_id=u1')
        self.assertContains(res, '192.0.2.1')
        self.assertContains(res, 'marker=a1')
        attempts.assert_called_once_with(
            mock.ANY, '/mfa/attempts', marker=None, token='tok',
            status='failure', user_id='u1')

    @mock.patch.object(api, 'admin_call')
    def test_unlock_and_reset(self, call):
        url = reverse('horizon:identity:mfa_admin:user')
        self.client.post(url, {'user_id': 'u1', 'action': 'unlock'})
        self.client.post(url, {'user_id': 'u1', 'action': 'reset'})
        self.assertEqual(
            [mock.call(mock.ANY, 'PATCH', '/users/u1/mfa',
                       json={'mfa': {'unlock': True}}),
             mock.call(mock.ANY, 'DELETE', '/users/u1/mfa')],
            call.call_args_list)

    @mock.patch.object(api, 'admin_call')
    def test_ids_from_the_query_never_leave_the_path(self, call):
        call.return_value.json.side_effect = [
            {'policy': {'enforcement': 'optional', 'rules': []}},
            {'providers': []}, {'providers': []}]
        self.client.get(reverse('horizon:identity:mfa_admin:index')
                        + '?domain_id=../../users')
        self.assertNotIn('..', call.call_args_list[0].args[2])

    @mock.patch.object(api, 'admin_call')
    def test_provider_update_keeps_secrets_write_only(self, call):
        url = reverse('horizon:identity:mfa_admin:provider_update')
        self.client.post(url, {'domain_id': 'd1', 'provider_id': 'p1',
                               'enabled': 'on', 'settings': ''})
        self.client.post(url, {'domain_id': '', 'provider_id': 'p2',
                               'settings': '{"smtp": {"password": "s"}}'})
        self.assertEqual(
            [mock.call(mock.ANY, 'PATCH', '/domains/d1/mfa/providers/p1',
                       json={'provider': {'enabled': True}}),
             mock.call(mock.ANY, 'PATCH', '/mfa/providers/p2',
                       json={'provider': {'enabled': False, 'settings': {
                           'smtp': {'password': 's'}}}})],
            call.call_args_list)
