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

from keystone.tests.unit import test_v3

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
