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
"""Login attempts: /v3/mfa/attempts, per domain and per user.

Newest first, filtered by `user_id`, `method`, `status`, `since`,
`until`, paged with `limit` and `marker` (`links.next`).
"""

import urllib.parse

import flask
import flask_restful
from keystone.common import json_home
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone.server import flask as ks_flask
from oslo_utils import timeutils

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.common import provider_api

PROVIDERS = provider_api.ProviderAPIs
SYSTEM = '/mfa/attempts'
DOMAIN = '/domains/<string:domain_id>/mfa/attempts'
USER = '/users/<string:user_id>/mfa/attempts'
FILTERS = ('user_id', 'method', 'status', 'since', 'until')


def _bad(name):
    return ks_exception.ValidationError(
        _('Invalid value for query parameter %s.') % name)


def _time(name, value):
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except (ValueError, OverflowError):
        raise _bad(name)


def _query():
    """Validated filters, limit and marker from the query string."""
    args = flask.request.args
    for name in FILTERS + ('limit', 'marker'):
        # PostgreSQL cannot compare text with a NUL (a DBError, 500).
        if '\x00' in args.get(name, ''):
            raise _bad(name)
    filters = {}
    for name in ('user_id', 'method'):
        if name in args:
            if not 0 < len(args[name]) <= 64:
                raise _bad(name)
            filters[name] = args[name]
    if 'status' in args:
        if args['status'] not in attempts.STATUSES:
            raise _bad('status')
        filters['status'] = args['status']
    for name in ('since', 'until'):
        if name in args:
            filters[name] = _time(name, args[name])
    try:
        limit = int(args.get('limit', attempts.DEFAULT_LIMIT))
    except ValueError:
        raise _bad('limit')
    if not 0 < limit <= attempts.MAX_LIMIT:
        raise _bad('limit')
    return filters, limit, args.get('marker')


def _render(item, path):
    item = dict(item, timestamp=_shared.isotime(item['timestamp']))
    item['links'] = {'self': _shared.url(f'{path}/{item["id"]}')}
    return item


def _page(path, fixed):
    filters, limit, marker = _query()
    filters.update(fixed)
    try:
        items, more = PROVIDERS.mfa_attempt_api.list_attempts(
            filters, limit, marker)
    except attempts.InvalidMarker:
        raise _bad('marker')
    nxt = None
    if more and items:
        params = {k: v for k, v in flask.request.args.items()
                  if k in FILTERS or k == 'limit'}
        params['marker'] = items[-1]['id']
        nxt = _shared.url(path) + '?' + urllib.parse.urlencode(params)
    return {'attempts': [_render(i, path) for i in items],
            'links': {'self': ks_flask.full_url(path), 'next': nxt,
                      'previous': None}}


def _detail(attempt_id, path, **scope):
    item = PROVIDERS.mfa_attempt_api.get_attempt(attempt_id)
    if item is None or any(item[k] != v for k, v in scope.items()):
        raise ks_exception.NotFound(
            _('Could not find login attempt: %s.') % attempt_id)
    return {'attempt': _render(item, path)}


class SystemAttemptsResource(flask_restful.Resource):
    def get(self):
        """GET /v3/mfa/attempts"""
        _shared.ENFORCER.enforce_call(action='identity:list_mfa_attempts')
        return _page(SYSTEM, {})


class SystemAttemptResource(flask_restful.Resource):
    def get(self, attempt_id):
        """GET /v3/mfa/attempts/{attempt_id}"""
        _shared.ENFORCER.enforce_call(action='identity:get_mfa_attempt')
        return _detail(attempt_id, SYSTEM)


class DomainAttemptsResource(flask_restful.Resource):
    def get(self, domain_id):
        """GET /v3/domains/{domain_id}/mfa/attempts"""
        _shared.enforce_domain('identity:list_domain_mfa_attempts',
                               domain_id)
        return _page(f'/domains/{domain_id}/mfa/attempts',
                     {'domain_id': domain_id})


class DomainAttemptResource(flask_restful.Resource):
    def get(self, domain_id, attempt_id):
        """GET /v3/domains/{domain_id}/mfa/attempts/{attempt_id}"""
        _shared.enforce_domain('identity:get_domain_mfa_attempt',
                               domain_id)
        return _detail(attempt_id, f'/domains/{domain_id}/mfa/attempts',
                       domain_id=domain_id)


class UserAttemptsResource(flask_restful.Resource):
    def get(self, user_id):
        """GET /v3/users/{user_id}/mfa/attempts"""
        _shared.enforce('identity:list_user_mfa_attempts')
        return _page(f'/users/{user_id}/mfa/attempts', {'user_id': user_id})


class UserAttemptResource(flask_restful.Resource):
    def get(self, user_id, attempt_id):
        """GET /v3/users/{user_id}/mfa/attempts/{attempt_id}"""
        _shared.enforce('identity:get_user_mfa_attempt')
        return _detail(attempt_id, f'/users/{user_id}/mfa/attempts',
                       user_id=user_id)


_ATTEMPT = _shared.parameter_relation(parameter_name='attempt_id')
_DOMAIN_ID = {'domain_id': json_home.Parameters.DOMAIN_ID}
_USER_ID = {'user_id': json_home.Parameters.USER_ID}


class AttemptsAPI(_shared.APIBase):
    _name = 'mfa_attempts'
    _import_name = __name__
    resources = []
    resource_mapping = [
        _shared.resource_map(SystemAttemptsResource, SYSTEM, 'attempts', None),
        _shared.resource_map(
            SystemAttemptResource,
            SYSTEM + '/<string:attempt_id>',
            'attempt',
            {'attempt_id': _ATTEMPT}),
        _shared.resource_map(
            DomainAttemptsResource,
            DOMAIN,
            'domain_attempts',
            _DOMAIN_ID),
        _shared.resource_map(
            DomainAttemptResource,
            DOMAIN + '/<string:attempt_id>',
            'domain_attempt',
            dict(_DOMAIN_ID, attempt_id=_ATTEMPT)),
        _shared.resource_map(
            UserAttemptsResource,
            USER,
            'user_attempts',
            _USER_ID),
        _shared.resource_map(
            UserAttemptResource,
            USER + '/<string:attempt_id>',
            'user_attempt',
            dict(_USER_ID, attempt_id=_ATTEMPT)),
    ]


APIs = (AttemptsAPI,)
