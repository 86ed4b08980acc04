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
"""Command line of tools/bench.py: plan, start, seed, measure, report."""

import argparse
import collections
import contextlib
import functools
import json
import math
import os
import queue
import signal
import sys
import tempfile
import time

import requests

from bench import cases as bcases
from bench import data
from bench import runner
from bench import servers
from bench import stats
from tests import db
from tests import memcached

QUICK = {'users': 1000, 'requests': 24, 'time_limit': 390}
FULL = {'users': 100000, 'requests': 90, 'time_limit': 1800}
WARMUP = 2

PROJECT = ' [project]'
SCOPES = {'unscoped': [''], 'project': [PROJECT], 'both': ['', PROJECT]}
LOGINS = ('totp built-in', 'totp ours cred')


def _login_targets(suffix):
    """Issue 17's login targets for one scope, at concurrency 1 and 4."""
    ours, base = 'totp ours cred' + suffix, 'totp built-in' + suffix
    found = []
    for c in (1, 4):
        found += [
            stats.Target(f'ours totp CPU <= 1.05x built-in{suffix}', ours,
                         'cpu_ms', 1.05, base=base, at_most=True,
                         concurrency=c),
            stats.Target(f'ours totp rps >= 0.95x built-in{suffix}', ours,
                         'rps', 0.95, base=base, concurrency=c),
            stats.Target(f'50 devices CPU <= 1.10x 1 device{suffix}',
                         'totp ours 50dev' + suffix, 'cpu_ms', 1.10,
                         base='totp ours 1dev' + suffix, at_most=True,
                         concurrency=c),
        ]
    found.append(stats.Target(
        f'password+totp CPU <= 1.05x password{suffix}',
        'password+totp ours' + suffix, 'cpu_ms', 1.05,
        base='password ours' + suffix, at_most=True))
    return found


# Authenticated API calls of ours against keystone's own floor.
API_TARGETS = [
    stats.Target(f'{case} p50 <= 1.2x GET user (floor)', case, 'p50_ms',
                 1.2, base='GET user stock (floor)', at_most=True)
    for case in ('device list', 'device create', 'user mfa state',
                 'attempts system page', 'attempts user page')
] + [
    stats.Target('sndfa flow CPU <= 1.05x receipt flow', 'sndfa flow ours',
                 'cpu_ms', 1.05, base='receipt flow ours', at_most=True),
]


def targets(scope):
    return [t for suffix in SCOPES[scope] for t in _login_targets(suffix)] \
        + API_TARGETS


def ratios_of(scope):
    found = []
    for suffix in SCOPES[scope]:
        found += [
            (label + suffix, case + suffix, base + suffix)
            for label, case, base in (
                ('totp ours(credential) / built-in', 'totp ours cred',
                 'totp built-in'),
                ('totp ours(1 device) / built-in', 'totp ours 1dev',
                 'totp built-in'),
                ('totp ours 10 devices / 1 device', 'totp ours 10dev',
                 'totp ours 1dev'),
                ('totp ours 50 devices / 1 device', 'totp ours 50dev',
                 'totp ours 1dev'),
                ('password ours / stock', 'password ours', 'password stock'),
                ('password+totp / password (ours)', 'password+totp ours',
                 'password ours'))]
    return found + [('sndfa flow / receipt flow', 'sndfa flow ours',
                     'receipt flow ours')]


def login_case_names(devices):
    return (['password stock', 'password ours', 'totp built-in',
             'totp ours cred'] + [f'totp ours {k}dev' for k in devices] +
            ['password+totp ours'])


def case_names(devices, scope='both'):
    """Every case name, in run order (what --cases accepts)."""
    names = []
    for suffix in SCOPES[scope]:
        names += [n + suffix for n in login_case_names(devices)]
    return names + ['receipt flow ours', 'sndfa flow ours', 'device create',
                    'device verify', 'device list', 'user mfa state',
                    'GET user stock (floor)', 'attempts system page',
                    'attempts user page']


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog='tools/bench.py',
        description='Side-by-side benchmark of keystone-mfa-ext against '
                    'stock keystone (see the module docstring).')
    mode = p.add_mutually_exclusive_group()
    mode.add_argument('--quick', dest='mode', action='store_const',
                      const='quick', help='1 000 users, 24 requests per '
                      'case and concurrency, < 10 minutes (default)')
    mode.add_argument('--full', dest='mode', action='store_const',
                      const='full', help='100 000 users, 90 requests')
    p.add_argument('--users', type=int, help='users in the database')
    p.add_argument('--devices', default='1,10,50',
                   help='devices per user of the totp cases '
                        '(default: %(default)s)')
    p.add_argument('--attempts', type=int, default=100000,
                   help='login-attempt rows (default: %(default)s)')
    p.add_argument('--requests', type=int,
                   help='requests (or flows) per case and concurrency')
    p.add_argument('--rounds', type=int, default=3,
                   help='interleaved rounds (default: %(default)s)')
    p.add_argument('--concurrency', default='1,4',
                   help='client concurrencies (default: %(default)s)')
    p.add_argument('--time-limit', type=float,
                   help='seconds for the whole measurement')
    p.add_argument('--cases', help='comma-separated case names to run '
                   '(default: all)')
    p.add_argument('--scope', choices=tuple(SCOPES), default='both',
                   help='tokens the login cases ask for: unscoped, '
                        'project-scoped (member role, with catalog; cases '
                        f'named "...{PROJECT}") or both (default)')
    p.add_argument('--database', choices=('sqlite', 'mysql', 'postgresql'),
                   default='sqlite',
                   help="keystone's database: the devserver's SQLite file "
                        '(default) or a new database on the MariaDB/MySQL '
                        "or PostgreSQL server of oslo.db's openstack_citest "
                        'user (tools/test-setup.sh), as production runs')
    p.add_argument('--cache', choices=('memcached', 'off'),
                   default='memcached',
                   help="keystone's cache ([cache]) for both servers: on a "
                        'real memcached started for the run, shared by '
                        'both (default, as production runs), or off')
    p.add_argument('--workers', type=int, default=2,
                   help='gunicorn sync workers per server')
    p.add_argument('--json', action='store_true',
                   help='print the report as JSON')
    p.add_argument('--profile', metavar='FILE',
                   help='save a pyinstrument profile (FILE.html: HTML, '
                        'else text) of one ours-totp auth of the user with '
                        'the most devices, taken inside the server worker')
    args = p.parse_args(argv)
    defaults = FULL if args.mode == 'full' else QUICK
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.devices = sorted({int(d) for d in args.devices.split(',')})
    args.concurrency = [int(c) for c in args.concurrency.split(',')]
    if args.cases:
        known = case_names(args.devices, args.scope)
        unknown = {c.strip() for c in args.cases.split(',')} - set(known)
        if unknown:
            p.error(f'unknown cases: {", ".join(sorted(unknown))} '
                    f'(known: {", ".join(known)})')
    return args


def log(message):
    print(f'[bench {time.strftime("%H:%M:%S")}] {message}', file=sys.stderr,
          flush=True)


class Context:
    """What cases share: URLs, the users' password, admin token, mails."""

    def __init__(self, ours, stock, password):
        self.urls = {'ours': ours.url, 'stock': stock.url}
        self.password = password
        self.mailbox = bcases.MailBox(ours.mail_dir)
        self.admin_headers = {}
        # The project scope of the project-scoped cases and the flows.
        self.scope = None

    def login_admin(self, ours):
        body = {'auth': {'identity': {'methods': ['password'], 'password': {
            'user': {'name': 'admin', 'domain': {'id': 'default'},
                     'password': ours.admin_password}}},
            'scope': {'system': {'all': True}}}}
        r = bcases.expect(requests.post(ours.auth_url + '/auth/tokens',
                                        json=body, timeout=120), 201)
        self.admin_headers = {'X-Auth-Token': r.headers['X-Subject-Token']}
        self.admin_id = r.json()['token']['user']['id']


def _take(users, count):
    taken, users[:] = users[:count], users[count:]
    return [uid for uid, _name in taken]


def seed(args, ctx, per_case):
    """Create the data; return {pool name: Pool}."""
    seeder = data.Seeder(ctx.password)
    need = {
        'password': 16, 'cred': 2 * per_case, 'receipt': per_case,
        'sndfa': 8, 'enroll': math.ceil(2 * per_case / 40) + 4,
    }
    for k in args.devices:
        need[f'{k}dev'] = math.ceil(per_case * (2 if k == 1 else 1) / k)
    total = max(args.users, sum(need.values()))
    log(f'seeding {total} users')
    users = seeder.users(total)
    all_ids = [uid for uid, _name in users]
    names = dict(users)
    pools = {}
    pools['password'] = bcases.Pool(
        bcases.Item(u) for u in _take(users, need['password']))
    cred = seeder.totp_credentials(_take(users, need['cred']))
    pools['cred'] = bcases.Pool(bcases.Item(u, s[0]) for u, s in cred.items())
    for k in args.devices:
        log(f'seeding {need[f"{k}dev"]} users with {k} devices each')
        devs = seeder.devices(_take(users, need[f'{k}dev']), k)
        pools[f'{k}dev'] = bcases.Pool(
            bcases.Item(u, s) for u, secrets in devs.items()
            for s in secrets)
    receipt = seeder.devices(_take(users, need['receipt']), 1)
    seeder.mfa_rules(list(receipt), [['password', 'totp']])
    pools['receipt'] = bcases.Pool(
        bcases.Item(u, s[0]) for u, s in receipt.items())
    pools['sndfa'] = bcases.Pool(
        (bcases.Item(u, email_address=f'{names[u]}@example.org')
         for u in _take(users, need['sndfa'])), exclusive_user=True)
    pools['enroll'] = bcases.Pool(
        bcases.Item(u) for u in _take(users, need['enroll']))
    pools['attempts'] = bcases.Pool(bcases.Item(u) for u in all_ids[:200])
    if args.scope != 'unscoped':
        members = [i.user_id for p in pools.values() for i in p.items]
        project_id = seeder.member_of(sorted(set(members)))
        ctx.scope = {'project': {'id': project_id}}
    if args.attempts:
        log(f'seeding {args.attempts} login attempts')
        seeder.attempts(args.attempts, all_ids[:200] + all_ids)
    return pools


def enable_sndfa(ctx, ours, pool):
    """Verified email + sndfa on, through the API as an admin would."""
    for item in pool.items:
        url = f'{ours.auth_url}/users/{item.user_id}'
        bcases.expect(requests.get(url + '/checkemail', timeout=60,
                                   headers=ctx.admin_headers), 200)
        mail = ctx.mailbox.next_for(item.email)
        link = bcases.mail_helpers.link_in(mail)
        bcases.expect(requests.post(link, json={}, timeout=60), 200)
        bcases.expect(requests.post(url + '/sndfa', json={'enable': True},
                                    headers=ctx.admin_headers, timeout=60),
                      200)


def login_cases(args, ctx, pools, suffix):
    scope = ctx.scope if suffix else None

    def case(name, pool, methods, server='ours'):
        return bcases.TokenCase(name + suffix, ctx, pool, methods,
                                server=server, scope=scope)

    cs = [case('password stock', pools['password'], ['password'], 'stock'),
          case('password ours', pools['password'], ['password']),
          case('totp built-in', pools['cred'], ['totp'], 'stock'),
          case('totp ours cred', pools['cred'], ['totp'])]
    cs += [case(f'totp ours {k}dev', pools[f'{k}dev'], ['totp'])
           for k in args.devices]
    cs.append(case('password+totp ours', pools[f'{args.devices[0]}dev'],
                   ['password', 'totp']))
    return cs


def build_cases(args, ctx, pools):
    cs = []
    for suffix in SCOPES[args.scope]:
        cs += login_cases(args, ctx, pools, suffix)
    cs += [
        bcases.ReceiptFlow('receipt flow ours', ctx, pools['receipt']),
        bcases.SndfaFlow('sndfa flow ours', ctx, pools['sndfa']),
    ]
    creator = bcases.DeviceCreate('device create', ctx, pools['enroll'],
                                  queue.Queue())
    cs += [
        creator,
        bcases.DeviceVerify('device verify', ctx, creator),
        bcases.AdminGet('device list', ctx, '/users/{user_id}/otp_devices',
                        pool=pools[f'{args.devices[-1]}dev']),
        bcases.AdminGet('user mfa state', ctx, '/users/{user_id}/mfa',
                        pool=pools['receipt']),
        # The floor of every admin API call: keystone validating the token
        # and enforcing policy, on stock keystone.
        bcases.AdminGet('GET user stock (floor)', ctx,
                        f'/users/{ctx.admin_id}', server='stock'),
        bcases.AttemptsPage('attempts system page', ctx, '/mfa/attempts'),
        bcases.AttemptsPage('attempts user page', ctx,
                            '/users/{user_id}/mfa/attempts',
                            pool=pools['attempts']),
    ]
    if args.cases:
        wanted = {c.strip() for c in args.cases.split(',')}
        cs = [c for c in cs if c.name in wanted]
    return cs


def count_sql(cases, sql_dir):
    """SQL of one more run of each login case, steady state, per case.

    Each case logs one user in twice: unmarked (so every cache holds what
    that user's login reads), then, in the next TOTP step (a code is good
    once), marked; the server's hooks count the marked request's
    statements by verb, its transactions and commits
    (bench/gunicorn_hooks.py).
    """
    probed = [c for c in cases if isinstance(
        c, (bcases.TokenCase, bcases.ReceiptFlow, bcases.SndfaFlow))]
    client = requests.Session()
    items = {}
    for case in probed:
        items[case.name] = item = case.pool.take()
        try:
            case.timed(client, item)
        except bcases.Unexpected as e:
            log(f'SQL probe of {case.name}: {e}')
    step = bcases.step_now()
    while bcases.step_now() == step:
        time.sleep(0.2)
    found = []
    for n, case in enumerate(probed):
        item = items[case.name]
        item.last_step = bcases.step_now()
        mark = f'probe{n}'
        case.extra_headers = {servers.SQL_HEADER: mark}
        try:
            case.timed(client, item)
        except bcases.Unexpected as e:
            log(f'SQL probe of {case.name}: {e}')
            continue
        finally:
            case.extra_headers = {}
            case.pool.give(item)
        found.append(dict(_sum_counts(sql_dir, mark), case=case.name))
    return found


def _sum_counts(sql_dir, mark, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        files = [f for f in os.listdir(sql_dir)
                 if f.startswith(mark + '-') and not f.endswith('.tmp')]
        if files or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    total = collections.Counter()
    for name in files:
        with open(os.path.join(sql_dir, name)) as f:
            total.update(json.load(f))
    return {'requests': len(files), **{k.lower(): total.get(k, 0) for k in (
        'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'other', 'begin', 'commit',
        'rollback')}}


def take_profile(args, ctx, pools):
    pool = pools[f'{args.devices[-1]}dev']
    item = pool.take()
    try:
        body = bcases.auth_body(ctx.scope, totp=bcases.totp_method(item))
        path = os.path.abspath(args.profile)
        if os.path.exists(path):
            os.remove(path)
        bcases.expect(requests.post(
            ctx.urls['ours'] + '/v3/auth/tokens', json=body, timeout=120,
            headers={servers.PROFILE_HEADER: '1'}), 201)
    finally:
        pool.give(item)
    deadline = time.monotonic() + 30
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not os.path.exists(path):
        raise RuntimeError('the server wrote no profile')
    log(f'profile of one ours-totp auth ({args.devices[-1]} devices) '
        f'saved to {path}')


def measure_on(args, ours, stock, started, sql_dir):
    """Seed, warm up, measure (and profile) on running servers."""
    per_case = args.requests * len(args.concurrency) + WARMUP * 2
    data.load_keystone_conf(servers.config_files(ours))
    ctx = Context(ours, stock, 'Bench-' + os.urandom(6).hex())
    pools = seed(args, ctx, per_case)
    log('waiting for stock keystone')
    stock.wait_until_ready()
    ctx.login_admin(ours)
    cases = build_cases(args, ctx, pools)
    if any(isinstance(c, bcases.SndfaFlow) for c in cases):
        enable_sndfa(ctx, ours, pools['sndfa'])
    log(f'warming up {len(cases)} cases')
    runner.warm_up(cases, WARMUP, log=log)
    log(f'setup took {time.monotonic() - started:.0f}s; measuring')
    series = runner.measure(
        cases, args.concurrency, args.requests, args.rounds,
        batch_limit=max(30.0, args.time_limit / 6),
        deadline=time.monotonic() + args.time_limit,
        cpu_probes={name: functools.partial(servers.tree_cpu_seconds, pid)
                    for name, pid in (('ours', ours.process.pid),
                                      ('stock', stock.process.pid))},
        log=log)
    log('counting SQL of one request of each login case')
    sql = count_sql(cases, sql_dir)
    if args.profile:
        take_profile(args, ctx, pools)
    return series, sql


def report(args, series, sql, started):
    summaries = [s.summary() for s in series]
    return {
        'config': {'mode': args.mode or 'quick', 'users': args.users,
                   'devices': args.devices, 'attempts': args.attempts,
                   'requests': args.requests, 'rounds': args.rounds,
                   'scope': args.scope, 'cache': args.cache,
                   'database': args.database,
                   'concurrency': args.concurrency,
                   'workers': args.workers, 'cpus': os.cpu_count()},
        'results': summaries,
        'ratios': stats.ratios(summaries, ratios_of(args.scope)),
        'targets': stats.evaluate_targets(summaries, targets(args.scope)),
        'sql': sql,
        'duration_s': round(time.monotonic() - started, 1),
    }


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt(f'signal {signum}')


def main(argv=None):
    args = parse_args(argv)
    # So that `finally` stops both servers when tox or CI terminates us.
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        sql_dir = stack.enter_context(tempfile.TemporaryDirectory(
            prefix='mfa-bench-sql-'))
        extra_config = ''
        if args.cache == 'memcached':
            cache = memcached.Memcached()
            cache.setUp()
            stack.callback(cache.cleanUp)
            extra_config = cache.keystone_conf()
            log(f'memcached on 127.0.0.1:{cache.port} (keystone [cache])')
        database_url = None
        if args.database != 'sqlite':
            database_url, drop = db.create_database(args.database)
            stack.callback(drop)
        log('starting keystone with the extension (devserver)')
        ours = servers.start_ours(sql_dir, args.workers,
                                  profile_file=args.profile,
                                  extra_config=extra_config,
                                  database_url=database_url)
        stack.callback(ours.cleanUp)
        stock = servers.StockServer(ours, sql_dir, args.workers)
        stack.callback(stock.stop)
        series, sql = measure_on(args, ours, stock, started, sql_dir)
    result = report(args, series, sql, started)
    print(stats.report_json(result) if args.json
          else stats.report_text(result))
    return 0
