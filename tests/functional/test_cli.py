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
import select
import shlex
import subprocess
import time

from keystone_mfa_ext.cmd import devserver
import pyotp

from tests.functional import base
from tests.functional import mail_helpers
from tests.functional import test_enrollment
from tests import qr
from tests import utils


def user_env(server, user, **more):
    """The environment of a user who has no role anywhere (yet)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    env.update(OS_AUTH_URL=server.auth_url, OS_USER_ID=user['id'],
               OS_PASSWORD=user['password'], OS_IDENTITY_API_VERSION='3',
               **more)
    return env


def exported(lines):
    """{name: value} of the `export NAME=value` lines a shell would eval."""
    found = {}
    for line in lines.splitlines():
        if line.startswith('export '):
            name, _sep, value = shlex.split(line)[1].partition('=')
            found[name] = value
    return found


class Terminal:
    """A command on a pseudo-terminal, the way a person at a shell runs it.

    Its own session with the terminal as stdin, stdout and stderr: prompts
    (getpass) go to the terminal and read what is typed there.
    """

    def __init__(self, test, argv, env):
        master, slave = os.openpty()
        self.process = subprocess.Popen(
            argv, env=env, stdin=slave, stdout=slave, stderr=slave,
            start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = ''
        test.addCleanup(self.close)

    def _read(self, timeout):
        """False: nothing yet; None: the command closed the terminal."""
        ready, _w, _x = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 4096)
        except OSError:   # EIO: every end of the terminal is closed
            return None
        self.output += data.decode(errors='replace').replace('\r\n', '\n')
        return bool(data) or None

    def expect(self, text, timeout=120):
        """Everything shown until `text` appears (then `text` included)."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline or self._read(1) is None:
                if text in self.output:
                    break
                raise AssertionError(f'{text!r} never shown; shown: '
                                     f'{self.output!r}')
        return self.output

    def type(self, line):
        os.write(self.master, line.encode() + b'\n')

    def finish(self, timeout=120):
        """(exit status, what was shown after the last input)."""
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(1) is not None:
            pass
        return self.process.wait(timeout=30), self.output[start:]

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


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
        # Never a terminal: a missing code fails instead of asking.
        return utils.run_script('openstack', *args, check=check,
                                env=env or self.env,
                                stdin=subprocess.DEVNULL)

    def on_terminal(self, *args, env):
        return Terminal(self, [utils.script('openstack'), *args], env)

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
        verified = json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'verify', device['id'],
            '--code', phone.now(), '-f', 'json').stdout)
        step = phone.timecode(datetime.datetime.now())   # used to verify
        self.assertEqual((device['id'], 'phone', True), (
            verified['id'], verified['name'], verified['verified']))
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
        spares = [json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'create', name, '--qr-file',
            os.devnull, '-f', 'json').stdout)['id'] for name in 'ab']
        # Several at once, as OSC's delete commands take them; one that
        # fails does not stop the others.
        partly = self.openstack(*auth, 'mfa', 'otp', 'device', 'delete',
                                spares[0], 'no-such-device', check=False)
        self.assertEqual(1, partly.returncode)
        self.assertIn("Failed to delete OTP device with ID 'no-such-device'",
                      partly.stderr)
        self.assertEqual('1 of 2 OTP devices failed to delete.',
                         partly.stderr.strip().splitlines()[-1])
        self.openstack(*auth, 'mfa', 'otp', 'device', 'delete', device['id'],
                       spares[1])
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

        self.assertEqual(
            {'sndfa': True, 'sndfa_email': True, 'modified': True},
            json.loads(self.openstack(*auth, 'mfa', 'sndfa', 'set',
                                      '--enable', '-f', 'json').stdout))
        self.assertEqual({'sndfa': True, 'sndfa_email': True}, self.as_admin(
            'mfa', 'sndfa', 'show', '--user', self.user['id'], '-f', 'json'))
        # The password alone no longer gives this user a token.
        self.assertNotEqual(0, self.openstack(*auth, 'token', 'issue',
                                              check=False).returncode)
        self.assertEqual(
            {'sndfa': False, 'sndfa_email': True, 'modified': True},
            self.as_admin('mfa', 'sndfa', 'set', '--disable', '--user',
                          self.user['id'], '-f', 'json'))
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
        # A refusal by policy also says which token would do.
        self.assertIn('identity:list_mfa_providers', out.stderr)
        self.assertIn('--os-system-scope all', out.stderr)


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
        # One spelling, the README's: --enforcement required|optional.
        self.assertIn('--enforcement {required,optional}', self.openstack(
            'help', 'mfa', 'policy', 'set').stdout)

    def test_a_user_sees_the_enrollment_deadline_of_a_required_domain(self):
        self.as_admin('mfa', 'policy', 'set', '--domain', self.domain['id'],
                      '--enforcement', 'required', '--rule', 'password,totp',
                      '--grace-period-days', '7')
        user = self.server.create_user(domain_id=self.domain['id'])
        state = json.loads(self.openstack(
            'mfa', 'show', '-f', 'json',
            env=user_env(self.server, user)).stdout)
        deadline = datetime.datetime.fromisoformat(
            state['grace_until'].replace('Z', '+00:00'))
        left = deadline - datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs(left - datetime.timedelta(days=7)),
                        datetime.timedelta(minutes=10))
        self.assertFalse(state['enabled'])


class NewUserTestCase(CLITestCase):
    """A user without any role assignment, as a new account is.

    Its token is unscoped and its service catalog empty: the commands find
    keystone at the auth URL.
    """

    def setUp(self):
        super().setUp()
        self.newcomer = self.server.create_user(
            email=f'n-{secrets.token_hex(4)}@example.org')
        self.new_env = user_env(self.server, self.newcomer)

    def test_enroll_verify_codes_and_mfa_on_with_one_two_factor_login(self):
        env = self.new_env
        device = json.loads(self.openstack(
            'mfa', 'otp', 'device', 'create', 'phone', '--qr-file',
            os.devnull, '-f', 'json', env=env).stdout)
        phone = pyotp.parse_uri(device['key_uri'])
        verified = json.loads(self.openstack(
            'mfa', 'otp', 'device', 'verify', device['id'], '--code',
            phone.now(), '-f', 'json', env=env).stdout)
        step = phone.timecode(datetime.datetime.now())
        self.assertTrue(verified['verified'])
        # From now on a factor change needs a second factor as well.
        refused = self.openstack('mfa', 'recovery', 'codes', 'create',
                                 env=env, check=False)
        self.assertNotEqual(0, refused.returncode)
        self.assertIn('second factor', refused.stderr)

        # One login with both factors (the code is asked for on the
        # terminal), its token reused by the next commands.
        terminal = self.on_terminal(
            '--os-auth-type', 'v3multifactor', '--os-auth-methods',
            'v3password,v3totp', 'mfa', 'session', 'create', env=env)
        terminal.expect('TOTP passcode: ')
        _step, code = test_enrollment.EnrollmentTestCase.unused_code(
            phone, step)
        terminal.type(code)
        status, shown = terminal.finish()
        self.assertEqual(0, status, shown)
        session = exported(shown)
        self.assertEqual(('v3token', self.server.auth_url),
                         (session['OS_AUTH_TYPE'], session['OS_AUTH_URL']))
        env_session = dict(env, **session)

        codes = json.loads(self.openstack(
            'mfa', 'recovery', 'codes', 'create', '-f', 'json',
            env=env_session).stdout)['codes'].split()
        self.assertEqual(10, len(codes))
        enabled = self.openstack('mfa', 'set', '--enable', '-f', 'json',
                                 env=env_session)
        state = json.loads(enabled.stdout)
        self.assertEqual((True, [['password', 'totp']], 10),
                         (state['enabled'], state['rules'],
                          state['recovery_codes_remaining']))
        self.assertIn('MFA is on for you', enabled.stderr)

        # Switching MFA on ended the earlier tokens, the session's too,
        # and the password alone gets none.
        for environment in (env_session, env):
            self.assertNotEqual(0, self.openstack(
                'mfa', 'show', env=environment, check=False).returncode)
        state = json.loads(self.openstack(
            '--os-auth-type', 'v3multifactor', '--os-auth-methods',
            'v3password,v3totp', '--os-passcode', codes[0], 'mfa', 'show',
            '-f', 'json', env=env).stdout)
        self.assertEqual(9, state['recovery_codes_remaining'])

    def test_the_mailed_code_is_asked_for_on_a_terminal(self):
        env, address = self.new_env, self.newcomer['email']
        self.openstack('mfa', 'email', 'check', env=env)
        link = mail_helpers.link_in(mail_helpers.last_mail(self.server,
                                                           address))
        self.openstack('mfa', 'email', 'verify', '--code', link, env=env)
        self.assertEqual(
            {'sndfa': True, 'sndfa_email': True, 'modified': True},
            json.loads(self.openstack('mfa', 'sndfa', 'set', '--enable',
                                      '-f', 'json', env=env).stdout))
        login = ('--os-auth-type', 'v3multifactor', '--os-auth-methods',
                 'v3password,v3sndfa')

        terminal = self.on_terminal(*login, 'token', 'issue', '-f', 'value',
                                    '-c', 'user_id', env=env)
        said = terminal.expect('Code from the mail: ')
        self.assertIn('A code was mailed to n***@example.org (valid until ',
                      said)
        terminal.type(mail_helpers.code_in(
            mail_helpers.last_mail(self.server, address, count=2)))
        status, shown = terminal.finish()
        self.assertEqual((0, self.newcomer['id']),
                         (status, shown.strip().splitlines()[-1]))

        # Without a terminal: the same words, and how to give the code.
        out = self.openstack(*login, 'token', 'issue', env=env, check=False)
        self.assertNotEqual(0, out.returncode)
        self.assertEqual(
            'A code was mailed a moment ago (a new one can be sent in',
            out.stderr[:56])
        self.assertIn('Give it with --os-sndfa-code', out.stderr)
        self.assertEqual(1, len(out.stderr.strip().splitlines()))

    def test_an_endpoint_given_is_used(self):
        for url, works in ((self.server.url, True),   # found: its /v3
                           (self.server.auth_url, True),
                           ('http://127.0.0.1:9', False)):
            out = self.openstack('--os-endpoint', url, 'mfa', 'show',
                                 env=self.new_env, check=False)
            self.assertEqual(works, out.returncode == 0, (url, out.stderr))


class DevServerCloudsTestCase(CLITestCase):
    """The devserver's clouds.yaml: a cloud for each kind of user."""

    def cloud(self, name, *args, check=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
        env.update(OS_CLOUD=name, OS_CLIENT_CONFIG_FILE=os.path.join(
            self.server.state_dir, 'clouds.yaml'))
        return self.openstack(*args, env=env, check=check)

    def test_end_user_system_admin_and_project_admin(self):
        # The end user has no role: an unscoped token, an empty catalog.
        state = json.loads(self.cloud('mfa-dev-user', 'mfa', 'show',
                                      '-f', 'json').stdout)
        self.assertIn('otp_devices', state)
        self.assertEqual(state, json.loads(self.cloud(
            'mfa-dev-system', 'mfa', 'show', '--user', devserver.DEMO_USER,
            '--user-domain', 'default', '-f', 'json').stdout))
        # Project scope is not for MFA administration: the error says so.
        refused = self.cloud('mfa-dev', 'mfa', 'attempt', 'list',
                             check=False)
        self.assertNotEqual(0, refused.returncode)
        self.assertIn("the devserver's mfa-dev-system cloud", refused.stderr)

    def test_it_says_what_a_user_needs(self):
        with open(self.server.log_path, encoding='utf-8') as f:
            log = f.read()
        start, banner = log.split(devserver.READY_BANNER, 1)
        self.assertLess(len(start.splitlines()), 15, start)
        for noise in ('Warning', 'WARNING', 'Traceback', '+ '):
            self.assertNotIn(noise, start)
        for name, _who, _for in devserver.CLOUDS:
            self.assertIn(f'  {name}  ', banner)
