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
"""Per-user MFA state, kept in keystone's own user options.

Enabling writes `multi_factor_auth_enabled` and `multi_factor_auth_rules`
so keystone core enforces them (receipts and all). Rules are built only
from factors the user really enrolled AND whose method keystone loads:
keystone silently drops rules naming unknown methods and, when none is
left, lets one factor through (fail open). We refuse that instead.
"""

import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone import notifications
from oslo_log import log

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.common import mfa_rules
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import revocation
from keystone_mfa_ext.factors import registry
from keystone_mfa_ext.lockout import core as lockout

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs

ENABLED_OPT = mfa_rules.ENABLED_OPT
RULES_OPT = mfa_rules.RULES_OPT
RESOURCE = 'user_mfa'   # of audit notifications (id: the user's)


def _user(user):
    """A keystone user ref, from a ref or a user id."""
    if isinstance(user, str):
        return PROVIDERS.identity_api.get_user(user)
    return user


def has_factor(user):
    """MFA on, or any record of any factor (device, codes, email...)?

    `user` is a keystone user ref or a user id.
    """
    user = _user(user)
    options = user.get('options') or {}
    return bool(mfa_rules.enforced(options) or any(
        factor.has_records(user) for factor in registry.factors()))


def requires_second_factor(user_id):
    """Do keystone's MFA rules of the user demand a second factor now?"""
    options = PROVIDERS.identity_api.get_user(user_id).get('options') or {}
    return mfa_rules.enforced(options)


def enrolled_rules(user_id):
    """Rules from the user's enrolled factors whose methods keystone loads."""
    if 'password' not in CONF.auth.methods:
        return []
    user = PROVIDERS.identity_api.get_user(user_id)
    return [['password', factor.method] for factor in registry.loaded()
            if factor.enrolled(user)]


def state(user_id):
    user = PROVIDERS.identity_api.get_user(user_id)
    options = user.get('options') or {}
    lock = lockout.status(user_id)
    found = {'enabled': bool(options.get(ENABLED_OPT)),
             'rules': options.get(RULES_OPT) or []}
    for factor in registry.factors():
        found.update(factor.state(user))
    found.update({
        'locked': lock.locked,
        # None while locked: locked until an admin unlocks.
        'locked_until': lock.until,
        'failed_attempts': lock.failed_attempts,
    })
    return found


def _set_options(user_id, enabled, rules):
    before = PROVIDERS.identity_api.get_user(user_id).get('options') or {}
    PROVIDERS.identity_api.update_user(
        user_id, {'options': {ENABLED_OPT: enabled, RULES_OPT: rules}})
    if enabled and rules and not mfa_rules.enforced(before):
        end_single_factor_access(user_id)


def require_rules(user_id, rules):
    """Make keystone demand `rules` of the user (a domain policy's)."""
    _set_options(user_id, True, rules)


def end_single_factor_access(user_id):
    """The user's rules now require a second factor: end what did not.

    Every token of the user issued before is revoked (keystone's
    revocation cannot tell a single-factor token from another, so a user
    switching MFA on logs in again, as after a password change). The
    delegations made before are removed too, since they were made with
    whatever the user proved then: application credentials, EC2
    credentials, trusts the user granted and OAuth1 access tokens.
    """
    revocation.revoke_user_tokens(
        user_id, f'MFA now required for user {user_id}.')
    removed = 0
    app_creds = PROVIDERS.application_credential_api
    for cred in app_creds.list_application_credentials(user_id):
        app_creds.delete_application_credential(cred['id'])
        removed += 1
    for cred in PROVIDERS.credential_api.list_credentials_for_user(
            user_id, type='ec2'):
        PROVIDERS.credential_api.delete_credential(cred['id'])
        removed += 1
    for trust in PROVIDERS.trust_api.list_trusts_for_trustor(user_id):
        PROVIDERS.trust_api.delete_trust(trust['id'])
        removed += 1
    for access_token in PROVIDERS.oauth_api.list_access_tokens(user_id):
        PROVIDERS.oauth_api.delete_access_token(user_id, access_token['id'])
        removed += 1
    LOG.info('MFA now required for user %(user)s: its earlier tokens are '
             'revoked and %(removed)d delegations (application and EC2 '
             'credentials, trusts, OAuth1 access tokens) removed.',
             {'user': user_id, 'removed': removed})


def enable(user_id):
    rules = enrolled_rules(user_id)
    if not rules:
        raise ks_exception.ValidationError(_(
            'Enroll and verify a second factor (an OTP device, or a '
            'verified email with sndfa enabled) before enabling MFA.'))
    _set_options(user_id, True, rules)


def disable(user_id):
    _set_options(user_id, False, None)


def set_rule(user_id, rule, present):
    """Add or remove one rule in keystone's options (native sndfa mode).

    MFA is switched on with the first rule and off with the last one, so
    keystone never holds "enabled" with no rule at all.
    """
    options = PROVIDERS.identity_api.get_user(user_id).get('options') or {}
    rules = [r for r in options.get(RULES_OPT) or [] if r != rule]
    if present:
        rules.append(rule)
    _set_options(user_id, bool(rules), rules or None)


def forget(user_id):
    """Remove every second-factor record of the user (not keystone's)."""
    for factor in registry.factors():
        factor.forget(user_id)
    lockout.forget(user_id)


def reset(user_id, actor_id, initiator=None):
    """Lost phone: forget everything, clear keystone's MFA options, audit."""
    forget(user_id)
    disable(user_id)
    notifications.Audit.deleted(RESOURCE, user_id, initiator)
    user = PROVIDERS.identity_api.get_user(user_id)
    PROVIDERS.mfa_attempt_api.record(
        'admin', attempts.SUCCESS, user_id=user_id,
        domain_id=user['domain_id'], message=f'MFA reset by {actor_id}')


def on_user_deleted(service, resource_type, operation, payload):
    """keystone notification callback: a deleted user leaves nothing here."""
    forget(payload['resource_info'])
