#!/usr/bin/env python3
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
"""Guess one user's second-factor codes on a LOCAL keystone; report the rate.

Bounded on purpose: loopback addresses only, one user, at most
--max-guesses requests and --duration seconds, one request at a time.
Guesses are random totp passcodes, recovery codes (sent as totp passcodes)
or emailed sndfa codes. Two attackers: `--attacker password` knows the
user's password and sends it with every guess (sndfa: asks for a code with
a receipt first); `--attacker anonymous` knows only the user id and sends
the totp method alone (sndfa needs a first factor, so only totp and
recovery). The attacker sees only 401s; the admin view (the user's
login-attempt audit and GET /users/{id}/mfa) tells which guesses the
server really checked ("failure") and which it refused as "locked".

The report (JSON) holds the measurement, the model it must match for the
server's [mfa] settings given with --max-failed-attempts, --lockout-duration,
--max-consecutive-failures and the --unproven-... limits, and what the same
model gives with the default settings: guesses per hour per user and in
total until an admin unlocks (the password attacker), or per hour from one
address and per day from any number of addresses (the anonymous one, who
never locks the owner out).

    BRUTEFORCE_ADMIN_PASSWORD=... tools/bruteforce.py \\
        --url http://127.0.0.1:5000 --user-id ID --kind totp --duration 60
        [--attacker anonymous]
"""

import argparse
import base64
import ipaddress
import json
import math
import os
import secrets
import socket
import sys
import time
import urllib.parse

import requests

HARD_MAX_GUESSES = 1000
HARD_MAX_DURATION = 600
RECEIPT = 'Openstack-Auth-Receipt'
SNDFA_TRIES_PER_CODE = 5
# keystone_mfa_ext.conf defaults ([mfa]); tests check they agree.
DEFAULTS = {'max_failed_attempts': 5, 'lockout_duration': 900,
            'max_consecutive_failures': 50,
            'unproven_max_failures_per_address': 5,
            'unproven_max_failures_per_user': 20}
CODE_SPACE = {
    # valid codes per guess / possible codes: 3 time steps of one device;
    # the one live emailed code; 10 recovery codes of 80 random bits.
    'totp': (3, 10 ** 6),
    'sndfa': (1, 10 ** 6),
    'recovery': (10, 2 ** 80),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--url', required=True,
                        help='keystone base URL on a loopback address')
    parser.add_argument('--user-id', required=True)
    parser.add_argument('--kind', choices=sorted(CODE_SPACE),
                        default='totp')
    parser.add_argument('--attacker', choices=('password', 'anonymous'),
                        default='password',
                        help='what the attacker knows besides the user id '
                             '(default: %(default)s; needs '
                             'BRUTEFORCE_USER_PASSWORD)')
    parser.add_argument('--max-guesses', type=int, default=100)
    parser.add_argument('--duration', type=float, default=60,
                        help='seconds to keep guessing')
    parser.add_argument('--admin-user', default='admin')
    for name, value in DEFAULTS.items():
        parser.add_argument('--' + name.replace('_', '-'), type=int,
                            default=value,
                            help=f"the server's [mfa] {name} "
                                 '(default: %(default)s)')
    args = parser.parse_args(argv)
    if not 0 < args.max_guesses <= HARD_MAX_GUESSES:
        parser.error(f'--max-guesses must be 1..{HARD_MAX_GUESSES}')
    if not 0 < args.duration <= HARD_MAX_DURATION:
        parser.error(f'--duration must be 0..{HARD_MAX_DURATION} s')
    assert_loopback(parser, args.url)
    return args


def assert_loopback(parser, url):
    """Refuse every target that is not this machine."""
    host = urllib.parse.urlparse(url).hostname or ''
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        parser.error(f'cannot resolve {host!r}')
    if not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        parser.error(f'{host} is not a loopback address; refusing')


def random_guess(kind):
    if kind == 'recovery':
        raw = base64.b32encode(secrets.token_bytes(10)).decode()
        return '-'.join(raw[i:i + 4] for i in range(0, 16, 4))
    return '%06d' % secrets.randbelow(10 ** 6)


class Target:
    """The attacker's side: only HTTP answers."""

    def __init__(self, url, user_id, kind, password=None):
        self.auth_url = url.rstrip('/') + '/v3'
        self.user_id = user_id
        self.kind = kind
        self.password = password   # None: the anonymous attacker
        self.receipt = None
        self.sent = 0

    def post(self, identity, headers=None):
        return requests.post(self.auth_url + '/auth/tokens', timeout=30,
                             headers=headers or {},
                             json={'auth': {'identity': identity}})

    def _new_receipt(self):
        r = self.post({'methods': ['password'], 'password': {'user': {
            'id': self.user_id, 'password': self.password}}})
        self.receipt = r.headers.get(RECEIPT)
        # Ask for a code (a resend within the interval sends nothing).
        self.post({'methods': ['sndfa'], 'sndfa': {
            'user': {'id': self.user_id}}}, {RECEIPT: self.receipt or ''})

    def guess(self, code):
        if self.kind == 'sndfa':
            # A code dies after [spassword] sndfa_code_max_attempts (5)
            # wrong tries: ask again (a fresh receipt, maybe a new code).
            if self.sent % SNDFA_TRIES_PER_CODE == 0:
                self._new_receipt()
            self.sent += 1
            return self.post({'methods': ['sndfa'], 'sndfa': {
                'user': {'id': self.user_id}, 'code': code}},
                {RECEIPT: self.receipt or ''}).status_code
        totp = {'totp': {'user': {'id': self.user_id, 'passcode': code}}}
        if self.password is None:
            return self.post(dict(totp, methods=['totp'])).status_code
        return self.post(dict(totp, methods=['password', 'totp'], password={
            'user': {'id': self.user_id, 'password': self.password}})
        ).status_code


class Admin:
    """The operator's side: what the server really checked."""

    def __init__(self, url, user, password):
        self.auth_url = url.rstrip('/') + '/v3'
        identity = {'methods': ['password'], 'password': {'user': {
            'name': user, 'domain': {'id': 'default'},
            'password': password}}}
        r = requests.post(self.auth_url + '/auth/tokens', timeout=30,
                          json={'auth': {'identity': identity, 'scope': {
                              'system': {'all': True}}}})
        r.raise_for_status()
        self.headers = {'X-Auth-Token': r.headers['X-Subject-Token']}

    def get(self, path, **params):
        r = requests.get(self.auth_url + path, headers=self.headers,
                         params=params, timeout=30)
        r.raise_for_status()
        return r.json()

    def attempts(self, user_id, since):
        """{status: count} of the user's attempts since `since`."""
        counts = {}
        marker = None
        while True:
            page = self.get(f'/users/{user_id}/mfa/attempts', limit=500,
                            since=since, **({'marker': marker}
                                            if marker else {}))
            for attempt in page['attempts']:
                counts[attempt['status']] = counts.get(
                    attempt['status'], 0) + 1
            if not page['attempts'] or not page['links'].get('next'):
                return counts
            marker = page['attempts'][-1]['id']


def model(settings, seconds=3600):
    """Checked guesses in `seconds`, and in total until an admin unlocks.

    Each timed lock comes after `max_failed_attempts` checked failures and
    lasts `lockout_duration` seconds; while locked nothing is checked. So
    at most ceil(seconds / duration) bursts of `max_failed_attempts` fit in
    `seconds`, and `max_consecutive_failures` (0: none) caps the total.
    """
    per_burst = settings['max_failed_attempts']
    bursts = max(1, math.ceil(seconds / settings['lockout_duration']))
    cap = settings['max_consecutive_failures'] or math.inf
    window = min(per_burst * bursts, cap)
    return {'guesses_in_window': window, 'window_seconds': seconds,
            'total_until_admin_unlock': cap,
            'hours_to_reach_cap': (
                None if cap is math.inf else
                (math.ceil(cap / per_burst) - 1)
                * settings['lockout_duration'] / 3600)}


def unproven_model(settings, seconds=3600, addresses=1):
    """Checked guesses of the anonymous attacker in `seconds`.

    At most `unproven_max_failures_per_address` per hour from each address
    and `unproven_max_failures_per_user` per day in all; none of them ever
    locks the owner out, and none is ever counted toward the cap.
    """
    hours = max(1, math.ceil(seconds / 3600))
    days = max(1, math.ceil(seconds / 86400))
    per_address = settings['unproven_max_failures_per_address'] * hours
    return {'guesses_in_window': min(
        per_address * addresses,
        settings['unproven_max_failures_per_user'] * days),
        'window_seconds': seconds}


def success_probability(kind, guesses):
    valid, space = CODE_SPACE[kind]
    if guesses is math.inf:
        return 1.0
    return 1 - (1 - valid / space) ** guesses


def run(args, password, admin_password):
    target = Target(args.url, args.user_id, args.kind,
                    None if args.attacker == 'anonymous' else password)
    admin = Admin(args.url, args.admin_user, admin_password)
    since = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                          time.gmtime(time.time() - 1))
    statuses = {}
    start = time.monotonic()
    sent = 0
    while sent < args.max_guesses and (
            time.monotonic() - start < args.duration):
        status = target.guess(random_guess(args.kind))
        statuses[status] = statuses.get(status, 0) + 1
        sent += 1
        if status == 201:
            break
    elapsed = time.monotonic() - start
    audit = admin.attempts(args.user_id, since)
    state = admin.get(f'/users/{args.user_id}/mfa')['mfa']
    server = {k: getattr(args, k) for k in DEFAULTS}
    return {
        'kind': args.kind,
        'attacker': args.attacker,
        'measured': {
            'guesses_sent': sent,
            'seconds': round(elapsed, 1),
            'http_statuses': {str(k): v for k, v in statuses.items()},
            'checked_failures': audit.get('failure', 0),
            'refused_as_locked': audit.get('locked', 0),
            'successes': audit.get('success', 0),
            'state_after': {k: state[k] for k in (
                'locked', 'locked_until', 'failed_attempts')},
        },
        'server_settings': server,
        'model_for_server_settings': (
            unproven_model(server, elapsed) if args.attacker == 'anonymous'
            else model(server, elapsed)),
        'default_settings': DEFAULTS,
        'defaults': (_anonymous_defaults(args.kind)
                     if args.attacker == 'anonymous'
                     else _password_defaults(args.kind)),
    }


def _password_defaults(kind):
    hour = model(DEFAULTS)
    return {
        'guesses_per_hour_per_user': hour['guesses_in_window'],
        'guesses_until_admin_unlock': hour['total_until_admin_unlock'],
        'hours_to_reach_cap': hour['hours_to_reach_cap'],
        'success_probability_until_cap': success_probability(
            kind, hour['total_until_admin_unlock']),
        'below_nist_100_consecutive':
            hour['total_until_admin_unlock'] < 100,
    }


def _anonymous_defaults(kind):
    per_day = unproven_model(DEFAULTS, 86400, addresses=math.inf)
    per_year = per_day['guesses_in_window'] * 365
    return {
        'guesses_per_hour_per_address': unproven_model(
            DEFAULTS)['guesses_in_window'],
        'guesses_per_day_per_user': per_day['guesses_in_window'],
        'locks_the_owner_out': False,
        'success_probability_per_year': success_probability(kind, per_year),
    }


def main(argv=None):
    args = parse_args(argv)
    admin_password = os.environ.get('BRUTEFORCE_ADMIN_PASSWORD')
    if not admin_password:
        sys.exit('set BRUTEFORCE_ADMIN_PASSWORD (to read the audit)')
    password = os.environ.get('BRUTEFORCE_USER_PASSWORD')
    if args.attacker == 'anonymous' and args.kind == 'sndfa':
        sys.exit('sndfa checks no code without a first factor: use '
                 '--attacker password')
    if args.attacker == 'password' and not password:
        sys.exit('--attacker password needs BRUTEFORCE_USER_PASSWORD (the '
                 'first factor the attacker is assumed to have)')
    print(json.dumps(run(args, password, admin_password), indent=2,
                     default=str))
    return 0


if __name__ == '__main__':
    sys.exit(main())
