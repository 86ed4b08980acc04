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
"""The two keystone servers of a benchmark run, on one database.

`ours`: `keystone-mfa-ext-devserver` (through tests/functional/base.py's
DevServer): gunicorn with 2 sync workers serving the extension's WSGI app,
SQLite (or a MariaDB/PostgreSQL database, `--database`), fernet
tokens/receipts/credentials, `[auth] totp = mfa_ext`, a
real SMTP sink, and keystone's cache on a real memcached (`[cache]`, as
production runs; `--cache off` leaves it out).

`stock`: the same state directory (same database, keys and users) served by
stock keystone's public WSGI app (`bench.stock_wsgi`, no extension routes
or hooks) with `[auth] totp = default`, i.e. keystone's built-in driver, on
another port. Both run at the same time but only one is ever measured at a
time, so they do not share CPU; running them side by side lets each round
interleave built-in and ours requests and keeps machine-load drift out of
the ratios.
"""

import os
import subprocess
import sys

import requests

from keystone_mfa_ext.cmd import devserver
from tests.functional import base
from tests import process
from tests import smtp

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(HERE)

BENCH_CONFIG = """
[mfa]
# The benchmark seeds users with up to 50 devices and creates more.
max_devices_per_user = 50
[spassword]
# One sndfa flow per user and second would otherwise be refused.
sndfa_resend_interval = 0
"""

STOCK_CONFIG = """
[DEFAULT]
public_endpoint = {url}
[auth]
totp = default
"""

PROFILE_HEADER = 'X-Bench-Profile'
SQL_HEADER = 'X-Bench-SQL'
HOOKS = os.path.join(HERE, 'gunicorn_hooks.py')


def tree_cpu_seconds(root_pid):
    """User+system CPU seconds of `root_pid` and its live descendants.

    Read from /proc (Linux): the server-side cost of a batch, whatever
    else the machine is busy with. Unsupported elsewhere: None.
    """
    if not os.path.isdir('/proc/self'):
        return None
    children, ticks = {}, {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        ticks[pid] = int(fields[11]) + int(fields[12])
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / os.sysconf('SC_CLK_TCK')


def hook_env(sql_dir, profile_file=None):
    """Environment of the gunicorn hooks (bench/gunicorn_hooks.py)."""
    from bench import gunicorn_hooks
    env = {gunicorn_hooks.SQL_ENV: sql_dir}
    if profile_file:
        env[gunicorn_hooks.PROFILE_ENV] = os.path.abspath(profile_file)
    return env


def start_ours(sql_dir, workers=2, profile_file=None, extra_config='',
               database_url=None):
    """The devserver fixture, started, with the benchmark's hooks."""
    # devserver passes its environment on to gunicorn, which reads extra
    # options from GUNICORN_CMD_ARGS: here the hooks file.
    added = dict(hook_env(sql_dir, profile_file), GUNICORN_CMD_ARGS=(
        f'--config {HOOKS} --pythonpath {TOOLS}'))
    saved = {k: os.environ.get(k) for k in added}
    os.environ.update(added)
    try:
        server = base.DevServer(extra_config=BENCH_CONFIG + extra_config,
                                workers=workers, database_url=database_url)
        server.setUp()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return server


def config_files(ours):
    return devserver.StateDir(
        ours.state_dir,
        [os.path.join(ours.state_dir, 'test-extra.conf')]).config_files()


class StockServer:
    """Stock keystone's public app on the devserver's state directory."""

    def __init__(self, ours, sql_dir, workers=2):
        self.port = smtp.free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.auth_url = self.url + '/v3'
        conf = os.path.join(ours.state_dir, 'stock.conf')
        with open(conf, 'w') as f:
            f.write(STOCK_CONFIG.format(url=self.url))
        env = dict(os.environ)
        env.pop('GUNICORN_CMD_ARGS', None)
        env.update(hook_env(sql_dir))
        env['OS_KEYSTONE_CONFIG_DIR'] = ours.state_dir
        env['OS_KEYSTONE_CONFIG_FILES'] = ';'.join(
            config_files(ours) + [conf])
        self.log_path = os.path.join(ours.state_dir, 'stock.log')
        self._log = open(self.log_path, 'wb')
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'gunicorn',
             *devserver._gunicorn_options(),
             '--bind', f'127.0.0.1:{self.port}', '--workers', str(workers),
             '--timeout', '120', '--pythonpath', TOOLS, '--config', HOOKS,
             '--name', 'keystone-stock-bench', 'bench.stock_wsgi:application'],
            env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_until_ready(self, timeout=180):
        process.wait_until(
            self.process,
            lambda: requests.get(self.auth_url, timeout=5).status_code == 200,
            'stock keystone', self.log_path, timeout)

    def log_tail(self, size=8000):
        return process.log_tail(self.log_path, size)

    def stop(self):
        process.stop(self.process)
        self._log.close()
