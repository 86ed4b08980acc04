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
"""The pure parts of tools/bench.py: percentiles, ratios, targets, report.

The benchmark itself needs two real servers and minutes; these keep its
numbers and output from rotting unnoticed.
"""

import collections
import io
import json
import os
import sys
import time

import fixtures
import testtools

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'tools')
if TOOLS not in sys.path:
    sys.path.append(TOOLS)

from bench import cli  # noqa: E402
from bench import stats  # noqa: E402


class PercentileTestCase(testtools.TestCase):

    def test_linear_interpolation_like_numpy(self):
        values = [4, 1, 3, 2]   # unsorted on purpose
        self.assertEqual(1, stats.percentile(values, 0))
        self.assertEqual(2.5, stats.percentile(values, 50))
        self.assertAlmostEqual(3.85, stats.percentile(values, 95))
        self.assertEqual(4, stats.percentile(values, 100))

    def test_single_and_empty(self):
        self.assertEqual(7, stats.percentile([7], 99))
        self.assertIsNone(stats.percentile([], 50))


class SeriesTestCase(testtools.TestCase):

    def test_summary_counts_only_busy_wall_time(self):
        s = stats.Series('totp ours 1dev', 4)
        s.add_batch([0.1, 0.2], 0, 0.5, cpu=0.3)
        s.add_batch([0.3, 0.4], 1, 0.5, 'Unexpected: 401', cpu=0.3)
        s.add_batch([], 1, 0.0, 'later error')
        row = s.summary()
        self.assertEqual(4, row['n'])
        self.assertEqual(2, row['errors'])
        self.assertEqual(4.0, row['rps'])   # 4 ok requests in 1 s busy
        self.assertEqual(250.0, row['p50_ms'])
        self.assertEqual(385.0, row['p95_ms'])
        self.assertEqual('Unexpected: 401', row['first_error'])
        self.assertEqual(100.0, row['cpu_ms'])   # 0.6 s / 6 requests

    def test_empty_series_has_no_numbers(self):
        row = stats.Series('x', 1).summary()
        self.assertEqual((0, None, None, None),
                         (row['n'], row['rps'], row['p99_ms'],
                          row['cpu_ms']))


def _row(case, conc, rps, p50, p95=None, cpu=None):
    return {'case': case, 'concurrency': conc, 'n': 10, 'errors': 0,
            'rps': rps, 'p50_ms': p50, 'p95_ms': p95, 'p99_ms': p95,
            'cpu_ms': cpu}


class TargetsAndRatiosTestCase(testtools.TestCase):

    rows = [_row('totp built-in', 1, 4.0, 250, cpu=200),
            _row('totp ours cred', 1, 3.9, 255, cpu=206),
            _row('totp ours 1dev', 1, 3.8, 260, cpu=180),
            _row('totp ours 50dev', 1, 3.6, 280, cpu=200),
            _row('password ours', 1, 2.0, 500, cpu=400),
            _row('password+totp ours', 1, 1.9, 540, cpu=432),
            _row('GET user stock (floor)', 1, 50, 20),
            _row('device list', 1, 40, 25)]

    def test_ratio_targets_pass_and_fail(self):
        results = {r['target']: r for r in stats.evaluate_targets(
            self.rows, cli.targets('unscoped')) if r['concurrency'] == 1}
        cpu = results['ours totp CPU <= 1.05x built-in']
        self.assertEqual((1.03, True), (cpu['value'], cpu['met']))
        rps = results['ours totp rps >= 0.95x built-in']
        self.assertEqual((0.975, True), (rps['value'], rps['met']))
        devices = results['50 devices CPU <= 1.10x 1 device']
        self.assertEqual((1.111, False), (devices['value'], devices['met']))
        combined = results['password+totp CPU <= 1.05x password']
        self.assertEqual((1.08, False), (combined['value'], combined['met']))
        listing = results['device list p50 <= 1.2x GET user (floor)']
        self.assertEqual((1.25, False), (listing['value'], listing['met']))
        # A case that did not run is reported as unknown, never as met.
        self.assertIsNone(
            results['user mfa state p50 <= 1.2x GET user (floor)']['met'])

    def test_each_scope_has_its_login_targets(self):
        names = {t.name for t in cli.targets('both')}
        self.assertIn('ours totp CPU <= 1.05x built-in', names)
        self.assertIn(f'ours totp CPU <= 1.05x built-in{cli.PROJECT}', names)
        self.assertNotIn(f'ours totp CPU <= 1.05x built-in{cli.PROJECT}',
                         {t.name for t in cli.targets('unscoped')})

    def test_ratios_per_concurrency(self):
        found = stats.ratios(self.rows, cli.ratios_of('unscoped'))
        first = [r for r in found
                 if r['ratio'] == 'totp ours(1 device) / built-in']
        self.assertEqual([{'ratio': 'totp ours(1 device) / built-in',
                           'concurrency': 1, 'rps': 0.95, 'p50': 1.04,
                           'cpu': 0.9}],
                         first)


class ReportTestCase(testtools.TestCase):

    def report(self):
        rows = [_row('totp built-in', 1, 4.0, 250, 300),
                _row('totp ours 1dev', 1, 4.2, 240, 290),
                _row('totp ours cred', 1, 4.2, 240, 290)]
        rows[1]['first_error'] = 'Unexpected: 500'
        return {'results': rows,
                'ratios': stats.ratios(rows, cli.ratios_of('unscoped')),
                'targets': stats.evaluate_targets(
                    rows, cli.targets('unscoped')[1:2]),
                'sql': [{'case': 'totp ours 1dev', 'requests': 1,
                         'select': 7, 'insert': 1, 'update': 1, 'delete': 0,
                         'other': 0, 'begin': 4, 'commit': 1,
                         'rollback': 3}]}

    def test_table(self):
        text = stats.report_text(self.report())
        lines = text.splitlines()
        self.assertEqual(['case', 'concurrency', 'n', 'errors', 'rps',
                          'p50_ms', 'p95_ms', 'p99_ms', 'cpu_ms'],
                         [c.strip() for c in lines[0].strip('|').split('|')])
        self.assertEqual(['totp built-in', '1', '10', '0', '4', '250',
                          '300', '300', '-'],
                         [c.strip() for c in lines[2].strip('|').split('|')])
        self.assertIn('| totp ours(1 device) / built-in   | 1 ', text)
        self.assertIn('| 1.05  | 0.95  | yes |', text)
        self.assertIn('| totp ours 1dev | 1        | 7      | 1      | 1 ',
                      text)
        self.assertIn('first error of totp ours 1dev c1: Unexpected: 500',
                      text)

    def test_json_round_trips(self):
        report = self.report()
        self.assertEqual(report, json.loads(stats.report_json(report)))

    def test_quick_is_the_default_and_bounded(self):
        args = cli.parse_args([])
        self.assertEqual((1000, [1, 10, 50], [1, 4]),
                         (args.users, args.devices, args.concurrency))
        self.assertLessEqual(args.time_limit, 400)
        full = cli.parse_args(['--full', '--devices', '50,1'])
        self.assertEqual((100000, [1, 50]), (full.users, full.devices))

    def test_unknown_case_names_are_refused_before_any_server_starts(self):
        self.assertIn('totp ours 50dev', cli.case_names([1, 50]))
        self.assertIn(f'totp ours 50dev{cli.PROJECT}',
                      cli.case_names([1, 50]))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', io.StringIO()))
        self.assertRaises(SystemExit, cli.parse_args,
                          ['--cases', 'totp ours 50dev,no such case'])
        cli.parse_args(['--cases', 'totp built-in,totp ours 50dev'])

    def test_case_names_match_the_cases_built(self):
        class Ctx:
            scope = admin_id = None
        pools = collections.defaultdict(lambda: None)
        for scope in cli.SCOPES:
            args = cli.parse_args(['--devices', '1,10', '--scope', scope])
            self.assertEqual(
                cli.case_names([1, 10], scope),
                [c.name for c in cli.build_cases(args, Ctx, pools)])

    def test_the_cache_is_on_by_default(self):
        self.assertEqual('memcached', cli.parse_args([]).cache)
        self.assertEqual('off', cli.parse_args(['--cache', 'off']).cache)


class ServerCPUTestCase(testtools.TestCase):

    def test_cpu_of_a_process_tree_grows_with_work(self):
        if not os.path.isdir('/proc/self'):
            self.skipTest('needs Linux /proc')
        from bench import servers
        before = servers.tree_cpu_seconds(os.getppid())
        deadline = time.process_time() + 0.2
        while time.process_time() < deadline:
            pass
        after = servers.tree_cpu_seconds(os.getppid())
        # our parent's tree includes this process and its 0.2 s of work
        self.assertGreaterEqual(after - before, 0.15)
        self.assertEqual(0, servers.tree_cpu_seconds(2 ** 22 + 1))
