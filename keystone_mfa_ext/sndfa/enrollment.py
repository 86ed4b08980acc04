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
"""Switching the email factor on and off, with the rules that go with it.

Only a verified address can become a factor; switching it changes the
user's MFA rules where keystone itself asks for the second step (native
mode) and the domain's policy does not govern them.
"""

import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _

from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext.sndfa import core as sndfa
from keystone_mfa_ext.user_mfa import core as user_mfa

CONF = keystone.conf.CONF


def checked_email(user):
    """The user's one address, or 400 saying what is wrong with it."""
    if sndfa.has_malformed_email(user):
        raise ks_exception.ValidationError(
            _('The user\'s email attribute must be exactly one address, '
              'without a name or a line break.'))
    email = sndfa.user_email(user)
    if not email:
        raise ks_exception.ValidationError(
            _('The user has no email address to verify.'))
    return email


def already_enabled(user):
    """Whether it is on already; 400 if the address cannot be a factor."""
    checked_email(user)
    state = sndfa.email_state(user)
    if not state['email_verified']:
        raise ks_exception.ValidationError(
            _('Verify the email address (checkemail) before enabling the '
              'email second factor.'))
    return state['sndfa']


def set_enabled(user_id, domain_id, enable):
    """Switch the user's email factor; whether the setting changed."""
    modified = sndfa.set_sndfa(user_id, enable)
    if enable:
        enforcement.on_enrolled(user_id)
    native = sndfa.SNDFA in CONF.auth.methods and not CONF.spassword.sndfa
    if native and not enforcement.is_required(domain_id):
        # Native mode: keystone itself asks for the second step (MFA rules
        # and receipts); in a "required" domain its policy governs the
        # rules instead.
        user_mfa.set_rule(user_id, ['password', sndfa.SNDFA], enable)
    return modified
