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
"""Recovery mails go through a bounded pool, the answer stays the same."""

from concurrent import futures
import http.client
import threading

import fixtures

from keystone_mfa_ext.api import spassword as spassword_api
from keystone_mfa_ext.password_recovery import core as password_recovery
from tests.unit.api import test_spassword


class RecoveryMailerTestCase(test_spassword._EmailTestCase):

    def setUp(self):
        super().setUp()
        self.checkemail()
        self.post_link(self.link_path(), http.client.OK)
        self.sent_before = len(self.smtp.messages)

    def recover(self):
        r = self.post(f'/users/{self.uid}/recover_password',
                      noauth=True, expected_status=http.client.ACCEPTED)
        self.assertEqual(spassword_api.RECOVER_ANSWER, r.result)

    def test_a_request_mails_through_the_pool(self):
        future = password_recovery.request_reset(self.uid, '127.0.0.1')
        futures.wait([future], timeout=30)
        self.assertEqual(self.sent_before + 1, len(self.smtp.messages))
        self.assertIn('/reset_password/', self.mails()[-1])

    def test_a_full_backlog_drops_the_mail_not_the_answer(self):
        self.useFixture(fixtures.MockPatchObject(
            password_recovery, '_pending', threading.BoundedSemaphore(1)))
        password_recovery._pending.acquire()   # the backlog is full
        submit = self.useFixture(fixtures.MockPatchObject(
            password_recovery.MAILER, 'submit')).mock
        self.recover()
        submit.assert_not_called()
        self.assertEqual(self.sent_before, len(self.smtp.messages))

    def test_the_pool_is_bounded(self):
        self.assertEqual(password_recovery.MAX_WORKERS,
                         password_recovery.MAILER._max_workers)
