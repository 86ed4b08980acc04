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
"""A keystone server installs only requirements.txt; the rest are extras."""

import configparser
import os
import subprocess
import sys

import testtools

TOP = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
# Modules of the `client` and `devserver` extras (and pyotp, tests only).
EXTRAS_ONLY = ('openstackclient', 'osc_lib', 'gunicorn', 'aiosmtpd', 'pyotp')
# What keystone loads of ours: the WSGI extension, the auth methods, the
# options, policies and the manage command.
SERVER_MODULES = (
    'keystone_mfa_ext.wsgi.extension',
    'keystone_mfa_ext.auth.plugins.totp',
    'keystone_mfa_ext.auth.plugins.sndfa',
    'keystone_mfa_ext.auth.plugins.spassword',
    'keystone_mfa_ext.conf.opts',
    'keystone_mfa_ext.common.policies',
    'keystone_mfa_ext.cmd.manage',
)
_BLOCKED_IMPORT = '''
import sys


class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {blocked!r}:
            raise ImportError('not installed on a server: ' + name)


sys.meta_path.insert(0, Blocked())
for module in {modules!r}:
    __import__(module)
'''


def _names(lines):
    return {line.split('>')[0].split('<')[0].split('=')[0].strip().lower()
            for line in lines
            if line.strip() and not line.lstrip().startswith('#')}


class RequirementsTestCase(testtools.TestCase):

    def test_the_server_imports_nothing_of_the_extras(self):
        code = _BLOCKED_IMPORT.format(blocked=set(EXTRAS_ONLY),
                                      modules=SERVER_MODULES)
        done = subprocess.run([sys.executable, '-c', code], cwd=TOP,
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(0, done.returncode, done.stderr[-3000:])

    def test_requirements_txt_lists_no_client_or_devserver_package(self):
        with open(os.path.join(TOP, 'requirements.txt')) as f:
            server = _names(f)
        self.assertEqual(set(), server & {'python-openstackclient', 'osc-lib',
                                          'gunicorn', 'aiosmtpd', 'pyotp'})

    def test_the_extras_bring_the_cli_and_the_devserver(self):
        setup = configparser.ConfigParser()
        setup.read(os.path.join(TOP, 'setup.cfg'))
        client = _names(setup['extras']['client'].splitlines())
        devserver = _names(setup['extras']['devserver'].splitlines())
        self.assertLessEqual({'python-openstackclient', 'osc-lib'}, client)
        self.assertLessEqual({'gunicorn', 'aiosmtpd'} | client, devserver)
