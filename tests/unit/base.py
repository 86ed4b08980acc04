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
"""Test bases built on keystone's own fixtures (no mocks of keystone)."""

import datetime
import http.client
import json
import time

from keystone.tests.unit import test_v3
from oslo_utils import timeutils

from keystone_mfa_ext import api
from keystone_mfa_ext.common import policy
from keystone_mfa_ext.common.sql import migration


class RestfulTestCase(test_v3.RestfulTestCase):
    """keystone's v3 REST test case with the extension's APIs and tables.

    The app is keystone's own test app with our blueprints registered the
    way keystone_mfa_ext.wsgi.api does it; our tables are created by our
    real migrations on keystone's test database.
    """

    def setUp(self):
        super().setUp()
        migration.db_sync()

    def loadapp(self, name='public'):
        app = super().loadapp(name=name)
        policy.setup()
        return api.register_apis(app)


class TOTPRestfulTestCase(RestfulTestCase):
    """keystone with `[auth] totp = mfa_ext` and a frozen, steppable clock."""

    METHODS = ['external', 'password', 'token', 'application_credential',
               'totp']

    def auth_plugin_config_override(self, methods=None, **method_classes):
        method_classes.setdefault('totp', 'mfa_ext')
        super().auth_plugin_config_override(
            methods=methods or self.METHODS, **method_classes)

    def setUp(self):
        super().setUp()
        # Near real time (fernet tokens carry real timestamps), at the start
        # of a 30 s step so a test controls which window it is in.
        start = int(time.time()) // 60 * 60 + 60
        self.now = datetime.datetime.fromtimestamp(start, datetime.UTC)
        self.set_clock(0)
        self.addCleanup(timeutils.clear_time_override)

    def set_clock(self, seconds):
        """Move the frozen clock to `seconds` after the test's start."""
        moment = self.now + datetime.timedelta(seconds=seconds)
        timeutils.set_time_override(moment.replace(tzinfo=None))
        return moment.timestamp()

    @property
    def ts(self):
        return timeutils.utcnow_ts(microsecond=True)

    @staticmethod
    def totp_auth(user_id, passcode):
        return {'auth': {'identity': {
            'methods': ['totp'],
            'totp': {'user': {'id': user_id, 'passcode': passcode}}}}}

    @staticmethod
    def password_auth(user_id, password):
        return {'auth': {'identity': {
            'methods': ['password'],
            'password': {'user': {'id': user_id, 'password': password}}}}}

    def issue(self, body, expected_status=http.client.CREATED, headers=None):
        """POST /v3/auth/tokens; a 401 may be an error or a receipt."""
        headers = dict(headers or {})
        headers['Content-Type'] = 'application/json'
        response = self.admin_request(
            method='POST', path='/v3/auth/tokens',
            body=json.dumps(body).encode(), headers=headers,
            expected_status=expected_status, convert=False)
        response.result = response.json
        return response
