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
"""A real keystone with the extension, started as the README starts it.

`DevServer` runs `keystone-mfa-ext-devserver` (gunicorn serving
`keystone_mfa_ext.wsgi.api:application`, keystone's SQL database, an SMTP
sink that stores every mail) in a subprocess on free loopback ports. Tests
talk to it over HTTP with keystoneauth1, openstacksdk and the `openstack`
CLI; nothing in keystone is mocked.
"""

import atexit
import email
import email.policy
import glob
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

import fixtures
from keystoneauth1 import adapter as ks_adapter
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import testtools

from keystone_mfa_ext.cmd import devserver
from tests import process
from tests import smtp
from tests import utils

START_TIMEOUT = 300


class DevServer(fixtures.Fixture):
    """One devserver process; its state directory is removed afterwards."""

    def __init__(self, database_url=None, extra_config=None, workers=2,
                 admin_password=None):
        super().__init__()
        self.database_url = database_url
        self.extra_config = extra_config
        self.workers = workers
        self.admin_password = admin_password or secrets.token_urlsafe(16)

    def _setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix='mfa-ext-devserver-')
        self.addCleanup(shutil.rmtree, self.state_dir, ignore_errors=True)
        self.port = smtp.free_port()
        self.smtp_port = smtp.free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.auth_url = self.url + '/v3'
        self.mail_dir = os.path.join(self.state_dir, 'mail')
        argv = [utils.script('keystone-mfa-ext-devserver'),
                '--state-dir', self.state_dir, '--port', str(self.port),
                '--smtp-port', str(self.smtp_port),
                '--workers', str(self.workers), '--quiet-mail']
        if self.database_url:
            argv += ['--database-url', self.database_url]
        if self.extra_config:
            path = os.path.join(self.state_dir, 'test-extra.conf')
            with open(path, 'w') as f:
                f.write(self.extra_config)
            argv += ['--extra-config', path]
        env = dict(os.environ)
        env[devserver.PASSWORD_ENV] = self.admin_password
        self.log_path = os.path.join(self.state_dir, 'devserver.log')
        self._log = open(self.log_path, 'wb')
        self.addCleanup(self._log.close)
        self.process = subprocess.Popen(argv, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self.addCleanup(self._stop)
        self._wait_until_ready()

    def _wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('devserver exited with %s:\n%s' % (
                    self.process.returncode, self.log_tail()))
            # Anywhere in the log, not only in its tail: a worker still
            # starting with debug logging writes more than a tail after it.
            if self.log_contains(devserver.READY_BANNER):
                return
            time.sleep(0.5)
        raise RuntimeError('devserver not ready:\n' + self.log_tail())

    def log_contains(self, text):
        with open(self.log_path, 'rb') as f:
            return text.encode() in f.read()

    def log_tail(self, size=20000):
        return process.log_tail(self.log_path, size)

    def _stop(self):
        # Ctrl-C, as a developer stops it.
        process.stop(self.process, signal.SIGINT, timeout=60)

    # --- clients -------------------------------------------------------
    def session(self, username='admin', password=None, project_name='admin',
                system_scope=None, **kwargs):
        auth = v3.Password(
            auth_url=self.auth_url, username=username,
            password=password or self.admin_password,
            user_domain_id='default',
            project_name=None if system_scope else project_name,
            project_domain_id=None if system_scope else 'default',
            system_scope=system_scope, **kwargs)
        return ks_session.Session(auth=auth)

    def admin_token(self):
        return self.session().get_token()

    def adapter(self, session=None):
        """keystoneauth1 Adapter on this keystone's /v3 (admin by default)."""
        # endpoint_override: unscoped tokens come without a catalog.
        return ks_adapter.Adapter(session or self.session(),
                                  service_type='identity', interface='public',
                                  endpoint_override=self.auth_url)

    def create_user(self, domain_id='default', **extra):
        """A new user with a password and a member role on admin project."""
        admin = self.adapter()
        password = secrets.token_urlsafe(12)
        body = {'user': dict({'name': 'u-' + secrets.token_hex(6),
                              'domain_id': domain_id,
                              'password': password}, **extra)}
        user = admin.post('/users', json=body).json()['user']
        user['password'] = password
        return user

    def get(self, path, token=None, **kwargs):
        headers = kwargs.pop('headers', {})
        if token:
            headers['X-Auth-Token'] = token
        return requests.get(self.auth_url + path, headers=headers,
                            timeout=30, **kwargs)

    def cli_env(self, **overrides):
        """Environment for the real `openstack` CLI, as admin."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env.update(OS_AUTH_URL=self.auth_url, OS_USERNAME='admin',
                   OS_PASSWORD=self.admin_password, OS_PROJECT_NAME='admin',
                   OS_USER_DOMAIN_ID='default',
                   OS_PROJECT_DOMAIN_ID='default',
                   OS_IDENTITY_API_VERSION='3')
        env.update(overrides)
        return env

    def openstack(self, *args, env=None, check=True):
        return utils.run_script('openstack', *args, env=env or self.cli_env(),
                                check=check)

    # --- mail sink -----------------------------------------------------
    def mails(self):
        """Every mail the SMTP sink received, oldest first."""
        messages = []
        for path in sorted(glob.glob(os.path.join(self.mail_dir, '*.eml'))):
            with open(path, 'rb') as f:
                messages.append(email.message_from_binary_file(
                    f, policy=email.policy.default))
        return messages

    def wait_for_mail(self, to, count=1, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.mails() if m['To'] == to]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


_SHARED = {}


def shared_server(**kwargs):
    """One server per test process and configuration, stopped at exit."""
    key = tuple(sorted(kwargs.items()))
    if key not in _SHARED:
        server = DevServer(**kwargs)
        server.setUp()
        atexit.register(server.cleanUp)
        _SHARED[key] = server
    return _SHARED[key]


class FunctionalTestCase(testtools.TestCase):
    """Tests against the shared SQLite devserver of this process."""

    server_kwargs = {}

    def setUp(self):
        super().setUp()
        self.server = shared_server(**self.server_kwargs)
