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
"""Recording what the core needs of each request (common.request_context).

The client address is the one that can be trusted: keystone's app runs
werkzeug's ProxyFix, which believes one X-Forwarded-For hop from anyone,
so a client that reaches keystone directly could name any text as its
address. Rate limits, audit records, mails and approval bindings use the
X-Forwarded-For hop only when the TCP peer is one of `[mfa]
trusted_proxies`, else the TCP peer; and only ever a parsed IP address,
never header text.
"""

import functools
import ipaddress

import flask
from keystone.common import context as ks_context
import keystone.conf
from oslo_log import log
from oslo_middleware import request_id as request_id_mw

from keystone_mfa_ext.common import request_context

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


def client_address(request):
    """The client address of `request` (a string), or None."""
    environ = request.environ
    orig = environ.get(PROXY_FIX_ORIG) or {}
    peer = _ip(orig.get('REMOTE_ADDR', environ.get('REMOTE_ADDR')))
    forwarded = _ip(request.remote_addr)
    if peer is not None and forwarded is not None and _trusted(peer):
        return str(forwarded)
    return str(peer) if peer is not None else None


def _read_json(request):
    # force: keystone reads the body whatever its Content-Type says.
    return request.get_json(silent=True, force=True)


def record():
    """before_request: the facts of this request, for the core."""
    request = flask.request._get_current_object()
    request_context.bind(request_context.Request(
        client_address=client_address(request),
        request_id=request.environ.get(request_id_mw.ENV_REQUEST_ID),
        headers={name: request.headers[name]
                 for name in request_context.HEADERS
                 if name in request.headers},
        keystone_context=request.environ.get(
            ks_context.REQUEST_CONTEXT_ENV),
        read_json=functools.partial(_read_json, request)))


def forget(_exc=None):
    """teardown_request: no request is current any more."""
    request_context.clear()


def register(app):
    """Before every other hook of ours: they and keystone's auth read it."""
    app.before_request(record)
    app.teardown_request(forget)
