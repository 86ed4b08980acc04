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
"""What the rest of the extension may know of the current HTTP request.

Only `api/` and `wsgi/` see Flask. A hook of the WSGI layer
(wsgi/request_facts.py) runs before everything else of ours on each
request, records here the few facts the core needs, and clears them when
the request ends; core code reads them here. keystone runs its auth
methods inside its own Flask request, after that hook. Outside a request
(the manage commands, worker threads) there is no current request.
"""

import contextvars
import dataclasses
import typing

from keystone.common import authorization

# The only request headers an audit record keeps (api.md section 6).
RECORDED_HEADERS = ('User-Agent', 'Host', 'Origin', 'Referer',
                    'X-Forwarded-For')
AUTH_RECEIPT_HEADER = authorization.AUTH_RECEIPT_HEADER
# Every header the core reads; credentials such as tokens are not among
# them, so they are never kept here.
HEADERS = RECORDED_HEADERS + (AUTH_RECEIPT_HEADER,)


@dataclasses.dataclass(frozen=True)
class Request:
    """The facts of one request that the core reads."""

    client_address: typing.Optional[str]
    request_id: typing.Optional[str]
    # Name (as in HEADERS) -> value, only for the headers sent.
    headers: typing.Mapping[str, str]
    # keystone's RequestContext (token reference, trust, OAuth1), or None.
    keystone_context: typing.Any
    # Returns the parsed JSON body, or None; read only when asked for.
    read_json: typing.Callable[[], typing.Any]


_CURRENT = contextvars.ContextVar('keystone_mfa_ext_request', default=None)


def bind(request):
    """Make `request` the current one (the WSGI layer, per request)."""
    _CURRENT.set(request)


def clear():
    _CURRENT.set(None)


def current():
    """The current Request, or None outside an HTTP request."""
    return _CURRENT.get()


def client_address():
    """The request's client address (a string), or None."""
    request = current()
    return request.client_address if request else None


def header(name):
    """The value of header `name` (one of HEADERS), or None."""
    request = current()
    return request.headers.get(name) if request else None


def keystone_context():
    request = current()
    return request.keystone_context if request else None


def json_body():
    """The request's JSON body, or None."""
    request = current()
    return request.read_json() if request else None
