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
"""Pieces every API module of ours uses."""

import functools
import http.client

import flask
from keystone.common import context as ks_context
from keystone.common import json_home
from keystone.common import rbac_enforcer
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone import notifications
from keystone.server import flask as ks_flask
from keystone.server.flask import common as ks_flask_common

from keystone_mfa_ext.common import factor_change
from keystone_mfa_ext.common import policy
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import utils as common_utils
from keystone_mfa_ext.common import validation

ENFORCER = rbac_enforcer.RBACEnforcer
PROVIDERS = provider_api.ProviderAPIs

EXTENSION_NAME = 'MFA-EXT'
EXTENSION_VERSION = '1.0'

# JSON-Home relations for extension resources, the way keystone names them
# for its OS-* extensions.
resource_relation = functools.partial(
    json_home.build_v3_extension_resource_relation,
    EXTENSION_NAME, EXTENSION_VERSION)
parameter_relation = functools.partial(
    json_home.build_v3_extension_parameter_relation,
    EXTENSION_NAME, EXTENSION_VERSION)


def validated_body(schema, missing=None):
    """The request's JSON body once `schema` accepted it, else a 400.

    keystone reads a body whatever its Content-Type says; so do we.
    `missing` stands for an absent or unparsable body.
    """
    body = flask.request.get_json(silent=True, force=True)
    body = missing if body is None else body
    validation.validate(schema, body)
    return body


def resource_map(resource, url, rel, path_vars=None):
    """keystone's resource map with our extension's JSON-Home relations."""
    return ks_flask.construct_resource_map(
        resource=resource, url=url, resource_kwargs={}, rel=rel,
        path_vars=path_vars, resource_relation_func=resource_relation)


def refuse_nul_in_path():
    """An id or code with a NUL names nothing: 404 before any lookup.

    PostgreSQL cannot even compare such text (a 500 from keystone's own
    get_user). recover_password keeps its one answer for every id.
    """
    args = flask.request.view_args or {}
    rule = flask.request.url_rule
    if rule is None or rule.rule.endswith('/recover_password'):
        return
    if any(isinstance(v, str) and '\x00' in v for v in args.values()):
        ks_flask_common.set_unenforced_ok()
        raise ks_exception.NotFound(_('Could not find the resource.'))


class APIBase(ks_flask.APIBase):
    """keystone's APIBase, plus our policy rules before every request."""

    def _register_before_request_functions(self, functions=None):
        functions = list(functions or [])
        functions.append(policy.setup)
        functions.append(refuse_nul_in_path)
        super()._register_before_request_functions(functions=functions)


def _enforce_on(action, key, fetch):
    """Enforce `action` on {key: fetch()}; return that target.

    As keystone's own user and domain routes: an unknown id leaves the
    target empty, so whoever the policy refuses gets the same 403 as for
    an existing one; only a caller it lets through then learns (404) that
    the id names nothing.
    """
    target = {}

    def build_target():
        try:
            target[key] = fetch()
        except ks_exception.NotFound:  # nosec
            pass   # existence is checked once the policy let the caller in
        return target

    ENFORCER.enforce_call(action=action, build_target=build_target)
    if key not in target:
        target[key] = fetch()   # allowed on an empty target: may hear 404
    return target


def initiator():
    """The CADF initiator of the request, for audit notifications."""
    return notifications.build_audit_initiator()


def current_user_id():
    """The user id of the request's token."""
    ctx = flask.request.environ.get(ks_context.REQUEST_CONTEXT_ENV)
    return getattr(ctx, 'user_id', None)


isotime = common_utils.isotime


def url(path):
    return ks_flask.base_url(path=path)


def created(body, location):
    """201 with a Location header, as api.md asks of every create."""
    return body, http.client.CREATED, {'Location': location}


def enforce(action):
    """Enforce `action` on the path's user; return the target (the user)."""
    return _enforce_on(action, 'user', lambda: PROVIDERS.identity_api.get_user(
        flask.request.view_args['user_id']))


def enforce_domain(action, domain_id):
    """Enforce `action` on a domain; 404 for an unknown one (after auth)."""
    _enforce_on(action, 'domain',
                lambda: PROVIDERS.resource_api.get_domain(domain_id))


def enforce_factor_change(action):
    """enforce(action), then the rules of changing the user's factors.

    See common.factor_change: no delegated token, and a recent second
    factor once the acting user has one.
    """
    target = enforce(action)
    factor_change.require(target['user'])
    return target
