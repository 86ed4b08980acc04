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
"""/v3/domains/{domain_id}/mfa/policy: a domain's MFA enforcement."""

import flask_restful
from keystone.common import json_home

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext.enforcement import schema

PATH = '/domains/<string:domain_id>/mfa/policy'


def _render(domain_id, policy):
    return {'policy': dict(policy, **enforcement.counts(domain_id),
                           links={'self': _shared.url(
                               f'/domains/{domain_id}/mfa/policy')})}


class DomainPolicyResource(flask_restful.Resource):

    def get(self, domain_id):
        """GET /v3/domains/{domain_id}/mfa/policy (with enrollment counts)"""
        _shared.enforce_domain('identity:get_domain_mfa_policy', domain_id)
        return _render(domain_id, enforcement.get(domain_id))

    def put(self, domain_id):
        """PUT /v3/domains/{domain_id}/mfa/policy; applied to every user."""
        _shared.enforce_domain('identity:update_domain_mfa_policy',
                               domain_id)
        body = _shared.validated_body(schema.domain_policy)
        return _render(domain_id, enforcement.put(
            domain_id, body['policy'], initiator=_shared.initiator()))


class DomainPolicyAPI(_shared.APIBase):
    _name = 'mfa_domain_policy'
    _import_name = __name__
    resources = []
    resource_mapping = [
        _shared.resource_map(DomainPolicyResource, PATH, 'domain_policy',
                             {'domain_id': json_home.Parameters.DOMAIN_ID}),
    ]


APIs = (DomainPolicyAPI,)
