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
"""An unknown user or domain id tells a refused caller nothing.

As keystone's own /v3/users/{user_id} and /v3/domains/{domain_id}: a
caller the policy refuses gets the same 403 whether the id exists or not;
only a caller the policy lets through gets the 404.
"""

import http.client
import uuid

from tests.unit import base

FORBIDDEN, NOT_FOUND = http.client.FORBIDDEN, http.client.NOT_FOUND

# (method, path under /v3/users/{user_id}, body) for every route of ours
# that needs a token. The mail-link routes take none and are not here.
USER_ROUTES = [
    ('GET', '/otp_devices', None),
    ('POST', '/otp_devices', {'otp_device': {'name': 'phone'}}),
    ('GET', '/otp_devices/{other}', None),
    ('PATCH', '/otp_devices/{other}', {'otp_device': {'name': 'tablet'}}),
    ('DELETE', '/otp_devices/{other}', None),
    ('POST', '/otp_devices/{other}/verify', {'verify': {'code': '123456'}}),
    ('POST', '/recovery_codes', None),
    ('GET', '/recovery_codes', None),
    ('DELETE', '/recovery_codes', None),
    ('GET', '/mfa', None),
    ('PATCH', '/mfa', {'mfa': {'enabled': True}}),
    ('PATCH', '/mfa', {'mfa': {'unlock': True, 'enabled': False}}),
    ('DELETE', '/mfa', None),
    ('GET', '/checkemail', None),
    ('GET', '/sndfa', None),
    ('POST', '/sndfa', {'enable': True}),
    ('POST', '/sndfa', {'enable': False}),
    ('GET', '/mfa/attempts', None),
    ('GET', '/mfa/attempts/{other}', None),
]

# (method, path under /v3/domains/{domain_id}, body).
DOMAIN_ROUTES = [
    ('GET', '/mfa/policy', None),
    ('PUT', '/mfa/policy', {'policy': {'enforcement': 'optional'}}),
    ('GET', '/mfa/attempts', None),
    ('GET', '/mfa/attempts/{other}', None),
    ('GET', '/mfa/providers', None),
    ('POST', '/mfa/providers', {'provider': {'type': 'totp'}}),
    ('GET', '/mfa/providers/{other}', None),
    ('PATCH', '/mfa/providers/{other}', {'provider': {'enabled': False}}),
    ('DELETE', '/mfa/providers/{other}', None),
]


class UnknownIdsTestCase(base.TOTPRestfulTestCase, base.PersonasMixin):

    def setUp(self):
        super().setUp()
        self.setup_personas()
        # A member of a project of her own, in another domain: no business
        # with self.target, nor with any id that names no one.
        self.outsider = self.new_user(self.other_domain['id'])
        outsider_project = self.new_project(self.other_domain['id'])
        self.grant('member', self.outsider, project=outsider_project)
        self.outsider_token = self.token(
            self.outsider, project_id=outsider_project['id'])
        self.system_admin_token = self.token(self.system_admin, system=True)
        self.unknown = uuid.uuid4().hex

    def answers(self, prefix, routes, token):
        """{(method, path): (status, error message)} for every route."""
        got = {}
        for method, path, body in routes:
            r = self.v3_request(
                path=prefix + path.format(other=uuid.uuid4().hex),
                method=method, body=body, token=token, expected_status='*')
            message = (r.result or {}).get('error', {}).get('message', '')
            got[(method, path, str(body))] = (r.status_code, message)
        return got

    def assertAllStatus(self, status, answers):
        self.assertEqual({route: status for route in answers},
                         {route: code for route, (code, _) in answers.items()})

    def test_outsider_gets_403_for_unknown_and_existing_users(self):
        for user_id in (self.unknown, self.target['id']):
            self.assertAllStatus(FORBIDDEN, self.answers(
                f'/users/{user_id}', USER_ROUTES, self.outsider_token))

    def test_system_admin_gets_404_naming_the_unknown_user(self):
        answers = self.answers(f'/users/{self.unknown}', USER_ROUTES,
                               self.system_admin_token)
        self.assertAllStatus(NOT_FOUND, answers)
        for _, message in answers.values():
            self.assertIn(f'Could not find user: {self.unknown}', message)

    def test_outsider_gets_403_for_unknown_and_existing_domains(self):
        for domain_id in (self.unknown, self.domain['id']):
            self.assertAllStatus(FORBIDDEN, self.answers(
                f'/domains/{domain_id}', DOMAIN_ROUTES, self.outsider_token))

    def test_system_admin_gets_404_naming_the_unknown_domain(self):
        answers = self.answers(f'/domains/{self.unknown}', DOMAIN_ROUTES,
                               self.system_admin_token)
        self.assertAllStatus(NOT_FOUND, answers)
        for _, message in answers.values():
            self.assertIn(f'Could not find domain: {self.unknown}', message)

    def test_keystone_answers_its_own_routes_the_same_way(self):
        """What the routes above copy: keystone's GET user and domain."""
        for path in (f'/users/{self.unknown}', f'/domains/{self.unknown}'):
            self.get(path, token=self.outsider_token,
                     expected_status=FORBIDDEN)
            self.get(path, token=self.system_admin_token,
                     expected_status=NOT_FOUND)
