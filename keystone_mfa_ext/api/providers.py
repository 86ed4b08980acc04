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
"""/v3/mfa/providers and /v3/domains/{domain_id}/mfa/providers."""

import http.client

import flask_restful
from keystone.common import json_home

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.providers import schema

PROVIDERS = provider_api.ProviderAPIs
SYSTEM = '/mfa/providers'
DOMAIN = '/domains/<string:domain_id>/mfa/providers'


def _path(domain_id):
    return f'/domains/{domain_id}/mfa/providers' if domain_id else SYSTEM


def _render(ref, domain_id):
    return dict(ref, links={'self': _shared.url(
        f'{_path(domain_id)}/{ref["id"]}')})


def _enforce(action, domain_id):
    """System rules for system providers; domain rules need the domain."""
    if domain_id is None:
        _shared.ENFORCER.enforce_call(action=f'identity:{action}')
        return
    _shared.enforce_domain(
        f'identity:{action.replace("_mfa", "_domain_mfa", 1)}', domain_id)


def _body(body_schema):
    return _shared.validated_body(body_schema)['provider']


class ProvidersResource(flask_restful.Resource):

    def get(self, domain_id=None):
        """GET /v3/mfa/providers, /v3/domains/{domain_id}/mfa/providers"""
        _enforce('list_mfa_providers', domain_id)
        found = PROVIDERS.mfa_provider_api.list_for(domain_id)
        return {'providers': [_render(p, domain_id) for p in found],
                'links': {'self': _shared.url(_path(domain_id)),
                          'next': None, 'previous': None}}

    def post(self, domain_id=None):
        _enforce('create_mfa_provider', domain_id)
        ref = _render(PROVIDERS.mfa_provider_api.create(
            domain_id, _body(schema.provider_create),
            initiator=_shared.initiator()), domain_id)
        return _shared.created({'provider': ref}, ref['links']['self'])


class ProviderResource(flask_restful.Resource):

    def get(self, provider_id, domain_id=None):
        _enforce('get_mfa_provider', domain_id)
        return {'provider': _render(
            PROVIDERS.mfa_provider_api.get(provider_id, domain_id),
            domain_id)}

    def patch(self, provider_id, domain_id=None):
        _enforce('update_mfa_provider', domain_id)
        ref = PROVIDERS.mfa_provider_api.update(
            provider_id, domain_id, _body(schema.provider_update),
            initiator=_shared.initiator())
        return {'provider': _render(ref, domain_id)}

    def put(self, provider_id, domain_id=None):
        _enforce('update_mfa_provider', domain_id)
        ref = PROVIDERS.mfa_provider_api.update(
            provider_id, domain_id, _body(schema.provider_replace),
            replace=True, initiator=_shared.initiator())
        return {'provider': _render(ref, domain_id)}

    def delete(self, provider_id, domain_id=None):
        _enforce('delete_mfa_provider', domain_id)
        PROVIDERS.mfa_provider_api.delete(provider_id, domain_id,
                                          initiator=_shared.initiator())
        return None, http.client.NO_CONTENT


class DomainProvidersResource(ProvidersResource):
    """The same resource under /v3/domains/{domain_id}/mfa/providers."""


class DomainProviderResource(ProviderResource):
    """The same resource under .../mfa/providers/{provider_id}."""


_PROVIDER = _shared.parameter_relation(parameter_name='provider_id')
_DOMAIN_ID = {'domain_id': json_home.Parameters.DOMAIN_ID}


class ProvidersAPI(_shared.APIBase):
    _name = 'mfa_providers'
    _import_name = __name__
    resources = []
    resource_mapping = [
        _shared.resource_map(ProvidersResource, SYSTEM, 'providers', None),
        _shared.resource_map(
            ProviderResource,
            SYSTEM + '/<string:provider_id>',
            'provider',
            {'provider_id': _PROVIDER}),
        _shared.resource_map(
            DomainProvidersResource,
            DOMAIN,
            'domain_providers',
            _DOMAIN_ID),
        _shared.resource_map(
            DomainProviderResource,
            DOMAIN + '/<string:provider_id>',
            'domain_provider',
            dict(_DOMAIN_ID, provider_id=_PROVIDER)),
    ]


APIs = (ProvidersAPI,)
