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
"""The client address of a request, as far as it can be trusted.

keystone's app runs werkzeug's ProxyFix, which believes one
X-Forwarded-For hop from anyone: a client that reaches keystone directly
can name any text as its address. Rate limits, audit records, mails and
approval bindings use this address instead: the X-Forwarded-For hop only
when the TCP peer is one of `[mfa] trusted_proxies`, else the TCP peer;
and only ever a parsed IP address, never header text.
"""

import functools
import ipaddress

import flask
import keystone.conf
from oslo_log import log

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROXY_FIX_ORIG = 'werkzeug.proxy_fix.orig'


def _ip(text):
    try:
        return ipaddress.ip_address((text or '').strip())
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(),
                                                 strict=False))
        except ValueError:
            LOG.warning('[mfa] trusted_proxies: %r is not an address or '
                        'network; ignored.', proxy)
    return tuple(networks)


def _trusted(peer):
    return any(peer in net for net in _networks(
        tuple(CONF.mfa.trusted_proxies)))


def current():
    """The request's client address (a string), or None outside one."""
    if not flask.has_request_context():
        return None
    environ = flask.request.environ
    orig = environ.get(PROXY_FIX_ORIG) or {}
    peer = _ip(orig.get('REMOTE_ADDR', environ.get('REMOTE_ADDR')))
    forwarded = _ip(flask.request.remote_addr)
    if peer is not None and forwarded is not None and _trusted(peer):
        return str(forwarded)
    return str(peer) if peer is not None else None
