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
"""Keystone's own tests of the totp method, MFA rules and auth receipts.

Run against keystone with this extension wired in (`[auth] totp =
mfa_ext`, our tables, our WSGI extension), so that keystone's expectations
of its totp method hold for our driver too. See test_keystone_totp.
"""

from importlib import metadata
import os
import unittest

# The keystone series whose tests test_keystone_totp selects and counts.
SERIES = 30


def keystone_version():
    return metadata.version('keystone')


class OtherSeriesTestCase(unittest.TestCase):
    """What runs instead on another keystone series: a visible skip."""

    def test_keystone_suite(self):
        self.skipTest(
            f'keystone {keystone_version()}: this suite selects keystone '
            f'{SERIES}\'s own tests (another series has other ones); '
            f'tools/release-matrix.sh tests the extension on this release')


def load_tests(loader, standard_tests, pattern):
    """The suite on keystone 30; one skip, with its reason, on others."""
    suite = loader.suiteClass()
    if keystone_version().split('.')[0] == str(SERIES):
        suite.addTests(loader.discover(start_dir=os.path.dirname(__file__),
                                       pattern=pattern or 'test*.py'))
    else:
        suite.addTests(loader.loadTestsFromTestCase(OtherSeriesTestCase))
    return suite
