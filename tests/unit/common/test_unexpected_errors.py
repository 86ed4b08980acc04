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
"""An unexpected error: keystone's 500, and a log line to find the bug by."""

import logging

import fixtures
import flask
from keystone.tests import unit

from keystone_mfa_ext.wsgi import errors

SECRET = '493817'


def _read_settings(settings):
    return settings[SECRET]   # a KeyError whose message is a value


class UnexpectedErrorTestCase(unit.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(level=logging.ERROR))
        self.app = flask.Flask(__name__)
        errors.register(self.app)

        @self.app.route('/v3/users/<user_id>/things', methods=['POST'])
        def things(user_id):
            return _read_settings({})

    def test_the_answer_is_keystones_500_and_the_log_says_where(self):
        r = self.app.test_client().post(f'/v3/users/{SECRET}/things')
        self.assertEqual(500, r.status_code)
        self.assertEqual(500, r.get_json()['error']['code'])
        line = self.log.output
        self.assertIn('Unexpected KeyError on POST '
                      '/v3/users/<user_id>/things, answered 500', line)
        self.assertIn('test_unexpected_errors.py:', line)
        self.assertIn(' _read_settings <- ', line)
        self.assertNotIn(SECRET, line)   # neither the path nor the message
