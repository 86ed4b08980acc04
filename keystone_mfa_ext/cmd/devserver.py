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
"""keystone-mfa-ext-devserver: a real Keystone with the extension, on loopback.

One command gives a developer (and the functional tests) the whole stack:
keystone.conf in a state directory (SQLite by default), fernet token, receipt
and credential keys, keystone's db_sync and ours, a bootstrapped admin, an
SMTP sink on 127.0.0.1 that prints and stores every mail, and gunicorn
serving `keystone_mfa_ext.wsgi.api:application`. Ctrl-C stops it all;
running it again reuses the state directory.
"""

import argparse
import configparser
import email
import email.policy
import itertools
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from aiosmtpd import controller as smtp_controller
from gunicorn import config as gunicorn_config

from keystone_mfa_ext import auth

WSGI_APP = 'keystone_mfa_ext.wsgi.api:application'
PASSWORD_ENV = 'KEYSTONE_MFA_ADMIN_PASSWORD'
READY_BANNER = 'keystone-mfa-ext devserver ready'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog='keystone-mfa-ext-devserver', description=__doc__.split('\n')[0])
    parser.add_argument('--state-dir', default='.devserver',
                        help='where keystone.conf, keys, the SQLite database '
                             'and received mails live (default: %(default)s)')
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to listen on (default: %(default)s)')
    parser.add_argument('--port', type=int, default=5000,
                        help='keystone port (default: %(default)s)')
    parser.add_argument('--smtp-port', type=int, default=8025,
                        help='port of the SMTP sink (default: %(default)s)')
    parser.add_argument('--workers', type=int, default=2,
                        help='gunicorn workers (default: %(default)s)')
    parser.add_argument('--database-url',
                        help='SQLAlchemy URL of keystone\'s database '
                             '(default: SQLite in the state directory)')
    parser.add_argument('--extra-config', action='append', default=[],
                        metavar='FILE',
                        help='another keystone.conf-style file read after the '
                             'generated ones (repeatable)')
    parser.add_argument('--quiet-mail', action='store_true',
                        help='store received mails without printing them')
    return parser.parse_args(argv)


class StateDir:
    """Paths and one-time setup inside the state directory."""

    def __init__(self, path, extra_config=()):
        self.path = os.path.abspath(path)
        self.extra_config = [os.path.abspath(f) for f in extra_config]
        self.keystone_conf = os.path.join(self.path, 'keystone.conf')
        self.devserver_conf = os.path.join(self.path, 'devserver.conf')
        self.mail_dir = os.path.join(self.path, 'mail')
        self.password_file = os.path.join(self.path, 'admin-password')

    def prepare(self):
        os.makedirs(self.mail_dir, exist_ok=True)
        os.chmod(self.path, 0o700)

    def admin_password(self):
        """From the environment, else the one saved on the first run."""
        password = os.environ.get(PASSWORD_ENV)
        if not password and os.path.exists(self.password_file):
            with open(self.password_file) as f:
                password = f.read().strip()
        if not password:
            password = secrets.token_urlsafe(18)
        fd = os.open(self.password_file,
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(password)
        return password

    def config_files(self):
        return [self.keystone_conf, self.devserver_conf, *self.extra_config]

    def keystone_env(self):
        """Environment that makes keystone's WSGI loader read our files."""
        env = dict(os.environ)
        env['OS_KEYSTONE_CONFIG_DIR'] = self.path
        # Absolute paths survive keystone's join with the directory.
        env['OS_KEYSTONE_CONFIG_FILES'] = ';'.join(self.config_files())
        return env


def _write_ini(path, sections):
    parser = configparser.ConfigParser(interpolation=None)
    for name, options in sections.items():
        parser[name] = options
    with open(path, 'w') as f:
        parser.write(f)


def _enable_new_methods(path):
    """Append methods of a newer keystone-mfa-ext to an existing file.

    Same rule as for operators: existing methods keep their positions.
    """
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    current = parser.get('auth', 'methods', fallback='')
    methods = [m.strip() for m in current.split(',') if m.strip()]
    wanted = auth.enabled_auth_options(methods)
    if not parser.has_section('auth'):
        parser.add_section('auth')
    if all(parser.get('auth', k, fallback=None) == v
           for k, v in wanted.items()):
        return
    for key, value in wanted.items():
        parser.set('auth', key, value)
    with open(path, 'w') as f:
        parser.write(f)


def write_keystone_conf(state):
    """Write keystone.conf once, as an operator would; keep later edits."""
    if os.path.exists(state.keystone_conf):
        _enable_new_methods(state.keystone_conf)
        return
    p = state.path
    _write_ini(state.keystone_conf, {
        'database': {
            'connection': f'sqlite:///{p}/keystone.db',
        },
        'fernet_tokens': {'key_repository': f'{p}/fernet-keys'},
        'fernet_receipts': {'key_repository': f'{p}/fernet-receipt-keys'},
        'credential': {'key_repository': f'{p}/credential-keys'},
        'auth': auth.enabled_auth_options(),
        'spassword': {
            'mail_driver': 'smtp',
            'smtp_server': '127.0.0.1',
            # The sink on loopback speaks plain SMTP; production keeps TLS.
            'smtp_tls': 'false',
            'smtp_from': 'keystone@localhost',
        },
    })


def write_devserver_conf(state, args):
    """Per-run settings (ports, database URL), rewritten on every start."""
    url = f'http://{args.host}:{args.port}'
    sections = {
        'DEFAULT': {'public_endpoint': url},
        'spassword': {'smtp_port': str(args.smtp_port),
                      'sndfa_endpoint': url},
    }
    if args.database_url:
        sections['database'] = {'connection': args.database_url}
    _write_ini(state.devserver_conf, sections)


def _run(state, *argv, env=None):
    cmd = list(argv)
    for f in reversed(state.config_files()):
        cmd[1:1] = ['--config-file', f]
    print('+ ' + ' '.join(shlex.quote(a) for a in argv), flush=True)
    done = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          env=dict(state.keystone_env(), **(env or {})))
    if done.returncode:
        # keystone-manage logs its reason to stdout; secrets never are on
        # the command line (see setup_keystone), so show it all.
        print(done.stdout, file=sys.stderr)
        raise SystemExit(f'{os.path.basename(argv[0])} {argv[1]} failed '
                         f'with status {done.returncode}')


def _script(name):
    """A console script installed next to this Python."""
    return os.path.join(os.path.dirname(sys.executable), name)


def setup_keystone(state, args, password):
    """Keys, both db_syncs and bootstrap; each step is safe to repeat."""
    manage = _script('keystone-manage')
    ids = ['--keystone-user', str(os.getuid()),
           '--keystone-group', str(os.getgid())]
    if not os.path.isdir(os.path.join(state.path, 'fernet-keys')):
        _run(state, manage, 'fernet_setup', *ids)
    if not os.path.isdir(os.path.join(state.path, 'credential-keys')):
        _run(state, manage, 'credential_setup', *ids)
    _run(state, manage, 'db_sync')
    _run(state, _script('keystone-mfa-ext-manage'), 'db_sync')
    url = f'http://{args.host}:{args.port}/v3'
    # The password goes through the environment: never on a command line
    # (ps, error messages), and safe when it starts with '-'.
    _run(state, manage, 'bootstrap',
         '--bootstrap-username', 'admin',
         '--bootstrap-project-name', 'admin',
         '--bootstrap-role-name', 'admin',
         '--bootstrap-service-name', 'keystone',
         '--bootstrap-region-id', 'RegionOne',
         '--bootstrap-admin-url', url,
         '--bootstrap-public-url', url,
         '--bootstrap-internal-url', url,
         env={'OS_BOOTSTRAP_PASSWORD': password})


class MailSink:
    """aiosmtpd handler: store each mail as an .eml file; maybe print it."""

    def __init__(self, mail_dir, echo=True):
        self.mail_dir = mail_dir
        self.echo = echo
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            name = f'{time.time_ns()}-{next(self._counter):05d}.eml'
        path = os.path.join(self.mail_dir, name)
        with open(path + '.tmp', 'wb') as f:
            f.write(envelope.content)
        os.replace(path + '.tmp', path)  # readers never see half a mail
        if self.echo:
            msg = email.message_from_bytes(envelope.content,
                                           policy=email.policy.default)
            body = msg.get_body(preferencelist=('plain',))
            print(f'----- mail to {", ".join(envelope.rcpt_tos)}: '
                  f'{msg["Subject"]}\n{body.get_content() if body else ""}'
                  '-----', flush=True)
        return '250 Message accepted for delivery'


def start_mail_sink(state, args):
    sink = smtp_controller.Controller(
        MailSink(state.mail_dir, echo=not args.quiet_mail),
        hostname=args.host, port=args.smtp_port)
    sink.start()
    return sink


def _gunicorn_options():
    # gunicorn >= 27 opens a control socket in ~/.gunicorn by default; two
    # devservers (parallel functional tests) would fight over it.
    if hasattr(gunicorn_config, 'ControlSocketDisable'):
        return ['--no-control-socket']
    return []


def start_gunicorn(state, args):
    cmd = [sys.executable, '-m', 'gunicorn', *_gunicorn_options(),
           '--bind', f'{args.host}:{args.port}',
           '--workers', str(args.workers),
           '--timeout', '120',
           '--access-logfile', '-',
           '--name', 'keystone-mfa-ext',
           WSGI_APP]
    # Its own session: terminal signals reach only us, and we stop it.
    return subprocess.Popen(cmd, env=state.keystone_env(),
                            start_new_session=True)


def assert_port_free(host, port):
    """Refuse to start when something already listens (e.g. an old server)."""
    with socket.socket() as s:
        if s.connect_ex((host, port)) == 0:
            raise SystemExit(f'{host}:{port} is already in use; stop that '
                             'server or choose another --port/--smtp-port')


def wait_until_ready(url, server, stopping, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stopping.is_set():
        if server.poll() is not None:
            raise SystemExit(f'gunicorn exited: status {server.returncode}')
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        stopping.wait(0.5)
    if not stopping.is_set():
        raise SystemExit(f'keystone did not answer on {url} in {timeout}s')


def write_clouds_yaml(state, url, password):
    path = os.path.join(state.path, 'clouds.yaml')
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(f"""clouds:
  mfa-dev:
    auth:
      auth_url: {url}/v3
      username: admin
      password: "{password}"
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    identity_api_version: 3
    region_name: RegionOne
  mfa-dev-system:
    auth:
      auth_url: {url}/v3
      username: admin
      password: "{password}"
      system_scope: all
      user_domain_name: Default
    identity_api_version: 3
""")
    return path


def print_banner(state, args, url, password, clouds):
    print(f"""
{READY_BANNER} at {url}/v3
  admin user:     admin (domain Default, project admin)
  admin password: {password}
  SMTP sink:      {args.host}:{args.smtp_port} (mails in {state.mail_dir})
  keystone.conf:  {state.keystone_conf}

Try it from another terminal:
  export PATH={os.path.dirname(sys.executable)}:$PATH
  export OS_CLIENT_CONFIG_FILE={clouds}
  export OS_CLOUD=mfa-dev
  openstack token issue
  TOKEN=$(openstack token issue -f value -c id)
  curl -s -H "X-Auth-Token: $TOKEN" {url}/v3/mfa

Ctrl-C stops keystone and the SMTP sink.
""", flush=True)


def main(argv=None):
    args = parse_args(argv)
    state = StateDir(args.state_dir, args.extra_config)
    state.prepare()
    password = state.admin_password()
    write_keystone_conf(state)
    write_devserver_conf(state, args)
    assert_port_free(args.host, args.port)
    assert_port_free(args.host, args.smtp_port)
    setup_keystone(state, args, password)

    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    sink = start_mail_sink(state, args)
    server = start_gunicorn(state, args)
    url = f'http://{args.host}:{args.port}'
    try:
        wait_until_ready(url + '/v3', server, stopping)
        if not stopping.is_set():
            print_banner(state, args, url,
                         password, write_clouds_yaml(state, url, password))
        while not stopping.is_set() and server.poll() is None:
            stopping.wait(0.5)
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        sink.stop()
    return 0 if stopping.is_set() else (server.returncode or 1)


if __name__ == '__main__':
    sys.exit(main())
