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
"""Helpers of tools/release-matrix.sh, run with a release's venv.

    python tools/release_matrix.py functional --backend postgresql \
        [--exclude REGEX] --subunit OUT TEST_ID...
        Functional tests whose shared devservers (tests.functional.base.
        shared_server) run on a throw-away database of that server, one
        per server configuration, instead of SQLite; a subunit v2 stream
        of the results goes to OUT.
    python tools/release_matrix.py report --label LABEL STREAM...
        The failed tests of the subunit streams with their tracebacks
        (keystone's captured logging left out), then one line
        "LABEL: N passed, N failed, N skipped"; exit status 1 on a failure
        or when no test ran.
"""

import argparse
import atexit
import os
import re
import sys
import unittest

import subunit
import testtools
from testtools import testsuite

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def functional(args):
    sys.path.insert(0, TOP)
    from tests import db
    from tests.functional import base

    databases = {}
    shared_server = base.shared_server

    def on_database(**kwargs):
        if 'database_url' not in kwargs:
            key = tuple(sorted(kwargs.items()))
            if key not in databases:
                url, drop = db.create_database(args.backend)
                # atexit runs last-in first-out: the server, registered by
                # shared_server after this, stops before its database goes.
                atexit.register(drop)
                databases[key] = url
            kwargs['database_url'] = databases[key]
        return shared_server(**kwargs)

    base.shared_server = on_database
    suite = unittest.TestLoader().loadTestsFromNames(args.tests)
    if args.exclude:
        suite = unittest.TestSuite(
            test for test in testsuite.iterate_tests(suite)
            if not re.search(args.exclude, test.id()))
    with open(args.subunit, 'wb') as out:
        result = testtools.ExtendedToStreamDecorator(
            subunit.StreamResultToBytes(out))
        result.startTestRun()
        try:
            suite.run(result)
        finally:
            result.stopTestRun()


def report(args):
    summary = testtools.StreamSummary()
    failed_details = {}

    class Tracebacks(testtools.StreamResult):
        def status(self, test_id=None, test_status=None, file_name=None,
                   file_bytes=None, **kwargs):
            if file_name == 'traceback' and file_bytes:
                failed_details.setdefault(test_id, []).append(
                    bytes(file_bytes).decode('utf-8', 'replace'))

    result = testtools.CopyStreamResult([summary, Tracebacks()])
    result.startTestRun()
    for path in args.streams:
        if not os.path.exists(path):
            continue
        with open(path, 'rb') as f:
            subunit.ByteStreamToStreamResult(
                f, non_subunit_name='stdout').run(result)
    result.stopTestRun()
    failed = summary.errors + summary.failures
    for test, _ in failed:
        print(f'FAILED: {test.id()}')
        for chunk in failed_details.get(test.id(), []):
            print(chunk, end='')
        print()
    skipped = len(summary.skipped)
    passed = summary.testsRun - len(failed) - skipped
    print(f'{args.label}: {passed} passed, {len(failed)} failed, '
          f'{skipped} skipped')
    return 1 if failed or not passed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    fn = sub.add_parser('functional')
    fn.add_argument('--backend', choices=('mysql', 'postgresql'),
                    required=True)
    fn.add_argument('--exclude', default='',
                    help='regular expression of test ids not to run')
    fn.add_argument('--subunit', required=True)
    fn.add_argument('tests', nargs='+')
    rp = sub.add_parser('report')
    rp.add_argument('--label', required=True)
    rp.add_argument('streams', nargs='+')
    args = parser.parse_args()
    if args.command == 'functional':
        functional(args)
        return 0
    return report(args)


if __name__ == '__main__':
    sys.exit(main())
