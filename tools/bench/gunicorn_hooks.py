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
"""gunicorn hooks of both benchmark servers: SQL counts and profiles.

Loaded by tools/bench.py into ours (via GUNICORN_CMD_ARGS) and stock
keystone (`--config`). Both act only on requests marked by a header, so
the measured requests are untouched:

- `X-Bench-SQL: <id>`: every SQL statement (by verb), transaction begin
  and commit of that request, counted through SQLAlchemy's engine events
  inside the worker, written as JSON to $MFA_BENCH_SQL_DIR/<id>-<pid>-<n>
  (a flow of several requests leaves one file per request).
- `X-Bench-Profile: 1`: a pyinstrument profile from before keystone sees
  the request until the response is written, saved to
  $MFA_BENCH_PROFILE_FILE (.html: HTML report, else text;
  $MFA_BENCH_PROFILE_ALL=1 keeps library frames).
"""

import collections
import itertools
import json
import os

PROFILE_HEADER = 'X-BENCH-PROFILE'
PROFILE_ENV = 'MFA_BENCH_PROFILE_FILE'
SQL_HEADER = 'X-BENCH-SQL'
SQL_ENV = 'MFA_BENCH_SQL_DIR'
VERBS = ('SELECT', 'INSERT', 'UPDATE', 'DELETE')

_counts = None          # the counter of the marked request, if any
_files = itertools.count()


def _header(req, name):
    for key, value in req.headers:
        if key == name:
            return value
    return None


def _statement(conn, cursor, statement, parameters, context, executemany):
    if _counts is not None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        _counts[verb if verb in VERBS else 'other'] += 1


def _event(name):
    def count(*args, **kwargs):
        if _counts is not None:
            _counts[name] += 1
    return count


def post_worker_init(worker):
    from sqlalchemy.engine import Engine
    from sqlalchemy import event
    event.listen(Engine, 'before_cursor_execute', _statement)
    for name in ('begin', 'commit', 'rollback'):
        event.listen(Engine, name, _event(name))


def pre_request(worker, req):
    global _counts
    if _header(req, SQL_HEADER) is not None:
        _counts = collections.Counter()
    if _header(req, PROFILE_HEADER) is not None:
        from pyinstrument import Profiler
        worker.bench_profiler = Profiler(interval=0.0005)
        worker.bench_profiler.start()


def post_request(worker, req, environ, resp):
    global _counts
    mark = _header(req, SQL_HEADER)
    if mark is not None and _counts is not None:
        counts, _counts = _counts, None
        name = f'{mark}-{os.getpid()}-{next(_files)}'
        _write(os.path.join(os.environ[SQL_ENV], name), json.dumps(counts))
    profiler = getattr(worker, 'bench_profiler', None)
    if profiler is not None:
        worker.bench_profiler = None
        profiler.stop()
        path = os.environ[PROFILE_ENV]
        if path.endswith('.html'):
            output = profiler.output_html()
        else:
            output = profiler.output_text(
                unicode=True, color=False,
                show_all=os.environ.get('MFA_BENCH_PROFILE_ALL') == '1')
        _write(path, output)


def _write(path, text):
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.replace(path + '.tmp', path)
