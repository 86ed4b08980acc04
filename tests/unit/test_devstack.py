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
"""The DevStack plugin: lint, and the keystone.conf its functions write.

DevStack itself is not run: its ini helpers are replaced by a configparser
tool and the plugin's lib/ is sourced by a real bash.
"""

import configparser
import glob
import os
import subprocess
import sys

import fixtures
import testtools

from tests import utils

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
INI_TOOL = os.path.join(TOP, 'tests', 'devstack_ini.py')
PRELUDE = f'''
set -eu
iniget() {{ "{sys.executable}" "{INI_TOOL}" get "$@"; }}
iniset() {{ "{sys.executable}" "{INI_TOOL}" set "$@"; }}
inidelete() {{ "{sys.executable}" "{INI_TOOL}" delete "$@"; }}
define_plugin() {{ :; }}
enable_service() {{ :; }}
trueorfalse() {{
    local v="${{!2:-$1}}"
    [[ "$v" =~ ^(True|true|1|yes)$ ]] && echo True || echo False
}}
DEST=/opt/stack
source "{TOP}/devstack/settings"
source "{TOP}/devstack/lib/keystone-mfa-ext"
'''


class BashateTestCase(testtools.TestCase):

    def test_every_script_passes_bashate(self):
        scripts = [os.path.join(TOP, p) for p in (
            'devstack/plugin.sh', 'devstack/lib/keystone-mfa-ext',
            '.ci/run')] + glob.glob(os.path.join(TOP, 'tools', '*.sh'))
        utils.run_script('bashate', '-i', 'E006', *scripts)
        # DevStack's settings files are sourced, never executed.
        utils.run_script('bashate', '-i', 'E005,E006',
                         os.path.join(TOP, 'devstack', 'settings'))


class PluginConfigTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.conf = os.path.join(self.tmp, 'keystone.conf')
        self.uwsgi = os.path.join(self.tmp, 'keystone-uwsgi-public.ini')

    def run_lib(self, commands, **env):
        environ = dict(os.environ, **env)
        subprocess.run(['bash', '-c', PRELUDE + commands], check=True,
                       env=environ, capture_output=True, text=True)

    def read(self, path):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path)
        return parser

    def write(self, path, text):
        with open(path, 'w') as f:
            f.write(text)

    def test_fresh_keystone_conf(self):
        self.run_lib(f'configure_keystone_mfa_ext {self.conf}')
        conf = self.read(self.conf)
        self.assertEqual(
            'external,password,token,oauth1,mapped,application_credential,'
            'ec2credential,totp,sndfa', conf['auth']['methods'])
        self.assertEqual('mfa_ext', conf['auth']['totp'])
        self.assertEqual('sndfa',
                         conf['auth']['additional_primary_auth_methods'])
        self.assertEqual('log', conf['spassword']['mail_driver'])

    def test_existing_methods_keep_their_order_and_twice_is_once(self):
        self.write(self.conf, '[auth]\nmethods = password,totp,token\n'
                              '[DEFAULT]\ndebug = true\n')
        self.run_lib(f'configure_keystone_mfa_ext {self.conf}; '
                     f'configure_keystone_mfa_ext {self.conf}')
        conf = self.read(self.conf)
        self.assertEqual('password,totp,token,sndfa', conf['auth']['methods'])
        self.assertEqual('true', conf['DEFAULT']['debug'])

    def test_smtp_and_fiware_settings(self):
        self.run_lib(f'configure_keystone_mfa_ext {self.conf}',
                     KEYSTONE_MFA_EXT_MAIL_DRIVER='smtp',
                     KEYSTONE_MFA_EXT_SMTP_SERVER='mail.example.org',
                     KEYSTONE_MFA_EXT_FIWARE_MODE='True')
        conf = self.read(self.conf)
        self.assertEqual('smtp', conf['spassword']['mail_driver'])
        self.assertEqual('mail.example.org', conf['spassword']['smtp_server'])
        self.assertEqual('spassword', conf['auth']['password'])
        self.assertEqual('True', conf['spassword']['sndfa'])

    def test_uwsgi_serves_our_module(self):
        self.write(self.uwsgi, '[uwsgi]\nwsgi-file = /usr/local/bin/'
                               'keystone-wsgi-public\nprocesses = 2\n')
        self.run_lib(f'configure_keystone_mfa_ext_wsgi {self.uwsgi}')
        uwsgi = self.read(self.uwsgi)['uwsgi']
        self.assertNotIn('wsgi-file', uwsgi)
        self.assertEqual('keystone_mfa_ext.wsgi.api:application',
                         uwsgi['module'])
        self.assertEqual('2', uwsgi['processes'])

    def test_the_written_conf_is_one_keystone_and_we_accept(self):
        self.run_lib(f'configure_keystone_mfa_ext {self.conf}')
        with open(self.conf, 'a') as f:
            f.write(f'[database]\nconnection = sqlite:///{self.tmp}/k.db\n')
        utils.run_script('keystone-mfa-ext-manage', '--config-file',
                         self.conf, 'db_sync')
