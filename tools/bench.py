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
"""Benchmark keystone-mfa-ext against stock keystone, side by side.

    .venv/bin/python tools/bench.py [--quick|--full] [--json] [--profile F]
    tox -e bench

Starts ONE keystone with the extension exactly as developers and the
functional tests do (`keystone-mfa-ext-devserver`: gunicorn with 2 sync
workers, SQLite, fernet tokens, receipts and credentials, a real SMTP sink)
with keystone's cache on, as production runs: `[cache]` on a real memcached
started for the run (Debian's `memcached`) and shared by both servers
(`--cache off` for the other configuration). It seeds users (with a member
role for project-scoped logins), credentials, OTP devices (each with its
single-use row, as after enrollment) and 100 000 audit rows straight
through SQL (bench/data.py; the SQLite file is switched to WAL so 4 clients
do not end in "database is locked"), and measures over HTTP only, at
concurrency 1 and 4, in interleaved rounds, with a bounded number of
requests per case and a time limit for the whole measurement. Login cases
run unscoped and project-scoped (`... [project]`; `--scope`).

(a) keystone's built-in totp driver vs ours. Keystone picks the driver of a
    method by its name (`[auth] totp = default|mfa_ext`) and its built-in
    plugin hard-codes the method name `totp`, so the two drivers cannot run
    under two method names without patching keystone. Instead a second
    gunicorn serves STOCK keystone's public app (`bench/stock_wsgi.py`, no
    extension hooks or routes) with `[auth] totp = default` on the very same
    state directory: same database, users, keys and config otherwise. Both
    servers stay up the whole run and each round interleaves their cases,
    so load drift hits both alike; only one server is loaded at a time.
    The same users (one keystone `totp` credential each) are used on both;
    ours is also measured with 1/10/50 OTP devices per user.
(b) password alone (stock and ours) vs password+totp in one request (ours);
(c) the receipt flow with ours: password -> 401 + receipt -> totp;
(d) the sndfa flow: password -> receipt -> sndfa mails a code through the
    real SMTP sink -> the code is read from the mail -> sndfa with it;
(e) device create (secret, encryption, QR PNG) and device verify;
(f) one page of the login-attempt list (system-wide and one user's) among
    100 000 rows, a user's device list and MFA state, against stock
    keystone's `GET /v3/users/{id}` (the floor of any authenticated call).

After the measurement one more request (or flow) of each login case is
sent marked, and the server counts its SQL inside the worker through
SQLAlchemy's engine events (bench/gunicorn_hooks.py): statements by verb,
transaction begins, commits and rollbacks, steady state (every secret used
before).

It prints requests (or flows) per second and p50/p95/p99 latency per case
and concurrency, the server processes' CPU per request (from /proc, useful
when the machine is shared), the ratios ours/built-in, the targets
(issue 17: CPU per login <= 1.05x the built-in driver, throughput >=
0.95x, ...) and the SQL counts, as tables or as JSON (`--json`).
`GET user stock (floor)` is stock keystone validating the same admin
token: the floor under every admin API case. `--profile FILE` saves a
pyinstrument profile of one ours-totp auth taken inside the gunicorn worker
(server side only).
"""

import os
import sys

# `bench` is the package next to this file (sys.path[0] when run as a
# script); the repository root gives `tests` (DevServer, mail helpers).
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from bench import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli.main())
