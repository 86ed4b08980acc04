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
"""Provider bodies and the settings each provider type accepts.

A provider type is a factor (factors.registry): its name, settings schema
and secret settings are the factor's. The schemas are built when first
read, not at import, once per set of installed factors.
"""

import functools

from keystone_mfa_ext.factors import base
from keystone_mfa_ext.factors import registry


def _body(factors, required):
    properties = {
        'name': base.TEXT,
        'provider_name': {'type': 'string',
                          'enum': [f.name for f in factors]},
        'enabled': {'type': 'boolean'},
        'settings': {'type': 'object'},
    }
    return {
        'type': 'object',
        'properties': {'provider': {
            'type': 'object', 'properties': properties,
            'required': required, 'additionalProperties': False}},
        'required': ['provider'],
        'additionalProperties': False,
    }


_LAZY = {
    'PROVIDER_NAMES': lambda factors: tuple(f.name for f in factors),
    # {provider_name: settings schema}
    'SETTINGS': lambda factors: {f.name: f.settings_schema
                                 for f in factors},
    # {provider_name: [(group, key)]}: stored encrypted, never returned.
    'SECRET_SETTINGS': lambda factors: {f.name: list(f.secret_settings)
                                        for f in factors
                                        if f.secret_settings},
    'provider_create': lambda factors: _body(factors,
                                             ['name', 'provider_name']),
    'provider_replace': lambda factors: _body(
        factors, ['name', 'provider_name', 'enabled', 'settings']),
    'provider_update': lambda factors: _body(factors, []),
}


@functools.lru_cache(maxsize=32)
def _built(name, factors):
    # The same object for the same factors: validators are cached by
    # schema (common.validation).
    return _LAZY[name](factors)


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(name)
    return _built(name, registry.factors())
