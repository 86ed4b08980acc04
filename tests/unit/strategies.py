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
"""hypothesis strategies for hostile request bodies and path segments.

What an attacker or a broken client sends: wrong JSON types, nulls, huge
and odd unicode strings (lone surrogates, bidi overrides, NUL), SQL/HTML/
template metacharacters, extra fields, nested junk, non-JSON bytes, and
URL path segments with %, slashes, dots and very long ids.
"""

import json
import urllib.parse

from hypothesis import strategies as st

METACHARACTERS = (
    "' OR '1'='1", '"; DROP TABLE user; --', "1; SELECT pg_sleep(5)--",
    '%', '%%', '%s%s%s%n', '_', '\\', '\\x00', '\x00', 'a\x00b',
    '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
    '{{7*7}}', '${jndi:ldap://127.0.0.1/x}', '../../../etc/passwd',
    '\u202eevil', '\ufeff', '\ud800', '\udfff', '\U0001f600' * 3,
    'ＡＤＭＩＮ', 'İ', 'null', 'None', 'true', '0', '-1', '1e309',
    ' ', '\t\n\r', '', 'a' * 65, '123456', '0' * 64, '١٢٣٤٥٦',
)

# NUL, lone surrogates and other control or format characters included.
_all_chars = st.characters(codec=None, exclude_categories=())


def hostile_text(max_size=80):
    """Short strings of any code point, metacharacters or a huge string."""
    return st.one_of(
        st.sampled_from(METACHARACTERS),
        st.text(alphabet=_all_chars, max_size=max_size),
        st.builds(lambda c, n: c * n,
                  st.sampled_from(['a', '9', 'é', '\U0001f600', "'", '<']),
                  st.sampled_from([256, 4097, 20000])),
    )


def scalars():
    """Every JSON scalar type, with the values that break naive code."""
    return st.one_of(
        st.none(), st.booleans(),
        st.integers(min_value=-2 ** 70, max_value=2 ** 70),
        st.sampled_from([0, -1, 2 ** 31, 2 ** 63, 10 ** 400]),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text(),
    )


def junk():
    """Any JSON value: scalars, and lists and objects of them, nested."""
    return st.recursive(
        scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(hostile_text(max_size=12), children,
                            max_size=4)),
        max_leaves=8)


def _paths(value, prefix=()):
    """Every key path into the nested dicts of `value`, itself first."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))


def _copy_with(value, path, action, new=None, extra_key=None):
    if not path:
        if action == 'replace':
            return new
        if action == 'extra' and isinstance(value, dict):
            return dict(value, **{extra_key: new})
        return value
    value = dict(value)
    key, rest = path[0], path[1:]
    if action == 'drop' and not rest:
        del value[key]
        return value
    value[key] = _copy_with(value[key], rest, action, new, extra_key)
    return value


@st.composite
def mutated(draw, valid):
    """`valid` with one field replaced by junk, dropped, or one added."""
    path = draw(st.sampled_from(list(_paths(valid))))
    actions = ['replace', 'extra'] + (['drop'] if path else [])
    action = draw(st.sampled_from(actions))
    return _copy_with(valid, path, action, new=draw(junk()),
                      extra_key=draw(hostile_text(max_size=12)))


def bodies(valid):
    """A JSON-serialisable body: mostly near-valid, sometimes any junk."""
    return st.one_of(mutated(valid), mutated(valid), junk())


def encode(body):
    """Bytes as a client would send them (NaN, Infinity, \\ud800 kept)."""
    return json.dumps(body).encode()


def storable(body):
    """False when some text holds a lone surrogate (not valid UTF-8)."""
    try:
        json.dumps(body, ensure_ascii=False).encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


# Raw bodies that are not a JSON object, or barely one.
RAW_BODIES = (
    b'not json', b'{', b'{"a": }', b'\xff\xfe\xfa', b'null', b'[]', b'"s"',
    b'1e99999', b'NaN', b'{"a": 1, "a": 2}', b'\x00',
    b'{' * 50 + b'}' * 50, b'[' * 5000 + b']' * 5000,
    b'{"a": "' + b'x' * 100000 + b'"}',
)


def raw_bodies():
    return st.one_of(st.sampled_from(RAW_BODIES), st.binary(max_size=64))


def path_segments():
    """One URL path segment, already %-encoded for the request line.

    Decoded, it may hold '/', '%', dots, NUL, any unicode or be very
    long: a slash routes elsewhere, everything else reaches our code.
    """
    raw = st.one_of(
        st.sampled_from(METACHARACTERS + (
            '.', '..', '%2F', '%00', '%25', 'a/b', '/', '~', 'users',
            'a' * 64, 'f' * 32, 'a' * 255, '9' * 5000, '\U0010ffff')),
        st.text(alphabet=_all_chars, min_size=1, max_size=40),
    ).filter(bool)
    return raw.map(lambda s: urllib.parse.quote(
        s.encode('utf-8', 'surrogatepass'), safe=''))
