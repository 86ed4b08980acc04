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
"""Pure numbers and formatting of the benchmark: no I/O, no server.

Unit tested in tests/unit/test_bench_tool.py so the report cannot rot.
"""

import dataclasses
import json
import math


def percentile(values, pct):
    """Linear-interpolated percentile (numpy's default), None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclasses.dataclass
class Series:
    """Latencies (seconds) and busy wall time of one case at one concurrency.

    `wall` is the sum of the batches' wall times: rounds of other cases in
    between are not counted, so throughput is ok requests / wall. `cpu` is
    the server processes' CPU seconds during the batches (None: unknown).
    """

    case: str
    concurrency: int
    latencies: list = dataclasses.field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    first_error: str = ''
    cpu: float = None

    def add_batch(self, latencies, errors, wall, first_error='', cpu=None):
        self.latencies.extend(latencies)
        self.errors += errors
        self.wall += wall
        if cpu is not None:
            self.cpu = (self.cpu or 0.0) + cpu
        if first_error and not self.first_error:
            self.first_error = first_error

    def summary(self):
        n = len(self.latencies)

        def ms(pct):
            value = percentile(self.latencies, pct)
            return None if value is None else round(value * 1000, 1)

        return {
            'case': self.case, 'concurrency': self.concurrency,
            'n': n, 'errors': self.errors,
            'rps': round(n / self.wall, 2) if self.wall and n else None,
            'p50_ms': ms(50), 'p95_ms': ms(95), 'p99_ms': ms(99),
            # server CPU per request (failed ones cost CPU too)
            'cpu_ms': round(self.cpu * 1000 / (n + self.errors), 1)
            if self.cpu is not None and n + self.errors else None,
            'first_error': self.first_error or None,
        }


def ratio(numerator, denominator):
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 3)


@dataclasses.dataclass(frozen=True)
class Target:
    """`metric` of case (over `base` case, if any) compared with `limit`.

    metric: 'rps' or 'p50_ms'/'p95_ms'; `at_most` says which side passes.
    """

    name: str
    case: str
    metric: str
    limit: float
    base: str = None
    at_most: bool = False
    concurrency: int = 1

    def evaluate(self, by_key):
        row = by_key.get((self.case, self.concurrency))
        base = by_key.get((self.base, self.concurrency)) if self.base \
            else None
        if row is None or (self.base and base is None):
            return None, None
        value = row.get(self.metric)
        if self.base:
            value = ratio(value, base.get(self.metric))
        if value is None:
            return None, None
        met = value <= self.limit if self.at_most else value >= self.limit
        return value, met


def evaluate_targets(summaries, targets):
    by_key = {(s['case'], s['concurrency']): s for s in summaries}
    results = []
    for target in targets:
        value, met = target.evaluate(by_key)
        results.append({
            'target': target.name, 'concurrency': target.concurrency,
            'value': value, 'limit': target.limit,
            'met': met})
    return results


def ratios(summaries, pairs):
    """[(label, case, base)] -> rps and p50 ratios per concurrency."""
    by_key = {(s['case'], s['concurrency']): s for s in summaries}
    found = []
    for label, case, base in pairs:
        for conc in sorted({c for _n, c in by_key}):
            row, ref = by_key.get((case, conc)), by_key.get((base, conc))
            if row is None or ref is None:
                continue
            found.append({'ratio': label, 'concurrency': conc,
                          'rps': ratio(row['rps'], ref['rps']),
                          'p50': ratio(row['p50_ms'], ref['p50_ms']),
                          'cpu': ratio(row.get('cpu_ms'),
                                       ref.get('cpu_ms'))})
    return found


def _cell(value):
    if value is None:
        return '-'
    if isinstance(value, bool):
        return 'yes' if value else 'NO'
    if isinstance(value, float):
        return f'{value:g}'
    return str(value)


def table(rows, columns):
    """A plain-text table (GitHub markdown compatible) of dict rows."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells])
              for i, c in enumerate(columns)]

    def line(values):
        return '| ' + ' | '.join(v.ljust(w) for v, w in
                                 zip(values, widths)) + ' |'

    out = [line(columns), '|' + '|'.join('-' * (w + 2) for w in widths) + '|']
    out.extend(line(r) for r in cells)
    return '\n'.join(out)


# SQL of one request (or flow) of a login case, as the server counted it.
SQL_COLUMNS = ['case', 'requests', 'select', 'insert', 'update', 'delete',
               'other', 'begin', 'commit', 'rollback']
SUMMARY_COLUMNS = ['case', 'concurrency', 'n', 'errors', 'rps', 'p50_ms',
                   'p95_ms', 'p99_ms', 'cpu_ms']


def report_text(report):
    parts = [table(report['results'], SUMMARY_COLUMNS)]
    if report.get('ratios'):
        parts.append(table(report['ratios'],
                           ['ratio', 'concurrency', 'rps', 'p50', 'cpu']))
    if report.get('targets'):
        parts.append(table(report['targets'],
                           ['target', 'concurrency', 'value', 'limit',
                            'met']))
    if report.get('sql'):
        parts.append(table(report['sql'], SQL_COLUMNS))
    errors = [r for r in report['results'] if r.get('first_error')]
    for r in errors:
        parts.append(f"first error of {r['case']} c{r['concurrency']}: "
                     f"{r['first_error']}")
    return '\n\n'.join(parts)


def report_json(report):
    return json.dumps(report, indent=2, sort_keys=True)
