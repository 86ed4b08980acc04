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
"""A user's MFA rules as keystone itself enforces them.

keystone (auth.core.UserMFARulesValidator) treats a missing
`multi_factor_auth_enabled` as on, and reads each rule only for the
methods it loads: a rule of unloaded methods alone is ignored. Deciding
"does this user need a second factor" any other way would leave a gap
between what keystone demands at login and what the extension enforces
everywhere else (EC2, revocation, the mailbox).
"""

import keystone.conf

CONF = keystone.conf.CONF

ENABLED_OPT = 'multi_factor_auth_enabled'
RULES_OPT = 'multi_factor_auth_rules'


def effective(options):
    """The rules keystone applies for these user options: [set], maybe []."""
    options = options or {}
    if options.get(ENABLED_OPT, True) is False:
        return []
    loaded = set(CONF.auth.methods)
    rules = []
    for rule in options.get(RULES_OPT) or []:
        if isinstance(rule, (list, tuple)):
            methods = {m for m in rule if isinstance(m, str)} & loaded
            if methods:
                rules.append(methods)
    return rules


def enforced(options):
    """Does keystone demand more than one method of this user?"""
    return any(len(rule) > 1 for rule in effective(options))
