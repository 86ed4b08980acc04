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

import functools
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
        self.assertIn('(raised at common/test_unexpected_errors.py:', line)
        self.assertIn(' _read_settings', line)
        self.assertNotIn(SECRET, line)   # neither the path nor the message


def _function(name, filename, body):
    """A function whose frames say `filename`, as a module there would."""
    namespace = {}
    exec(compile(f'def {name}(call):\n    {body}\n', filename, 'exec'),
         namespace)
    return namespace[name]


class WhereRaisedTestCase(unit.BaseTestCase):

    def test_the_innermost_frame_then_keystones_and_ours(self):
        site = '/usr/lib/python3/site-packages'
        driver = _function('execute', f'{site}/pymysql/cursors.py',
                           'raise ValueError("493817")')
        library = _function('run', f'{site}/sqlalchemy/engine/base.py',
                            'call()')
        ours = _function('verify', f'{site}/keystone_mfa_ext/totp/core.py',
                         'call()')
        keystone = _function('authenticate', f'{site}/keystone/auth/core.py',
                             'call()')
        try:
            keystone(functools.partial(ours, functools.partial(
                library, functools.partial(driver, None))))
        except ValueError as e:
            where = errors.where_raised(e)
        self.assertEqual('pymysql/cursors.py:2 execute <- '
                         'totp/core.py:2 verify <- '
                         'auth/core.py:2 authenticate', where)
