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
"""The one place that teaches keystone's RBAC enforcer our rules.

Keystone builds its set of known action names at import time and registers
only its own defaults on its enforcer; an unknown action ends in an HTTP 500.
There is no public hook for extensions, so this module touches exactly two
private names of keystone.common.rbac_enforcer.enforcer and nothing else:
`_POSSIBLE_TARGET_ACTIONS` (extended, never shrunk) and the shared oslo.policy
enforcer (our defaults registered on it, again after keystone resets it).
tests/unit/common/test_policy.py pins both against the installed keystone.
"""

from keystone.common.rbac_enforcer import enforcer as ks_enforcer
from keystone.common.rbac_enforcer import policy as ks_policy

from keystone_mfa_ext.common import policies

RBACEnforcer = ks_enforcer.RBACEnforcer


def _rules_by_name():
    return {rule.name: rule for rule in policies.list_rules()}


def allow_actions():
    """Make keystone accept our action names in `enforce_call`."""
    ours = frozenset(_rules_by_name())
    if not ours <= ks_enforcer._POSSIBLE_TARGET_ACTIONS:
        ks_enforcer._POSSIBLE_TARGET_ACTIONS = (
            ks_enforcer._POSSIBLE_TARGET_ACTIONS | ours)


def register_rules(oslo_enforcer):
    """Register our defaults on an oslo.policy enforcer that lacks them."""
    missing = [rule for name, rule in _rules_by_name().items()
               if name not in oslo_enforcer.registered_rules]
    if missing:
        oslo_enforcer.register_defaults(missing)
    return oslo_enforcer


def setup():
    """Idempotent; cheap enough to run before each of our requests.

    Keystone drops its enforcer on `policy.reset()` (tests, SIGHUP-style
    reloads) and rebuilds it with only its own rules, so our API calls this
    before enforcing rather than only once at start-up.
    """
    allow_actions()
    register_rules(RBACEnforcer()._enforcer)


def get_enforcer():
    """`oslo.policy.enforcer` entry point: keystone's enforcer + our rules."""
    allow_actions()
    return register_rules(ks_policy.get_enforcer())
