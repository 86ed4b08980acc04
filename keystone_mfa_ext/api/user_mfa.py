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
"""/v3/users/{user_id}/mfa: a user's MFA state, enable/disable/unlock/reset."""

import http.client

import flask_restful
from keystone.common import json_home
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone.server import flask as ks_flask

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import request_token
from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext.lockout import core as lockout
from keystone_mfa_ext.user_mfa import core as user_mfa
from keystone_mfa_ext.user_mfa import schema

PATH = '/users/<string:user_id>/mfa'


def _render(user_id):
    state = user_mfa.state(user_id)
    state['locked_until'] = _shared.isotime(state['locked_until'])
    # A "required" domain's deadline for a user without a factor it names.
    state['grace_until'] = _shared.isotime(enforcement.grace_until(user_id))
    return {'mfa': state}


class UserMFAResource(flask_restful.Resource):

    def get(self, user_id):
        """GET/HEAD /v3/users/{user_id}/mfa"""
        _shared.enforce('identity:get_user_mfa')
        return _render(user_id)

    def patch(self, user_id):
        """PATCH /v3/users/{user_id}/mfa

        Enable: owner or admin, and only with an enrolled factor (in a
        "required" domain: one the policy names). Disable: admin, or the
        owner with a token that used a second factor (a stolen password
        alone must not switch MFA off). Unlock: admin. Every change is a
        factor change (common.factor_change).
        """
        user = _shared.enforce_factor_change(
            'identity:update_user_mfa')['user']
        body = _shared.validated_body(schema.user_mfa_update)
        change = body['mfa']
        if change.get('unlock'):
            _shared.enforce('identity:unlock_user_mfa')
            lockout.unlock(user_id)
        elif change['enabled']:
            enforcement.enable(user_id, user['domain_id'])
        else:
            if not request_token.used_second_factor():
                _shared.enforce('identity:disable_user_mfa')
            if enforcement.is_required(user['domain_id']):
                # Enforcement never fails open; a lost phone is a reset.
                raise ks_exception.ForbiddenAction(
                    action=_('disable MFA in a domain that requires it'))
            user_mfa.disable(user_id)
        return _render(user_id)

    def delete(self, user_id):
        """Lost phone. DELETE /v3/users/{user_id}/mfa (admin)"""
        user = _shared.enforce_factor_change(
            'identity:delete_user_mfa')['user']
        user_mfa.reset(user_id, actor_id=_shared.current_user_id(),
                       initiator=_shared.initiator())
        # In a "required" domain the user starts over: a new grace period
        # to enroll, or the rules at once when the domain gives none.
        enforcement.apply_to_user(user_id, user['domain_id'])
        return None, http.client.NO_CONTENT


class UserMFAAPI(_shared.APIBase):
    _name = 'user_mfa'
    _import_name = __name__
    resources = []
    resource_mapping = [
        ks_flask.construct_resource_map(
            resource=UserMFAResource, url=PATH, resource_kwargs={},
            rel='user_mfa',
            path_vars={'user_id': json_home.Parameters.USER_ID},
            resource_relation_func=_shared.resource_relation),
    ]


APIs = (UserMFAAPI,)
