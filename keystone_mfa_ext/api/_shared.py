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

from keystone.common import json_home
from keystone.server import flask as ks_flask

from keystone_mfa_ext.common import policy

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


class APIBase(ks_flask.APIBase):
    """keystone's APIBase, plus our policy rules before every request."""

    def _register_before_request_functions(self, functions=None):
        functions = list(functions or [])
        functions.append(policy.setup)
        super()._register_before_request_functions(functions=functions)
