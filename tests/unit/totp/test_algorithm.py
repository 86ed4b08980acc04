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
"""RFC 6238 vectors, a cross-check against pyotp, and window edges."""

import pyotp
import testtools

from keystone_mfa_ext.totp import algorithm

# RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated.
SEED = {
    'SHA1': b'12345678901234567890',
    'SHA256': b'12345678901234567890123456789012',
    'SHA512': b'1234567890' * 6 + b'1234',
}
VECTORS = [  # (time, algorithm, 8-digit code)
    (59, 'SHA1', '94287082'), (59, 'SHA256', '46119246'),
    (59, 'SHA512', '90693936'), (1111111109, 'SHA1', '07081804'),
    (1111111109, 'SHA256', '68084774'), (1111111109, 'SHA512', '25091201'),
    (1234567890, 'SHA1', '89005924'), (1234567890, 'SHA256', '91819424'),
    (20000000000, 'SHA512', '47863826'),
]


class RFC6238TestCase(testtools.TestCase):

    def test_rfc_vectors(self):
        for ts, alg, code in VECTORS:
            step = algorithm.time_step(ts, 30)
            self.assertEqual(code, algorithm.hotp(SEED[alg], step, 8, alg),
                             (ts, alg))

    def test_agrees_with_pyotp_for_every_supported_shape(self):
        secret = pyotp.random_base32(32)
        key = algorithm.decode_secret(secret)
        for alg in algorithm.ALGORITHMS:
            for digits in algorithm.DIGITS:
                for period in algorithm.PERIODS:
                    other = pyotp.TOTP(secret, digits=digits, interval=period,
                                       digest=alg.lower())
                    for ts in (0, 59, 1700000000, 1700000029.99):
                        step = algorithm.time_step(ts, period)
                        self.assertEqual(
                            other.at(ts),
                            algorithm.hotp(key, step, digits, alg))


class WindowsTestCase(testtools.TestCase):
    key = b'k' * 20

    def code(self, ts, period=30, digits=6):
        return algorithm.hotp(self.key, algorithm.time_step(ts, period),
                              digits)

    def test_current_step_at_both_edges_of_the_step(self):
        start = 1700000010 - 1700000010 % 30
        for ts in (start, start + 29.999):
            self.assertEqual(algorithm.time_step(start, 30),
                             algorithm.matching_step(
                                 self.key, self.code(start), ts,
                                 past=0, future=0))

    def test_past_window_edge(self):
        now = 1700000010 - 1700000010 % 30
        one_back, two_back = self.code(now - 30), self.code(now - 60)
        self.assertIsNotNone(algorithm.matching_step(
            self.key, one_back, now, past=1, future=0))
        self.assertIsNone(algorithm.matching_step(
            self.key, two_back, now, past=1, future=0))
        self.assertIsNone(algorithm.matching_step(
            self.key, one_back, now, past=0, future=0))

    def test_future_window_edge(self):
        now = 1700000010 - 1700000010 % 30 + 29.999
        one_ahead, two_ahead = self.code(now + 30), self.code(now + 60)
        self.assertIsNotNone(algorithm.matching_step(
            self.key, one_ahead, now, past=0, future=1))
        self.assertIsNone(algorithm.matching_step(
            self.key, two_ahead, now, past=0, future=1))
        self.assertIsNone(algorithm.matching_step(
            self.key, one_ahead, now, past=1, future=0))

    def test_newest_matching_step_is_reported(self):
        now = 1700000010
        step = algorithm.time_step(now)
        self.assertEqual(step + 1, algorithm.matching_step(
            self.key, self.code(now + 30), now, past=1, future=1))

    def test_period_60_and_8_digits(self):
        now = 1700000040
        code = algorithm.hotp(self.key, algorithm.time_step(now, 60), 8)
        self.assertEqual(8, len(code))
        self.assertIsNotNone(algorithm.matching_step(
            self.key, code, now, period=60, digits=8, past=0, future=0))
        # the 6-digit code of the same step is a different passcode
        self.assertIsNone(algorithm.matching_step(
            self.key, code[-6:], now, period=60, digits=8, past=0, future=0))

    def test_secret_decoding(self):
        self.assertEqual(b'1234567890123456',
                         algorithm.decode_secret('GEZDGNBVGY3TQOJQGEZDGNBVGY'))
        self.assertEqual(b'1234567890123456',
                         algorithm.decode_secret(
                             'gezd gnbv gy3t qojq gezd gnbv gy'))
        self.assertRaises(algorithm.InvalidSecret, algorithm.decode_secret,
                          'not base32!')
        self.assertRaises(algorithm.InvalidSecret, algorithm.decode_secret,
                          'GEZDGNBV', min_bytes=16)
        self.assertRaises(algorithm.InvalidSecret, algorithm.decode_secret,
                          '')
