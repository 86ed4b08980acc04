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
"""Running cases interleaved: rounds x concurrencies x cases, bounded.

Each round runs every case for a slice of its requests, in a rotated
order, so slow drifts of the machine hit all cases alike; each batch stops
at its request count or its time limit, and the whole measurement at the
run's deadline (what was measured until then is reported).
"""

import math
import threading
import time

import requests

from bench import stats


def batch(case, concurrency, count, time_limit):
    """(latencies, errors, wall seconds, first error) of up to `count`."""
    lock = threading.Lock()
    left = [count]
    latencies, errors = [], []
    stop_at = time.monotonic() + time_limit

    def worker():
        client = requests.Session()
        while True:
            with lock:
                if left[0] <= 0 or time.monotonic() > stop_at:
                    return
                left[0] -= 1
            try:
                latency = case.run(client)
            except Exception as e:  # report, never abort the whole run
                with lock:
                    errors.append(f'{type(e).__name__}: {e}')
                continue
            with lock:
                latencies.append(latency)

    threads = [threading.Thread(target=worker) for _i in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return latencies, len(errors), wall, errors[0] if errors else ''


def warm_up(cases, count=2, log=print):
    for case in cases:
        _lat, errors, _wall, first = batch(case, 2, count, 60)
        if errors:
            log(f'warm-up of {case.name}: {first}')


def measure(cases, concurrencies, requests_per_case, rounds, batch_limit,
            deadline, cpu_probes=None, log=print):
    """Series per (case, concurrency); `cpu_probes`: {server: f() -> s}."""
    cpu_probes = cpu_probes or {}
    series = {(case.name, c): stats.Series(case.name, c)
              for case in cases for c in concurrencies}
    per_round = max(1, math.ceil(requests_per_case / rounds))
    for r in range(rounds):
        order = cases[r % len(cases):] + cases[:r % len(cases)]
        for conc in concurrencies:
            for case in order:
                if time.monotonic() > deadline:
                    log('time limit reached: stopping the measurement')
                    return [series[k] for k in series]
                s = series[(case.name, conc)]
                count = min(per_round, requests_per_case - len(s.latencies)
                            - s.errors)
                if count <= 0:
                    continue
                probe = cpu_probes.get(case.server)
                before = probe() if probe else None
                result = batch(case, conc, count, batch_limit)
                after = probe() if probe else None
                s.add_batch(*result, cpu=None if before is None or
                            after is None else after - before)
        log(f'round {r + 1}/{rounds} done')
    return [series[k] for k in series]
