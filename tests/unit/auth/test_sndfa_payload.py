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
"""sndfa and totp payloads with a NUL, while a grace period is running.

PostgreSQL cannot compare text with a NUL: looking such an id or name up
was a 500 there, in the method and in the login hook (which reads every
payload while any enrollment grace period runs).
"""

import http.client

from keystone.common import provider_api

from tests.unit.api import test_spassword

PROVIDERS = provider_api.ProviderAPIs


class NulInPayloadTestCase(test_spassword._EmailTestCase):

    def setUp(self):
        super().setUp()
        self.enable_sndfa()
        admin = self.token(self.system_admin, system=True)
        domain = self.new_domain()
        self.new_user(domain['id'])
        self.put(f'/domains/{domain["id"]}/mfa/policy', token=admin,
                 body={'policy': {'enforcement': 'required',
                                  'rules': [['password', 'totp']],
                                  'grace_period_days': 7}},
                 expected_status=http.client.OK)
        self.name = self.target['name']
        self.domain_id = self.target['domain_id']
        self.domain_name = PROVIDERS.resource_api.get_domain(
            self.domain_id)['name']

    def users(self):
        """(user object with a NUL, the field the 400 names)."""
        return (
            ({'id': 'a\x00b'}, 'user/id'),
            ({'id': self.uid + '\x00'}, 'user/id'),
            ({'name': self.name + '\x00', 'domain': {'id': self.domain_id}},
             'user/name'),
            ({'name': self.name, 'domain': {'id': '\x00'}},
             'user/domain/id'),
            ({'name': self.name, 'domain': {'name': 'a\x00b'}},
             'user/domain/name'),
            ({'name': self.name,
              'domain': {'name': self.domain_name + '\x00'}},
             'user/domain/name'),
        )

    def assert_400(self, method, payload, field):
        body = {'auth': {'identity': {'methods': [method], method: payload}}}
        r = self.issue(body, expected_status=http.client.BAD_REQUEST)
        self.assertEqual(http.client.BAD_REQUEST, r.result['error']['code'])
        self.assertEqual(f"Invalid input for field '{field}'.",
                         r.result['error']['message'])

    def test_sndfa(self):
        for user, field in self.users():
            self.assert_400('sndfa', {'user': user}, field)
            self.assert_400('sndfa', {'user': user, 'code': '123456'}, field)
        self.assertEqual([], self.smtp.messages[1:])   # the verify mail only

    def test_totp(self):
        for user, field in self.users():
            self.assert_400('totp', {'user': dict(user, passcode='123456')},
                            field)
            self.assert_400('totp', {'user': user, 'passcode': '123456'},
                            field)
