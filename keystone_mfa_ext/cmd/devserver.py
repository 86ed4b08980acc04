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
serving `keystone_mfa_ext.wsgi.api:application`, a `demo` end user
without any role assignment, and a clouds.yaml with a cloud per kind of
user. Ctrl-C stops it all; running it again reuses the state directory.
It prints what a developer needs: one line per setup phase, the banner,
then requests and mails (each tool's full output only when it fails).
"""

import argparse
import configparser
import email
import email.policy
import itertools
import json
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
import warnings

from oslo_log import log

try:
    from aiosmtpd import controller as smtp_controller
    from gunicorn import config as gunicorn_config
except ImportError as missing:   # a server install: no devserver extra
    sys.exit(f'keystone-mfa-ext-devserver needs the devserver extra: '
             f'pip install "keystone-mfa-ext[devserver]" ({missing})')

WSGI_APP = 'keystone_mfa_ext.wsgi.api:application'
PASSWORD_ENV = 'KEYSTONE_MFA_ADMIN_PASSWORD'
READY_BANNER = 'keystone-mfa-ext devserver ready'
DEMO_USER = 'demo'
# keystone's default log levels (oslo.log's, with dogpile and routes at
# INFO) and quiet WARNINGs it logs at every password check ([identity]
# max_password_length is above bcrypt's 72 by default) and once per
# worker (its own deprecated policy defaults), whatever the devserver does.
LOG_LEVELS = ['dogpile=INFO', 'routes=INFO',
              'keystone.common.password_hashing=ERROR',
              'keystone.common.rbac_enforcer.enforcer=ERROR']
# Printed by every process that imports keystone (oslo.service still
# imports eventlet); nothing a devserver user can act on.
QUIET_WARNINGS = (
    'ignore::Warning:oslo_service.backend._eventlet.loopingcall',)


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
        self.demo_password_file = os.path.join(self.path, 'demo-password')

    def prepare(self):
        os.makedirs(self.mail_dir, exist_ok=True)
        os.chmod(self.path, 0o700)

    def admin_password(self):
        """From the environment, else the one saved on the first run."""
        password = (os.environ.get(PASSWORD_ENV)
                    or _read_secret(self.password_file)
                    or secrets.token_urlsafe(18))
        _write_secret(self.password_file, password)
        return password

    def demo_password(self):
        """The demo user's, saved on the first run: (password, is_new)."""
        password = _read_secret(self.demo_password_file)
        if password:
            return password, False
        password = secrets.token_urlsafe(12)
        _write_secret(self.demo_password_file, password)
        return password, True

    def config_files(self):
        return [self.keystone_conf, self.devserver_conf, *self.extra_config]

    def keystone_env(self):
        """Environment that makes keystone's WSGI loader read our files."""
        env = _quiet(dict(os.environ))
        env['OS_KEYSTONE_CONFIG_DIR'] = self.path
        # Absolute paths survive keystone's join with the directory.
        env['OS_KEYSTONE_CONFIG_FILES'] = ';'.join(self.config_files())
        return env


def _read_secret(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().strip() or None


def _write_secret(path, secret):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(secret)


def _write_ini(path, sections):
    parser = configparser.ConfigParser(interpolation=None)
    for name, options in sections.items():
        parser[name] = options
    with open(path, 'w') as f:
        parser.write(f)


def _auth_options(methods=None):
    # Imported here, once main() silenced eventlet's deprecation warning:
    # it imports keystone.
    from keystone_mfa_ext import auth
    return auth.enabled_auth_options(methods)


def _quiet(env):
    """`env` for a Python subprocess that imports keystone."""
    given = env.get('PYTHONWARNINGS')
    env['PYTHONWARNINGS'] = ','.join(
        ([given] if given else []) + list(QUIET_WARNINGS))
    return env


def _enable_new_methods(path):
    """Append methods of a newer keystone-mfa-ext to an existing file.

    Same rule as for operators: existing methods keep their positions.
    """
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    current = parser.get('auth', 'methods', fallback='')
    methods = [m.strip() for m in current.split(',') if m.strip()]
    wanted = _auth_options(methods)
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
        'auth': _auth_options(),
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
        'DEFAULT': {'public_endpoint': url,
                    'default_log_levels': ','.join(
                        log.get_default_log_levels() + LOG_LEVELS)},
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
    done = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          env=dict(state.keystone_env(), **(env or {})))
    if done.returncode:
        # keystone-manage logs its reason to stdout; secrets never are on
        # the command line (see setup_keystone), so show it all.
        print('+ ' + ' '.join(shlex.quote(a) for a in argv), file=sys.stderr)
        print(done.stdout, file=sys.stderr)
        raise SystemExit(f'{os.path.basename(argv[0])} {argv[1]} failed '
                         f'with status {done.returncode}')


def _script(name):
    """A console script installed next to this Python."""
    return os.path.join(os.path.dirname(sys.executable), name)


def setup_keystone(state, args, password):
    """Keys, both db_syncs and bootstrap; each step is safe to repeat."""
    print(f'Setting up keystone in {state.path} (keys, databases, admin '
          'user) ...', flush=True)
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
           # Its own start-up lines say nothing the banner does not.
           '--log-level', 'warning',
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


def ensure_demo_user(url, admin_password, password, is_new):
    """The end user of the mfa-dev-user clouds, without any role.

    As a new account is: its token is unscoped, its catalog empty. Created
    when missing; its password is set again only when the state directory
    had none saved. Returns why it could not be done, or None.
    """
    from keystoneauth1 import adapter
    from keystoneauth1 import exceptions
    from keystoneauth1.identity import v3
    from keystoneauth1 import session

    admin = adapter.Adapter(session.Session(auth=v3.Password(
        auth_url=url + '/v3', username='admin', password=admin_password,
        user_domain_id='default', system_scope='all')),
        endpoint_override=url + '/v3')
    try:
        found = admin.get('/users', params={
            'name': DEMO_USER, 'domain_id': 'default'}).json()['users']
        if not found:
            admin.post('/users', json={'user': {
                'name': DEMO_USER, 'domain_id': 'default',
                'password': password,
                'description': 'devserver end user (no role assignment)'}})
        elif is_new:
            admin.patch(f'/users/{found[0]["id"]}',
                        json={'user': {'password': password}})
    except exceptions.ClientException as e:
        return str(e)
    return None


# (name, what it is, what it is for): clouds.yaml comments and the banner.
CLOUDS = (
    ('mfa-dev', 'admin on project admin',
     "keystone's own commands (user create, role add, ...)"),
    ('mfa-dev-system', 'admin, system scope',
     'MFA administration (mfa policy|provider|attempt, '
     'mfa show|set|reset --user)'),
    ('mfa-dev-user', f'{DEMO_USER}, no role (unscoped, as a new account)',
     'enrolling (mfa otp device create|verify, mfa email, mfa sndfa)'),
    ('mfa-dev-user-totp', f'{DEMO_USER}, password + TOTP code (asked for)',
     'factor changes once enrolled (mfa recovery codes create, '
     'mfa set --enable), mfa session create'),
)


def clouds_yaml(url, password, demo_password):
    """clouds.yaml text: the CLOUDS, each with a comment saying what for."""
    def cloud(user, secret, auth=(), top=()):
        return [*top, 'identity_api_version: 3', 'auth:',
                f'  auth_url: {url}/v3', f'  username: {user}',
                f'  password: {json.dumps(secret)}',
                '  user_domain_name: Default', *('  ' + a for a in auth)]

    entries = {
        'mfa-dev': cloud('admin', password, auth=(
            'project_name: admin', 'project_domain_name: Default'),
            top=('region_name: RegionOne',)),
        'mfa-dev-system': cloud('admin', password,
                                auth=('system_scope: all',)),
        'mfa-dev-user': cloud(DEMO_USER, demo_password),
        'mfa-dev-user-totp': cloud(DEMO_USER, demo_password, top=(
            'auth_type: v3multifactor',
            'auth_methods: [v3password, v3totp]')),
    }
    lines = ['# Written by keystone-mfa-ext-devserver at every start.',
             'clouds:']
    for name, who, purpose in CLOUDS:
        lines += [f'  # {who}: {purpose}', f'  {name}:',
                  *('    ' + line for line in entries[name])]
    return '\n'.join(lines) + '\n'


def write_clouds_yaml(state, url, password, demo_password):
    path = os.path.join(state.path, 'clouds.yaml')
    _write_secret(path, clouds_yaml(url, password, demo_password))
    return path


def print_banner(state, args, url, passwords, clouds, demo_problem=None):
    admin, demo = passwords
    demo_line = (f'{DEMO_USER} (domain Default, no role), password {demo}'
                 if not demo_problem else
                 f'{DEMO_USER}: not set up ({demo_problem})')
    width = max(len(name) for name, _who, _for in CLOUDS)
    table = '\n'.join(f'  {name:{width}}  {who}:\n  {"":{width}}    {used}'
                      for name, who, used in CLOUDS)
    print(f"""
{READY_BANNER} at {url}/v3
  admin user:    admin (domain Default), password {admin}
  end user:      {demo_line}
  SMTP sink:     {args.host}:{args.smtp_port} (mails in {state.mail_dir})
  keystone.conf: {state.keystone_conf}

From another terminal:
  export PATH={os.path.dirname(sys.executable)}:$PATH
  export OS_CLIENT_CONFIG_FILE={clouds}
then `openstack --os-cloud <cloud> ...` (or export OS_CLOUD=<cloud>), with
{table}

An end user's first steps:
  openstack --os-cloud mfa-dev-user mfa otp device create phone
  openstack --os-cloud mfa-dev-user mfa otp device verify <id> --code <code>
  eval "$(openstack --os-cloud mfa-dev-user-totp mfa session create)"
  openstack mfa recovery codes create && openstack mfa set --enable

Ctrl-C stops keystone and the SMTP sink.
""", flush=True)


def main(argv=None):
    args = parse_args(argv)
    state = StateDir(args.state_dir, args.extra_config)
    state.prepare()
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
    password = state.admin_password()
    demo_password, demo_is_new = state.demo_password()
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
            problem = ensure_demo_user(url, password, demo_password,
                                       demo_is_new)
            clouds = write_clouds_yaml(state, url, password, demo_password)
            print_banner(state, args, url, (password, demo_password),
                         clouds, problem)
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
