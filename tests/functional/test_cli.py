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
"""`openstack mfa ...` through the real `openstack` command."""

import datetime
import json
import os
import secrets

import pyotp

from tests.functional import base
from tests.functional import mail_helpers
from tests.functional import test_enrollment
from tests import qr
from tests import utils


class CLITestCase(base.FunctionalTestCase):
    """A member user's `openstack` environment (and the admin's)."""

    def setUp(self):
        super().setUp()
        self.user = self.server.create_user()
        admin = self.server.adapter()
        project = admin.get('/projects?name=admin').json()['projects'][0]
        role = admin.get('/roles?name=member').json()['roles'][0]
        admin.put(f'/projects/{project["id"]}/users/{self.user["id"]}'
                  f'/roles/{role["id"]}')
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('OS_')}
        self.env.update(OS_AUTH_URL=self.server.auth_url,
                        OS_USER_ID=self.user['id'],
                        OS_PASSWORD=self.user['password'],
                        OS_PROJECT_NAME='admin',
                        OS_PROJECT_DOMAIN_ID='default',
                        OS_IDENTITY_API_VERSION='3')

    def openstack(self, *args, check=True, env=None):
        return utils.run_script('openstack', *args, check=check,
                                env=env or self.env)

    def system_admin_env(self):
        env = {k: v for k, v in self.env.items() if not k.startswith('OS_')}
        env.update(OS_AUTH_URL=self.server.auth_url, OS_USERNAME='admin',
                   OS_USER_DOMAIN_ID='default', OS_SYSTEM_SCOPE='all',
                   OS_PASSWORD=self.server.admin_password,
                   OS_IDENTITY_API_VERSION='3')
        return env

    def as_admin(self, *args, check=True):
        out = self.openstack(*args, env=self.system_admin_env(), check=check)
        return json.loads(out.stdout) if '-f' in args else out


class MFACommandsTestCase(CLITestCase):

    def test_enroll_from_the_terminal_enable_and_log_in(self):
        auth = ['--os-auth-type', 'v3password']
        created = self.openstack(*auth, 'mfa', 'otp', 'device', 'create',
                                 'phone', '-f', 'json')
        device = json.loads(created.stdout)
        # The phone's camera, pointed at the terminal.
        self.assertEqual([device['key_uri']],
                         qr.decode_terminal(created.stderr))
        phone = pyotp.parse_uri(device['key_uri'])
        self.openstack(*auth, 'mfa', 'otp', 'device', 'verify',
                       device['id'], '--code', phone.now())
        step = phone.timecode(datetime.datetime.now())   # used to verify
        listed = json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'list', '-f', 'json').stdout)
        self.assertEqual([True], [d['verified'] for d in listed])
        # With a factor, changing factors needs both: the password alone
        # is refused with what to do.
        refused = self.openstack(*auth, 'mfa', 'set', '--enable',
                                 check=False)
        self.assertNotEqual(0, refused.returncode)
        self.assertIn('second factor', refused.stderr)
        mfa = ['--os-auth-type', 'v3multifactor',
               '--os-auth-methods', 'v3password,v3totp']
        step, code = test_enrollment.EnrollmentTestCase.unused_code(
            phone, step)
        state = json.loads(self.openstack(
            *mfa, '--os-passcode', code, 'mfa', 'set', '--enable',
            '-f', 'json').stdout)
        self.assertEqual([['password', 'totp']], state['rules'])

        # One factor is no longer enough; both in one command are.
        self.assertNotEqual(0, self.openstack(*auth, 'token', 'issue',
                                              check=False).returncode)
        step, code = test_enrollment.EnrollmentTestCase.unused_code(
            phone, step)
        out = self.openstack(*mfa, '--os-passcode', code, 'token', 'issue',
                             '-f', 'value', '-c', 'user_id')
        self.assertEqual(self.user['id'], out.stdout.strip())

        attempts = self.as_admin(
            'mfa', 'attempt', 'list', '--user', self.user['id'],
            '--status', 'success', '-f', 'json')
        self.assertEqual({'totp'}, {a['method'] for a in attempts})

    def test_device_and_codes_lifecycle_then_admin_reset(self):
        auth = ['--os-auth-type', 'v3password']
        device = json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'create', 'old', '--qr-file',
            os.devnull, '-f', 'json').stdout)
        self.openstack(*auth, 'mfa', 'otp', 'device', 'set', device['id'],
                       '--name', 'new')
        shown = json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'show', device['id'],
            '-f', 'json').stdout)
        self.assertEqual(('new', False), (shown['name'], shown['verified']))
        self.assertNotIn('key_uri', shown)
        self.openstack(*auth, 'mfa', 'otp', 'device', 'delete', device['id'])
        self.assertEqual([], json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'list', '-f', 'json').stdout))

        codes = json.loads(self.openstack(
            *auth, 'mfa', 'recovery', 'codes', 'create', '-f', 'json'
        ).stdout)['codes'].split()
        mfa = ['--os-auth-type', 'v3multifactor',
               '--os-auth-methods', 'v3password,v3totp']
        # Codes are a factor now: removing them needs a second factor.
        self.assertNotEqual(0, self.openstack(
            *auth, 'mfa', 'recovery', 'codes', 'delete',
            check=False).returncode)
        self.openstack(*mfa, '--os-passcode', codes[0], 'mfa', 'recovery',
                       'codes', 'delete')
        self.assertEqual(0, json.loads(self.openstack(
            *auth, 'mfa', 'recovery', 'codes', 'show', '-f', 'json').stdout
        )['remaining'])

        phone = pyotp.parse_uri(json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'create', 'phone', '--qr-file',
            os.devnull, '-f', 'json').stdout)['key_uri'])
        [device] = json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'list', '-f', 'json').stdout)
        self.openstack(*auth, 'mfa', 'otp', 'device', 'verify',
                       device['id'], '--code', phone.now())
        step = phone.timecode(datetime.datetime.now())
        _step, code = test_enrollment.EnrollmentTestCase.unused_code(
            phone, step)
        self.openstack(*mfa, '--os-passcode', code, 'mfa', 'set', '--enable')
        for _ in range(2):   # two wrong codes, after the right password
            self.openstack(*mfa, '--os-passcode', '000000', 'token',
                           'issue', check=False)
        state = self.as_admin('mfa', 'show', '--user', self.user['id'],
                              '-f', 'json')
        self.assertEqual(2, state['failed_attempts'])
        state = self.as_admin('mfa', 'set', '--unlock', '--user',
                              self.user['id'], '-f', 'json')
        self.assertEqual((0, False), (state['failed_attempts'],
                                      state['locked']))
        [failure, *_] = self.as_admin(
            'mfa', 'attempt', 'list', '--user', self.user['id'],
            '--status', 'failure', '--limit', '1', '-f', 'json')
        detail = self.as_admin('mfa', 'attempt', 'show', failure['id'],
                               '--user', self.user['id'], '-f', 'json')
        self.assertEqual(('totp', 'failure'), (detail['method'],
                                               detail['status']))
        self.assertIn('user-agent', detail['client_headers'])

        self.as_admin('mfa', 'reset', '--user', self.user['id'])
        state = self.as_admin('mfa', 'show', '--user', self.user['id'],
                              '-f', 'json')
        self.assertEqual((False, [], 0), (state['enabled'], state['rules'],
                                          state['otp_devices']))
        self.openstack(*auth, 'token', 'issue')

    def test_admin_finds_users_by_name(self):
        state = self.as_admin('mfa', 'show', '--user', self.user['name'],
                              '--user-domain', 'default', '-f', 'json')
        self.assertEqual((False, []), (state['enabled'], state['rules']))
        self.as_admin('mfa', 'recovery', 'codes', 'create', '--user',
                      self.user['name'], '-f', 'json')
        left = self.as_admin('mfa', 'recovery', 'codes', 'show', '--user',
                             self.user['name'], '-f', 'json')
        self.assertEqual(10, left['remaining'])

    def test_verify_email_and_turn_on_the_email_factor(self):
        address = f'{self.user["name"]}@example.org'
        self.server.adapter().patch(f'/users/{self.user["id"]}', json={
            'user': {'email': address}})
        auth = ['--os-auth-type', 'v3password']
        sent = json.loads(self.openstack(*auth, 'mfa', 'email', 'check',
                                         '-f', 'json').stdout)
        self.assertTrue(sent['code_sent'])
        link = mail_helpers.link_in(mail_helpers.last_mail(self.server,
                                                           address))
        code = link.rsplit('/', 1)[1]
        bad = self.openstack(*auth, 'mfa', 'email', 'verify', '--code',
                             '0' + code[1:] if code[0] != '0' else '1',
                             check=False)
        self.assertNotEqual(0, bad.returncode)
        # The whole link from the mail works as well as its last part.
        verified = json.loads(self.openstack(
            *auth, 'mfa', 'email', 'verify', '--code', link,
            '-f', 'json').stdout)
        self.assertEqual({'email_verified': True}, verified)

        self.assertEqual({'modified': True}, json.loads(self.openstack(
            *auth, 'mfa', 'sndfa', 'set', '--enable', '-f', 'json').stdout))
        self.assertEqual({'sndfa': True, 'sndfa_email': True}, self.as_admin(
            'mfa', 'sndfa', 'show', '--user', self.user['id'], '-f', 'json'))
        # The password alone no longer gives this user a token.
        self.assertNotEqual(0, self.openstack(*auth, 'token', 'issue',
                                              check=False).returncode)
        self.assertEqual({'modified': True}, self.as_admin(
            'mfa', 'sndfa', 'set', '--disable', '--user', self.user['id'],
            '-f', 'json'))
        self.openstack(*auth, 'token', 'issue')

    def test_server_errors_are_one_line_without_traceback(self):
        auth = ['--os-auth-type', 'v3password']
        for args in (('mfa', 'otp', 'device', 'show', 'no-such-device'),
                     ('mfa', 'otp', 'device', 'verify', 'no-such-device',
                      '--code', '123456'),
                     ('mfa', 'set', '--enable'),   # nothing enrolled: 400
                     ('mfa', 'provider', 'list')):  # not an admin: 403
            out = self.openstack(*auth, *args, check=False)
            self.assertNotEqual(0, out.returncode, args)
            lines = out.stderr.strip().splitlines()
            self.assertEqual(1, len(lines), out.stderr)
            self.assertNotIn('Traceback', out.stderr)


class ProviderAndPolicyCommandsTestCase(CLITestCase):
    """`openstack mfa provider|policy` as a system administrator."""

    def setUp(self):
        super().setUp()
        self.domain = self.as_admin('domain', 'create',
                                    'd-' + secrets.token_hex(4),
                                    '-f', 'json')
        self.addCleanup(self.as_admin, 'domain', 'delete',
                        self.domain['id'], check=False)
        self.addCleanup(self.as_admin, 'domain', 'set', '--disable',
                        self.domain['id'], check=False)

    def test_domain_provider_lifecycle(self):
        in_domain = ('--domain', self.domain['name'])
        created = self.as_admin(
            'mfa', 'provider', 'create', 'acme', '--type', 'totp',
            *in_domain, '--setting', 'issuer=ACME', '--setting',
            'digits=8', '-f', 'json')
        self.assertEqual(('totp', True, self.domain['id'],
                          {'issuer': 'ACME', 'digits': 8}),
                         (created['provider_name'], created['enabled'],
                          created['domain_id'], created['settings']))
        self.as_admin('mfa', 'provider', 'set', 'acme', *in_domain,
                      '--disable', '--setting', 'period=60')
        shown = self.as_admin('mfa', 'provider', 'show', created['id'],
                              *in_domain, '-f', 'json')
        self.assertEqual(
            (False, {'issuer': 'ACME', 'digits': 8, 'period': 60}),
            (shown['enabled'], shown['settings']))
        # The system-wide list does not hold the domain's provider.
        self.assertNotIn(created['id'], [p['id'] for p in self.as_admin(
            'mfa', 'provider', 'list', '-f', 'json')])

        mail = self.as_admin(
            'mfa', 'provider', 'create', 'mail', '--type', 'sndfa',
            *in_domain, '--setting', 'smtp.server=127.0.0.1',
            '--setting', 'smtp.password=s3cret-pw', '--setting',
            'smtp.tls=false', '-f', 'json')
        self.assertEqual({'server': '127.0.0.1', 'tls': False},
                         mail['settings']['smtp'])
        listed = self.as_admin('mfa', 'provider', 'list', *in_domain,
                               '-f', 'json')
        self.assertEqual(['acme', 'mail'], sorted(p['name'] for p in listed))
        self.assertNotIn('s3cret-pw', json.dumps(listed))

        for name in ('acme', mail['id']):
            self.as_admin('mfa', 'provider', 'delete', name, *in_domain)
        self.assertEqual([], self.as_admin('mfa', 'provider', 'list',
                                           *in_domain, '-f', 'json'))
        missing = self.as_admin('mfa', 'provider', 'show', 'acme',
                                *in_domain, check=False)
        self.assertEqual((1, "No provider 'acme'"),
                         (missing.returncode, missing.stderr.strip()))

    def test_domain_policy(self):
        in_domain = ('--domain', self.domain['id'])
        self.assertEqual(
            {'enforcement': 'optional', 'rules': [], 'grace_period_days': 0,
             'enrolled': 0, 'not_enrolled': 0},
            self.as_admin('mfa', 'policy', 'show', *in_domain, '-f', 'json'))
        policy = self.as_admin(
            'mfa', 'policy', 'set', *in_domain, '--enforcement', 'required',
            '--rule', 'password,totp', '--rule', 'password,sndfa',
            '--grace-period-days', '7', '-f', 'json')
        self.assertEqual(('required', [['password', 'totp'],
                                       ['password', 'sndfa']], 7),
                         (policy['enforcement'], policy['rules'],
                          policy['grace_period_days']))
        # What is not given is kept.
        policy = self.as_admin('mfa', 'policy', 'set', *in_domain,
                               '--grace-period-days', '0', '-f', 'json')
        self.assertEqual(('required', 0), (policy['enforcement'],
                                           policy['grace_period_days']))
        bad = self.as_admin('mfa', 'policy', 'set', *in_domain,
                            '--rule', 'password,password', check=False)
        self.assertNotEqual(0, bad.returncode)
        self.assertNotIn('Traceback', bad.stderr)
