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
"""The installed second factors, from the `keystone_mfa_ext.factors`
entry-point namespace.

Every factor installed is known (forgetting a user reaches all of them);
those whose method keystone loads (`[auth] methods`) are `loaded()`. A
factor that fails to load is an error, not a factor silently missing:
its records would outlive a reset.
"""

import functools

import keystone.conf
from stevedore import extension

CONF = keystone.conf.CONF
NAMESPACE = 'keystone_mfa_ext.factors'


def _raise(manager, entry_point, exc):
    raise exc


@functools.cache
def _factors():
    manager = extension.ExtensionManager(
        NAMESPACE, invoke_on_load=True, on_load_failure_callback=_raise)
    return tuple(sorted((ext.obj for ext in manager),
                        key=lambda f: (f.position, f.name)))


def factors():
    """Every installed factor, in rule order."""
    return _factors()


def names():
    return tuple(f.name for f in _factors())


def get(name):
    """The factor named `name`; KeyError if none is installed."""
    for factor in _factors():
        if factor.name == name:
            return factor
    raise KeyError(name)


def methods():
    """The auth methods our factors back: the second factors."""
    return frozenset(f.method for f in _factors())


def method_names():
    """'totp or sndfa': the second factors, for messages."""
    return ' or '.join(f.method for f in _factors())


def loaded():
    """The factors whose auth method keystone loads."""
    enabled = set(CONF.auth.methods)
    return tuple(f for f in _factors() if f.method in enabled)
