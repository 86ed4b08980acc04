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
"""A development Horizon with this plugin, for tools/dashboard.sh and tests.

`install` does to a Horizon environment what doc/dashboard.md tells an
operator to do: copy the enabled/ files into
openstack_dashboard/local/enabled/ and write a local_settings.py (this one
reads the keystone URL from the environment, so one install serves any
devserver). `main` runs Django's development server on loopback.
"""

import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
URL_ENV = 'MFA_DASHBOARD_KEYSTONE_URL'
DEV_DEFAULT = '_3001_mfa_dev_identity_default.py'

LOCAL_SETTINGS = '''\
# Written by keystone_mfa_dashboard.devhorizon: development only.
import os

from keystone_mfa_dashboard import conf as mfa_conf

DEBUG = True
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
SECRET_KEY = os.environ.get('MFA_DASHBOARD_SECRET_KEY') or 'dev-only-secret'
OPENSTACK_KEYSTONE_URL = os.environ.get(%(url_env)r,
                                        'http://127.0.0.1:5000/v3')
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
# Sessions (and so the user's token) stay on the server.
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
# One process (runserver): a local-memory cache big enough that Horizon's
# compressed assets never push sessions out.
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    'OPTIONS': {'MAX_ENTRIES': 100000}}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# keystone-mfa-ext: Horizon's TOTP step, our email-code step.
OPENSTACK_KEYSTONE_MFA_TOTP_ENABLED = True
AUTHENTICATION_PLUGINS = [
    'keystone_mfa_dashboard.login.SndfaPasswordPlugin',
    'keystone_mfa_dashboard.login.SndfaReceiptPlugin',
    'openstack_auth.plugin.totp.TotpPlugin',
    'openstack_auth.plugin.token.TokenPlugin',
]
POLICY_DIRS = {'identity': [mfa_conf.POLICY_DIR]}
# No other services in the devserver's catalog.
OPENSTACK_HYPERVISOR_FEATURES = {}
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'WARNING'},
}
'''


def dashboard_dir():
    import openstack_dashboard
    return os.path.dirname(os.path.abspath(openstack_dashboard.__file__))


def install():
    """Enable the plugin in this environment's openstack_dashboard."""
    local = os.path.join(dashboard_dir(), 'local')
    enabled = os.path.join(HERE, 'enabled')
    for name in sorted(os.listdir(enabled)):
        if name.startswith('_') and name.endswith('.py') and name[1].isdigit():
            shutil.copy(os.path.join(enabled, name),
                        os.path.join(local, 'enabled', name))
    # keystone is the only service of the devserver's catalog: start on the
    # Identity dashboard (the Project one needs nova, neutron, ...).
    with open(os.path.join(local, 'enabled', DEV_DEFAULT), 'w') as f:
        f.write("DASHBOARD = 'identity'\nDEFAULT = True\n")
    with open(os.path.join(local, 'local_settings.py'), 'w') as f:
        f.write(LOCAL_SETTINGS % {'url_env': URL_ENV})
    return local


def command(port, keystone_url):
    """argv and environment of the development server."""
    env = dict(os.environ,
               DJANGO_SETTINGS_MODULE='openstack_dashboard.settings')
    env[URL_ENV] = keystone_url
    argv = [sys.executable, '-m', 'django', 'runserver', '--noreload',
            '--skip-checks',
            f'127.0.0.1:{port}']
    return argv, env


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--port', type=int, default=8080)
    parser.add_argument('--keystone-url', default='http://127.0.0.1:5000/v3')
    args = parser.parse_args(argv)
    install()
    cmd, env = command(args.port, args.keystone_url)
    print(f'Horizon with keystone-mfa-ext: http://127.0.0.1:{args.port}/ '
          f'(keystone {args.keystone_url}); log in as admin or demo.',
          flush=True)
    return subprocess.call(cmd, env=env)


if __name__ == '__main__':
    sys.exit(main())
