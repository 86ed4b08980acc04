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
"""keystone's cache on, shared by two nodes: no node decides on stale data.

Two keystone nodes (gunicorn, 2 workers each) on one MariaDB database, with
keystone's cache on one real memcached, as production runs. Each test lets
node B log the user in first (so B's processes have read and cached what
they need), changes one thing through node A, and checks that B's very
next login follows the change.
"""

import secrets
import time
import urllib.parse

import fixtures
import pyotp
import requests
import testtools

from tests import db
from tests.functional import totp_helpers
from tests import memcached

RECEIPT = 'Openstack-Auth-Receipt'
# Cheap password hashes: the nodes run on 2 CPUs.
EXTRA_CONFIG = '[identity]\npassword_hash_rounds = 4\n'


class _CachedNodes(fixtures.Fixture):
    """memcached, then two keystone nodes on it and one MariaDB database."""

    def _setUp(self):
        cache = self.useFixture(memcached.Memcached())
        self.nodes = self.useFixture(totp_helpers.SharedDatabaseKeystones(
            count=2, extra_config=cache.keystone_conf() + EXTRA_CONFIG,
        )).servers


def shared_nodes():
    return totp_helpers.shared('cache-nodes', _CachedNodes)


class CacheAcrossNodesTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        try:
            self.a, self.b = shared_nodes().nodes
        except (db.Unavailable, memcached.Unavailable) as e:
            self.skipTest(str(e))
        self.admin = self.a.adapter(
            self.a.session(system_scope='all'))
        self.domain = self.admin.post('/domains', json={'domain': {
            'name': 'd-' + secrets.token_hex(4)}}).json()['domain']
        self.addCleanup(self.admin.delete, f'/domains/{self.domain["id"]}')
        self.addCleanup(self.admin.patch, f'/domains/{self.domain["id"]}',
                        json={'domain': {'enabled': False}})

    # --- helpers ---------------------------------------------------------
    def login(self, node, body):
        return requests.post(node.auth_url + '/auth/tokens', json=body,
                             timeout=60)

    @staticmethod
    def password(user):
        return {'auth': {'identity': {'methods': ['password'], 'password': {
            'user': {'id': user['id'], 'password': user['password']}}}}}

    @staticmethod
    def passcode(user, step_offset=0):
        """The phone's code of the current step + `step_offset`."""
        phone = user['phone']
        return phone.at(time.time() + step_offset * phone.interval)

    def code(self, user, step_offset=0):
        """totp alone, with that code."""
        return totp_helpers.totp_body(user['id'],
                                      self.passcode(user, step_offset))

    def user_with_phone(self):
        """A user of this test's domain with a verified OTP device."""
        user = self.a.create_user(domain_id=self.domain['id'])
        path = f'/users/{user["id"]}/otp_devices'
        device = self.admin.post(path, json={'otp_device': {
            'name': 'phone'}}).json()['otp_device']
        query = urllib.parse.urlparse(device['key_uri']).query
        user['phone'] = pyotp.TOTP(
            urllib.parse.parse_qs(query)['secret'][0])
        user['device_id'] = device['id']
        # Verified with the previous step's code (within the past window),
        # which uses that step up: the current and the next step stay for
        # the logins before and after the change.
        self.admin.post(f'{path}/{device["id"]}/verify', json={'verify': {
            'code': self.passcode(user, -1)}})
        return user

    def assertStatus(self, status, response):
        self.assertEqual(status, response.status_code, response.text)

    # --- the decisions ---------------------------------------------------
    def test_a_device_deleted_on_a_stops_working_on_b(self):
        user = self.user_with_phone()
        self.assertStatus(201, self.login(self.b, self.code(user)))
        self.admin.delete(f'/users/{user["id"]}/otp_devices/'
                          f'{user["device_id"]}')
        # The next step's code, within the future window: valid had the
        # device stayed.
        self.assertStatus(401, self.login(self.b, self.code(user, 1)))

    def test_mfa_switched_on_and_off_on_a_applies_on_b(self):
        user = self.user_with_phone()
        self.assertStatus(201, self.login(self.b, self.password(user)))
        mfa = f'/users/{user["id"]}/mfa'
        self.admin.patch(mfa, json={'mfa': {'enabled': True}})
        r = self.login(self.b, self.password(user))
        self.assertStatus(401, r)
        self.assertIn(RECEIPT, r.headers)
        self.admin.patch(mfa, json={'mfa': {'enabled': False}})
        self.assertStatus(201, self.login(self.b, self.password(user)))

    def test_a_provider_disabled_on_a_refuses_on_b(self):
        user = self.user_with_phone()
        self.assertStatus(201, self.login(self.b, self.code(user)))
        self.admin.post(f'/domains/{self.domain["id"]}/mfa/providers',
                        json={'provider': {
                            'name': 'off', 'provider_name': 'totp',
                            'enabled': False, 'settings': {}}})
        self.assertStatus(401, self.login(self.b, self.code(user, 1)))

    def test_a_domain_policy_set_on_a_applies_on_b(self):
        user = self.user_with_phone()
        self.assertStatus(201, self.login(self.b, self.password(user)))
        self.admin.put(f'/domains/{self.domain["id"]}/mfa/policy',
                       json={'policy': {'enforcement': 'required',
                                        'rules': [['password', 'totp']],
                                        'grace_period_days': 0}})
        r = self.login(self.b, self.password(user))
        self.assertStatus(401, r)
        self.assertIn(RECEIPT, r.headers)
