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
"""Asking for the mailed code: after the server mailed it, never before."""

import argparse
import io
from unittest import mock

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity.v3 import multi_factor
from osc_lib import exceptions
import testtools

from keystone_mfa_ext.client import auth
from keystone_mfa_ext.client.osc import plugin
from keystone_mfa_ext.client.osc import terminal

AUTH_URL = 'http://keystone.example/v3'
CHALLENGE = {'code_sent': True, 'expires_at': '2026-12-04T20:40:00Z',
             'email': 'u***@example.org'}
TOKEN = {'token': {'methods': ['password', 'sndfa'], 'user': {'id': 'u1'},
                   'expires_at': '2026-12-04T21:30:00Z'}}


class Response:

    def __init__(self, body, headers=None):
        self.body, self.headers = body, headers or {}

    def json(self):
        return self.body


class Keystone:
    """A session whose POST /auth/tokens acts as keystone's sndfa does."""

    def __init__(self, password='pw'):
        self.password = password
        self.bodies = []

    def post(self, url, json=None, **kwargs):
        self.bodies.append(json)
        identity = json['auth']['identity']
        if identity['password']['user']['password'] != self.password:
            raise ks_exceptions.Unauthorized(response=Response({'error': {
                'code': 401, 'message': 'The request you have made '
                                        'requires authentication.'}}))
        if 'code' not in identity['sndfa']:
            raise ks_exceptions.Unauthorized(response=Response({'error': {
                'code': 401, 'identity': {'methods': ['sndfa'],
                                          'sndfa': CHALLENGE}}}))
        return Response(TOKEN, {'X-Subject-Token': 'tok'})


def password_and_sndfa(password='pw', code=None):
    return multi_factor.MultiFactor(
        AUTH_URL, auth_methods=['v3password', 'v3sndfa'], user_id='u1',
        password=password, sndfa_code=code)


class CodePromptTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.prompt = mock.Mock(return_value='246810')
        auth.set_code_prompt(self.prompt)
        self.addCleanup(auth.set_code_prompt, None)

    def codes_sent(self, keystone):
        return [body['auth']['identity']['sndfa'].get('code')
                for body in keystone.bodies]

    def test_the_code_is_asked_for_after_the_server_mailed_it(self):
        keystone = Keystone()
        ref = password_and_sndfa().get_auth_ref(keystone)
        self.assertEqual('tok', ref.auth_token)
        self.prompt.assert_called_once_with(CHALLENGE)
        # The same request twice: without the code (mails it), with it.
        self.assertEqual([None, '246810'], self.codes_sent(keystone))

    def test_a_given_code_is_used_without_asking(self):
        keystone = Keystone()
        password_and_sndfa(code='135790').get_auth_ref(keystone)
        self.prompt.assert_not_called()
        self.assertEqual(['135790'], self.codes_sent(keystone))

    def test_a_refusal_without_a_challenge_is_raised_as_it_is(self):
        keystone = Keystone()
        self.assertRaises(ks_exceptions.Unauthorized,
                          password_and_sndfa('wrong').get_auth_ref, keystone)
        self.prompt.assert_not_called()
        self.assertEqual(1, len(keystone.bodies))

    def test_without_a_prompt_a_library_gets_the_401(self):
        auth.set_code_prompt(None)
        keystone = Keystone()
        e = self.assertRaises(ks_exceptions.Unauthorized,
                              password_and_sndfa().get_auth_ref, keystone)
        self.assertEqual(CHALLENGE, auth.challenge_of(e))
        self.assertEqual(1, len(keystone.bodies))


class Terminal(io.StringIO):

    def isatty(self):
        return True


class MailedCodeTerminalTestCase(testtools.TestCase):

    def test_a_terminal_is_told_where_the_code_went_then_asked(self):
        err = io.StringIO()
        with mock.patch('getpass.getpass', return_value=' 246810 ') as ask:
            code = terminal.ask_for_mailed_code(CHALLENGE, Terminal(), err)
        self.assertEqual('246810', code)
        ask.assert_called_once_with('Code from the mail: ')
        self.assertEqual('A code was mailed to u***@example.org (valid '
                         'until 2026-12-04T20:40:00Z).\n', err.getvalue())

    def test_elsewhere_the_error_says_it_and_how_to_give_the_code(self):
        e = self.assertRaises(exceptions.CommandError,
                              terminal.ask_for_mailed_code, CHALLENGE,
                              io.StringIO(), io.StringIO())
        self.assertEqual('A code was mailed to u***@example.org (valid '
                         'until 2026-12-04T20:40:00Z). Give it with '
                         '--os-sndfa-code (or OS_SNDFA_CODE).', str(e))

    def test_a_code_mailed_a_moment_ago_is_the_one_to_use(self):
        self.assertEqual(
            'A code was mailed a moment ago (a new one can be sent in 42 s):'
            ' use that one.',
            terminal.describe({'code_sent': False, 'retry_after': 42}))

    def test_nothing_entered_is_an_error(self):
        with mock.patch('getpass.getpass', return_value=''):
            self.assertRaises(exceptions.CommandError,
                              terminal.ask_for_mailed_code, CHALLENGE,
                              Terminal(), io.StringIO())


class OpenStackCommandTestCase(testtools.TestCase):

    def test_only_the_openstack_command_installs_the_prompt(self):
        # Loading the plugin module (entry point checks do) is not enough:
        # a library keeps getting the 401.
        self.addCleanup(auth.set_code_prompt, None)
        self.assertIsNone(auth._code_prompt)
        plugin.build_option_parser(argparse.ArgumentParser())
        self.assertIs(terminal.ask_for_mailed_code, auth._code_prompt)
