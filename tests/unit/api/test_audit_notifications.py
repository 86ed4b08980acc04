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
"""Audit notifications of our resources, as keystone emits its own.

Each create, update and delete of a device, a set of recovery codes, a
provider, a domain policy and an MFA reset sends keystone's notification
(`identity.<type>.<operation>`) and its CADF event, with the request's
initiator.
"""

import fixtures
from keystone import notifications

from tests.unit.api import test_otp_devices


class _Audits(fixtures.Fixture):
    """Records keystone's notifications and CADF events, then sends them."""

    def _setUp(self):
        self.sent = {}
        self.cadf = {}
        self._record('_send_notification', self.sent,
                     lambda args, kwargs: kwargs['initiator'])
        self._record('_create_cadf_payload', self.cadf,
                     lambda args, kwargs: args[1])

    def _record(self, name, into, initiator_of):
        real = getattr(notifications, name)

        def record(operation, resource_type, resource_id, *args, **kwargs):
            into[operation, resource_type, resource_id] = initiator_of(
                args, kwargs)
            return real(operation, resource_type, resource_id, *args,
                        **kwargs)

        self.useFixture(fixtures.MockPatchObject(notifications, name,
                                                 record))


class AuditNotificationsTestCase(test_otp_devices._DeviceTestCase):

    def setUp(self):
        super().setUp()
        self.admin = self.token(self.system_admin, system=True)
        self.audits = self.useFixture(_Audits())

    def assertAudited(self, operation, resource_type, resource_id, actor):
        event = (operation, resource_type, resource_id)
        for sent in (self.audits.sent, self.audits.cadf):
            self.assertIn(event, sent)
            self.assertEqual(actor['id'], sent[event].user_id)

    def test_otp_device(self):
        dev = self.create().result['otp_device']
        self.assertAudited('created', 'otp_device', dev['id'], self.target)
        self.patch(f'{self.path}/{dev["id"]}', token=self.owner_token,
                   body={'otp_device': {'name': 'renamed'}})
        self.assertAudited('updated', 'otp_device', dev['id'], self.target)
        self.audits.sent.clear()
        self.audits.cadf.clear()
        self.verify(dev, self.otp_of(dev).at(self.ts))
        self.assertAudited('updated', 'otp_device', dev['id'], self.target)
        self.delete(f'{self.path}/{dev["id"]}', token=self.admin)
        self.assertAudited('deleted', 'otp_device', dev['id'],
                           self.system_admin)

    def test_recovery_codes(self):
        path = f'/users/{self.uid}/recovery_codes'
        self.post(path, token=self.owner_token)
        self.assertAudited('created', 'recovery_codes', self.uid,
                           self.target)
        self.delete(path, token=self.admin)
        self.assertAudited('deleted', 'recovery_codes', self.uid,
                           self.system_admin)

    def test_provider(self):
        provider = self.post('/mfa/providers', token=self.admin, body={
            'provider': {'name': 'otp', 'provider_name': 'totp'}},
        ).result['provider']
        path = f'/mfa/providers/{provider["id"]}'
        self.assertAudited('created', 'mfa_provider', provider['id'],
                           self.system_admin)
        self.patch(path, token=self.admin,
                   body={'provider': {'enabled': False}})
        self.assertAudited('updated', 'mfa_provider', provider['id'],
                           self.system_admin)
        self.delete(path, token=self.admin)
        self.assertAudited('deleted', 'mfa_provider', provider['id'],
                           self.system_admin)

    def test_domain_policy(self):
        self.put(f'/domains/{self.domain["id"]}/mfa/policy', token=self.admin,
                 body={'policy': {'enforcement': 'optional'}},
                 expected_status=200)
        self.assertAudited('updated', 'mfa_policy', self.domain['id'],
                           self.system_admin)

    def test_reset(self):
        self.delete(f'/users/{self.uid}/mfa', token=self.admin)
        self.assertAudited('deleted', 'user_mfa', self.uid,
                           self.system_admin)
