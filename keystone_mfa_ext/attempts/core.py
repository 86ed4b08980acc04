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
"""Recording second-factor attempts: audit rows plus keystone CADF events.

Every attempt by one of our methods is written to `mfa_login_attempt` with
the request's client address, request id and an allow-list of headers, and
emitted as a CADF `identity.authenticate` event through keystone's own
notifier. Tokens, receipts, cookies and bodies are never recorded.
"""

import json
import uuid

import keystone.conf
from keystone import notifications
from oslo_db import exception as db_exception
from oslo_log import log
from oslo_utils import timeutils

from keystone_mfa_ext.attempts.backends import base as attempts_base
from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.common import request_context

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)

SUCCESS = 'success'
FAILURE = 'failure'
LOCKED = 'locked'
STATUSES = (SUCCESS, FAILURE, LOCKED)

# The only request headers an attempt keeps (api.md section 6).
RECORDED_HEADERS = request_context.RECORDED_HEADERS
MAX_HEADER_LENGTH = 255


def _request_facts():
    request = request_context.current()
    if request is None:
        return None, None, {}
    headers = {name.lower(): request.headers[name][:MAX_HEADER_LENGTH]
               for name in RECORDED_HEADERS if name in request.headers}
    return request.client_address, request.request_id, headers


class _CADF:
    """Lets keystone's own decorator build and send the CADF event."""

    class Failed(Exception):
        pass

    @notifications.emit_event('authenticate')
    def emit(self, user_id, succeeded):
        if not succeeded:
            raise self.Failed()


def _emit_cadf(user_id, succeeded):
    try:
        _CADF().emit(user_id, succeeded)
    except _CADF.Failed:
        pass


# --- reading ---------------------------------------------------------------

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# Filters that must match exactly; `since` and `until` bound the time.
EXACT_FILTERS = ('user_id', 'domain_id', 'method', 'status')


class InvalidMarker(ValueError):
    pass


def _public(attempt, detail=False):
    view = {name: attempt[name] for name in (
        'id', 'user_id', 'domain_id', 'method', 'status', 'message',
        'client_ip', 'timestamp', 'request_id')}
    if detail:
        view['client_headers'] = json.loads(attempt['client_headers'] or '{}')
        view['metadata'] = json.loads(attempt['extra'] or '{}')
    return view


class Manager(common_manager.Manager):
    """The login-attempt audit trail, on keystone's provider API.

    As mfa_attempt_api; storage is the driver's (`[mfa] attempt_driver`).
    """

    driver_namespace = 'keystone_mfa_ext.attempts'
    _provides_api = 'mfa_attempt_api'

    def __init__(self):
        super().__init__(CONF.mfa.attempt_driver)

    def record(self, method, status, user_id=None, domain_id=None,
               message=None, metadata=None):
        """Store one attempt and emit its CADF event; no DB error raises.

        `message` is the reason shown to auditors (never a code or secret).
        """
        client_ip, request_id, headers = _request_facts()
        attempt = dict(
            id=uuid.uuid4().hex, user_id=user_id, domain_id=domain_id,
            method=method, status=status, message=(message or '')[:255],
            client_ip=client_ip, request_id=request_id,
            timestamp=timeutils.utcnow(),
            client_headers=json.dumps(headers),
            extra=json.dumps(metadata or {}))
        try:
            self.driver.add(attempt)
        except db_exception.DBError:
            LOG.exception('Could not record %(method)s attempt %(id)s',
                          {'method': method, 'id': attempt['id']})
        if user_id and request_context.current() is not None:
            # keystone's CADF initiator is built from the HTTP request.
            _emit_cadf(user_id, status == SUCCESS)
        return attempt['id']

    def list_attempts(self, filters, limit=DEFAULT_LIMIT, marker=None):
        """Newest first, one page; returns (attempts, whether more follow).

        `filters` may hold user_id, domain_id, method, status, since, until.
        `marker` is the id of the previous page's last attempt.
        """
        equal = {name: filters[name] for name in EXACT_FILTERS
                 if filters.get(name) is not None}
        try:
            # One more than a page tells whether another page follows.
            rows = self.driver.list_newest(
                equal, filters.get('since'), filters.get('until'), marker,
                limit + 1)
        except attempts_base.MarkerNotFound:
            raise InvalidMarker(marker)
        return [_public(r) for r in rows[:limit]], len(rows) > limit

    def get_attempt(self, attempt_id):
        attempt = self.driver.get(attempt_id)
        return _public(attempt, detail=True) if attempt else None

    def purge(self, older_than):
        """Delete attempts older than `older_than`; returns how many."""
        return self.driver.delete_older_than(older_than)


__getattr__ = common_manager.module_api(Manager)
