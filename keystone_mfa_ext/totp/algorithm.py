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
"""RFC 4226 / RFC 6238 one-time passwords, as small pure functions.

Time is always passed in (a Unix timestamp), so callers and tests decide
what "now" is.
"""

import base64
import binascii
import hashlib
import hmac
import struct

ALGORITHMS = {
    'SHA1': hashlib.sha1,
    'SHA256': hashlib.sha256,
    'SHA512': hashlib.sha512,
}
DIGITS = (6, 8)
PERIODS = (30, 60)


class InvalidSecret(ValueError):
    """The secret is not valid base32 (or too short)."""


def decode_secret(secret_b32, min_bytes=0):
    """Base32 text (padding optional, any case) -> key bytes."""
    text = secret_b32.strip().replace(' ', '').upper()
    text += '=' * (-len(text) % 8)
    try:
        key = base64.b32decode(text)
    except (binascii.Error, ValueError) as e:
        raise InvalidSecret('not base32') from e
    if not key or len(key) < min_bytes:
        raise InvalidSecret('too short')
    return key


def encode_secret(key):
    """Key bytes -> unpadded base32, the form authenticator apps expect."""
    return base64.b32encode(key).decode('ascii').rstrip('=')


def hotp(key, counter, digits=6, algorithm='SHA1'):
    """RFC 4226 HOTP value of `counter` as a zero-padded string."""
    mac = hmac.new(key, struct.pack('>Q', counter),
                   ALGORITHMS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(binary % (10 ** digits)).zfill(digits)


def time_step(timestamp, period=30):
    """The RFC 6238 time step (T) containing `timestamp`."""
    return int(timestamp // period)


def matching_step(key, passcode, timestamp, period=30, digits=6,
                  algorithm='SHA1', past=1, future=1):
    """The newest step in [now - past, now + future] whose code is `passcode`.

    Every candidate is compared in constant time and none is skipped, so the
    time taken does not tell which window (if any) matched.
    """
    now = time_step(timestamp, period)
    found = None
    expected = passcode.encode('utf-8')
    for step in range(now - past, now + future + 1):
        code = hotp(key, step, digits, algorithm).encode('ascii')
        if hmac.compare_digest(code, expected):
            found = step
    return found
