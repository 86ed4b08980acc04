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
"""/v3/mfa: what this extension offers in this keystone."""

import flask_restful

from keystone.auth import core as auth_core
from keystone.common import rbac_enforcer
import keystone.conf
from keystone.server import flask as ks_flask

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import compat
from keystone_mfa_ext import version

CONF = keystone.conf.CONF
ENFORCER = rbac_enforcer.RBACEnforcer


def loaded_extension_methods():
    """Names in `[auth] methods` whose loaded driver is one of ours.

    Looks at the plugins keystone itself loaded (same stevedore lookup), so
    the answer is what this keystone really runs, in `[auth] methods` order.
    """
    auth_core.load_auth_methods()
    return [
        name for name in CONF.auth.methods
        if type(auth_core.AUTH_METHODS.get(name)).__module__.startswith(
            'keystone_mfa_ext.')
    ]


class MFAInfoResource(flask_restful.Resource):
    @compat.request_body_schema(None)
    def get(self):
        """Show the extension's version and the methods it loaded.

        GET/HEAD /v3/mfa
        """
        ENFORCER.enforce_call(action='identity:get_mfa_info')
        return {
            'mfa': {
                'version': version.version_string(),
                'methods': loaded_extension_methods(),
                'links': {'self': ks_flask.base_url(path='/mfa')},
            }
        }


class MFAAPI(_shared.APIBase):
    _name = 'mfa'
    _import_name = __name__
    resources = []
    resource_mapping = [
        ks_flask.construct_resource_map(
            resource=MFAInfoResource,
            url='/mfa',
            resource_kwargs={},
            rel='mfa',
            resource_relation_func=_shared.resource_relation,
        ),
    ]


APIs = (MFAAPI,)
