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
"""/v3/users/{user_id}/recovery_codes: one-time codes for a lost phone."""

import http.client

import flask
import flask_restful
from keystone.common import json_home
from keystone.server import flask as ks_flask

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.recovery import schema

PROVIDERS = provider_api.ProviderAPIs
PATH = '/users/<string:user_id>/recovery_codes'


class RecoveryCodesResource(flask_restful.Resource):

    def post(self, user_id):
        """New set, shown once. POST /v3/users/{user_id}/recovery_codes"""
        _shared.enforce_factor_change('identity:create_recovery_codes')
        if flask.request.get_data():
            _shared.validated_body(schema.recovery_codes_create)
        codes, created_at = PROVIDERS.mfa_recovery_api.generate(
            user_id, initiator=_shared.initiator())
        return _shared.created(
            {'recovery_codes': {'codes': codes,
                                'created_at': _shared.isotime(created_at)}},
            _shared.url(f'/users/{user_id}/recovery_codes'))

    def get(self, user_id):
        """GET/HEAD /v3/users/{user_id}/recovery_codes (a count only)."""
        _shared.enforce('identity:get_recovery_codes')
        summary = PROVIDERS.mfa_recovery_api.summary(user_id)
        return {'recovery_codes': {
            'remaining': summary['remaining'],
            'created_at': _shared.isotime(summary['created_at'])}}

    def delete(self, user_id):
        """DELETE /v3/users/{user_id}/recovery_codes"""
        _shared.enforce_factor_change('identity:delete_recovery_codes')
        PROVIDERS.mfa_recovery_api.invalidate(
            user_id, initiator=_shared.initiator())
        return None, http.client.NO_CONTENT


class RecoveryCodesAPI(_shared.APIBase):
    _name = 'recovery_codes'
    _import_name = __name__
    resources = []
    resource_mapping = [
        ks_flask.construct_resource_map(
            resource=RecoveryCodesResource, url=PATH, resource_kwargs={},
            rel='recovery_codes',
            path_vars={'user_id': json_home.Parameters.USER_ID},
            resource_relation_func=_shared.resource_relation),
    ]


APIs = (RecoveryCodesAPI,)
