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

import json
import os
import time

import pyotp

from tests.functional import base
from tests import qr
from tests import utils


class MFACommandsTestCase(base.FunctionalTestCase):

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

    def openstack(self, *args, check=True):
        return utils.run_script('openstack', *args, check=check,
                                env=self.env)

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
        listed = json.loads(self.openstack(
            *auth, 'mfa', 'otp', 'device', 'list', '-f', 'json').stdout)
        self.assertEqual([True], [d['verified'] for d in listed])
        state = json.loads(self.openstack(*auth, 'mfa', 'set', '--enable',
                                          '-f', 'json').stdout)
        self.assertEqual([['password', 'totp']], state['rules'])

        # One factor is no longer enough; both in one command are.
        self.assertNotEqual(0, self.openstack(*auth, 'token', 'issue',
                                              check=False).returncode)
        mfa = ['--os-auth-type', 'v3multifactor',
               '--os-auth-methods', 'v3password,v3totp',
               # the next step's code: the verification used this one
               '--os-passcode', phone.at(time.time() + phone.interval)]
        out = self.openstack(*mfa, 'token', 'issue', '-f', 'value',
                             '-c', 'user_id')
        self.assertEqual(self.user['id'], out.stdout.strip())

        system_admin = {k: v for k, v in self.env.items()
                        if not k.startswith('OS_')}
        system_admin.update(
            OS_AUTH_URL=self.server.auth_url, OS_USERNAME='admin',
            OS_USER_DOMAIN_ID='default', OS_SYSTEM_SCOPE='all',
            OS_PASSWORD=self.server.admin_password,
            OS_IDENTITY_API_VERSION='3')
        attempts = json.loads(utils.run_script(
            'openstack', 'mfa', 'attempt', 'list', '--user',
            self.user['id'], '--status', 'success', '-f', 'json',
            env=system_admin).stdout)
        self.assertEqual({'totp'}, {a['method'] for a in attempts})
