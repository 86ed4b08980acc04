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
"""Keystone auth methods this package provides, and how to enable them."""

import importlib.metadata

import keystone.conf.auth

import keystone_mfa_ext.conf  # noqa: F401  (plugins read our options)

DISTRIBUTION = 'keystone-mfa-ext'
NAMESPACE_PREFIX = 'keystone.auth.'
# Drivers that replace keystone's method of the same name only when an
# operator opts in (the FIWARE password gate); never enabled by default.
OPT_IN_METHODS = frozenset(['password'])


def extension_methods():
    """[(method, driver)] from our own entry points, in a stable order."""
    eps = importlib.metadata.distribution(DISTRIBUTION).entry_points
    found = sorted(
        (ep.group[len(NAMESPACE_PREFIX):], ep.name) for ep in eps
        if ep.group.startswith(NAMESPACE_PREFIX))
    return [(m, d) for m, d in found if m not in OPT_IN_METHODS]


def enabled_auth_options(methods=None):
    """The `[auth]` options an operator sets to enable our methods.

    Keystone encodes token methods by POSITION in `[auth] methods`, so ours
    are appended at the end and existing entries keep their order; running
    this again on its own output changes nothing.
    """
    methods = list(methods or keystone.conf.auth.methods.default)
    builtin = set(keystone.conf.auth.methods.default) | {'totp'}
    options = {}
    extra_primary = []
    for method, driver in extension_methods():
        if method not in methods:
            methods.append(method)
        if driver != 'default':
            options[method] = driver
        if method not in builtin:
            extra_primary.append(method)
    options['methods'] = ','.join(methods)
    options['additional_primary_auth_methods'] = ','.join(extra_primary)
    return options
