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
"""Changing a user's factors is a privileged act.

Adding, verifying, replacing or removing a factor (OTP devices, recovery
codes, the email factor, the MFA switch, keystone `totp` credentials)
needs an interactive token of its own user: never a delegated one (trust,
application credential, OAuth1, EC2), whoever holds it. Once that user has
MFA on or any factor, the token must also have used a second factor within
`[mfa] factor_change_max_token_age` seconds: a stolen password, or an old
single-factor token, cannot mint or remove a factor.

The rules are those of the caller: a user acting on themselves is judged
by their own factors; an admin acting on another user (policy decides who
is one) by the admin's.
"""

import keystone.conf
from keystone.i18n import _

from keystone_mfa_ext.common import request_token
from keystone_mfa_ext import exception
from keystone_mfa_ext.factors import registry
from keystone_mfa_ext.user_mfa import core as user_mfa

CONF = keystone.conf.CONF

DELEGATED = _(
    'Factors cannot be changed with a delegated token (trust, application '
    'credential, OAuth1 or EC2): authenticate as the user, with the '
    'password and a second factor if the user has one.')
NO_SECOND_FACTOR = _(
    'Changing factors needs a token that used a second factor: '
    'authenticate again with the password and a second factor '
    '(%(factors)s).')
TOO_OLD = _(
    'Changing factors needs a token that used a second factor within the '
    'last %(max_age)s seconds: authenticate again with the password and a '
    'second factor (%(factors)s).')


def require(user):
    """Refuse (403) unless this request's token may change `user`'s factors.

    `user` is the keystone user ref whose factors change.
    """
    interactive = exception.FactorChangeForbidden.INTERACTIVE_TOKEN
    if request_token.is_delegated():
        raise exception.FactorChangeForbidden(needs=interactive,
                                              reason=DELEGATED)
    actor_id = request_token.user_id()
    if actor_id is None:
        raise exception.FactorChangeForbidden(needs=interactive,
                                              reason=DELEGATED)
    judged = user if actor_id == user['id'] else actor_id
    if not user_mfa.has_factor(judged):
        return   # the first factor may be added with the password alone
    if not request_token.used_second_factor():
        raise exception.FactorChangeForbidden(
            reason=NO_SECOND_FACTOR % {'factors': registry.method_names()})
    max_age = CONF.mfa.factor_change_max_token_age
    age = request_token.age_seconds()
    if max_age and (age is None or age > max_age):
        raise exception.FactorChangeForbidden(
            reason=TOO_OLD % {'max_age': max_age,
                              'factors': registry.method_names()})
