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
"""The foundation end to end: a real keystone, real clients, real SMTP."""

from email import message as email_message
import json
import os
import smtplib
import subprocess
import sys
import textwrap

import openstack

from keystone_mfa_ext import auth
from tests.functional import base

REL = ('https://docs.openstack.org/api/openstack-identity/3/ext/'
       'MFA-EXT/1.0/rel/mfa')
ETC = os.path.join(os.path.dirname(__file__), '..', '..', 'etc')


class MFAInfoTestCase(base.FunctionalTestCase):

    def test_keystoneauth1_token_gets_version_and_loaded_methods(self):
        sess = self.server.session()
        r = sess.get('/mfa', endpoint_filter={'service_type': 'identity',
                                              'interface': 'public'})
        self.assertEqual(200, r.status_code)
        info = r.json()['mfa']
        self.assertEqual([m for m, _d in auth.extension_methods()],
                         info['methods'])
        self.assertEqual(self.server.auth_url + '/mfa', info['links']['self'])

    def test_system_scoped_token_is_accepted_too(self):
        sess = self.server.session(system_scope='all')
        r = self.server.get('/mfa', token=sess.get_token())
        self.assertEqual(200, r.status_code)

    def test_no_token_is_401_in_keystones_error_format(self):
        r = self.server.get('/mfa')
        self.assertEqual(401, r.status_code)
        self.assertEqual({'code', 'title', 'message'},
                         set(r.json()['error']))
        self.assertIn('WWW-Authenticate', r.headers)

    def test_invalid_token_is_401(self):
        r = self.server.get('/mfa', token='not-a-token')
        self.assertEqual(401, r.status_code)

    def test_listed_in_json_home(self):
        r = self.server.get('', headers={'Accept': 'application/json-home'})
        self.assertEqual('/mfa', r.json()['resources'][REL]['href'])

    def test_openstacksdk_reaches_it(self):
        conn = openstack.connect(
            auth_url=self.server.auth_url, username='admin',
            password=self.server.admin_password, project_name='admin',
            user_domain_id='default', project_domain_id='default',
            identity_api_version='3')
        self.addCleanup(conn.close)
        r = conn.identity.get('/mfa')
        self.assertEqual(200, r.status_code)
        self.assertIn('version', r.json()['mfa'])

    def test_openstack_cli_issues_a_token(self):
        out = self.server.openstack('token', 'issue', '-f', 'json').stdout
        self.assertTrue(json.loads(out)['id'])


class MailSinkTestCase(base.FunctionalTestCase):

    def test_sink_stores_what_it_receives(self):
        msg = email_message.EmailMessage()
        msg['From'] = 'keystone@localhost'
        msg['To'] = 'sink-test@example.org'
        msg['Subject'] = 'hello'
        msg.set_content('body')
        with smtplib.SMTP('127.0.0.1', self.server.smtp_port,
                          timeout=10) as s:
            s.send_message(msg)
        [got] = self.server.wait_for_mail('sink-test@example.org')
        self.assertEqual('hello', got['Subject'])


class PasteDeployTestCase(base.FunctionalTestCase):

    def test_paste_ini_builds_the_same_application(self):
        # A fresh interpreter, as a paste-loading WSGI container would be.
        code = textwrap.dedent('''
            import sys
            from paste.deploy import loadapp
            from werkzeug.test import Client
            app = loadapp('config:' + sys.argv[1])
            r = Client(app).get('/v3/mfa')
            print(r.status_code, r.get_json()['error']['code'])
        ''')
        env = dict(os.environ,
                   OS_KEYSTONE_CONFIG_DIR=self.server.state_dir,
                   OS_KEYSTONE_CONFIG_FILES='keystone.conf;devserver.conf')
        ini = os.path.abspath(os.path.join(ETC, 'keystone-mfa-ext-paste.ini'))
        out = subprocess.run([sys.executable, '-c', code, ini], env=env,
                             capture_output=True, text=True, check=True)
        self.assertEqual('401 401', out.stdout.strip().splitlines()[-1])
