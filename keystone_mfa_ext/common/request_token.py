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
"""What the token of the current request proves: who, how, and when.

keystone's auth middleware leaves the validated token, rendered as in a
token response, in the request context (`token_reference`); trusts and
OAuth1 are marked there too. Everything here reads only that.
"""

import datetime

import keystone.conf
from oslo_utils import timeutils

from keystone_mfa_ext.common import compat
from keystone_mfa_ext.common import request_context
from keystone_mfa_ext.factors import registry

CONF = keystone.conf.CONF

# Methods that authenticate a user directly: keystone's own list (in
# keystone.api._shared.delegation) and our factors' methods. Anything
# else, EC2 and an unknown future method included, is a delegated
# credential.
_KEYSTONE_PRIMARY_METHODS = frozenset([
    'external', 'kerberos', 'mapped', 'openid', 'password', 'saml2',
    'token', 'totp', 'x509'])
_ALWAYS_DELEGATED = frozenset(['ec2credential', 'application_credential',
                               'oauth1', 'oauth2_credential'])


def _context():
    return request_context.keystone_context()


def token():
    """The current request's token as keystone renders it, or {}."""
    ref = getattr(_context(), 'token_reference', None) or {}
    return ref.get('token') or {}


def user_id():
    return getattr(_context(), 'user_id', None)


def acting_user_ids():
    """The token's user and, for a trust, its trustor: whose rules apply."""
    tok = token()
    found = {(tok.get('user') or {}).get('id')}
    trust = tok.get('OS-TRUST:trust') or {}
    found.add((trust.get('trustor_user') or {}).get('id'))
    return found - {None}


def methods():
    return set(token().get('methods') or [])


def used_second_factor():
    """Did the current token come from a second factor of ours?"""
    return bool(registry.methods() & methods())


def is_delegated():
    """A trust, OAuth1, application credential or EC2 derived token?

    An empty method list counts as delegated: deny by default, as keystone
    does.
    """
    ctx = _context()
    tok = token()
    if getattr(ctx, 'trust_id', None) or getattr(
            ctx, 'oauth_access_token_id', None):
        return True
    if tok.get('OS-TRUST:trust') or tok.get('OS-OAUTH1') or tok.get(
            'application_credential'):
        return True
    used = methods()
    primary = (_KEYSTONE_PRIMARY_METHODS | registry.methods()
               | compat.additional_primary_auth_methods()) \
        - _ALWAYS_DELEGATED
    return not used or not used <= primary


def authenticated_at():
    """When the user of the token last proved a factor (UTC, naive).

    A rescoped token is issued anew but keeps the expiry of the token it
    came from (keystone does not let rescoping extend a session), so the
    original authentication was at least `[token] expiration` before that
    expiry: the earlier of the two times is the conservative answer.
    """
    tok = token()
    times = []
    if tok.get('issued_at'):
        times.append(_parse(tok['issued_at']))
    if tok.get('expires_at'):
        times.append(_parse(tok['expires_at']) - datetime.timedelta(
            seconds=CONF.token.expiration))
    return min(times) if times else None


def age_seconds(now=None):
    """Seconds since authenticated_at(), or None when unknown."""
    at = authenticated_at()
    if at is None:
        return None
    now = now or timeutils.utcnow()
    return (now - at).total_seconds()


def _parse(value):
    return timeutils.normalize_time(timeutils.parse_isotime(value))
