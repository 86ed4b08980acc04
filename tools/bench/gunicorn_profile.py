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
"""gunicorn hooks: profile requests marked `X-Bench-Profile: 1`.

Loaded only by `tools/bench.py --profile FILE` (via GUNICORN_CMD_ARGS).
pyinstrument runs inside the worker from before keystone sees the request
until the response is written, so the profile is the server-side work of
that request; it is written to $MFA_BENCH_PROFILE_FILE (.html: HTML
report, else text; $MFA_BENCH_PROFILE_ALL=1 keeps library frames).
"""

import os

HEADER = 'X-BENCH-PROFILE'
ENV = 'MFA_BENCH_PROFILE_FILE'


def pre_request(worker, req):
    if not any(name == HEADER for name, _value in req.headers):
        return
    from pyinstrument import Profiler
    worker.bench_profiler = Profiler(interval=0.0005)
    worker.bench_profiler.start()


def post_request(worker, req, environ, resp):
    profiler = getattr(worker, 'bench_profiler', None)
    if profiler is None:
        return
    worker.bench_profiler = None
    profiler.stop()
    path = os.environ[ENV]
    if path.endswith('.html'):
        output = profiler.output_html()
    else:
        output = profiler.output_text(
            unicode=True, color=False,
            show_all=os.environ.get('MFA_BENCH_PROFILE_ALL') == '1')
    with open(path + '.tmp', 'w') as f:
        f.write(output)
    os.replace(path + '.tmp', path)
