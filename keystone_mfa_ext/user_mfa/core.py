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

from keystone.common import provider_api
import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from oslo_log import log

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.common import mfa_rules
from keystone_mfa_ext.common import revocation
from keystone_mfa_ext.devices import core as devices_core
from keystone_mfa_ext.lockout.backends import sql as lockout_sql
from keystone_mfa_ext.lockout import core as lockout
from keystone_mfa_ext.recovery import core as recovery
from keystone_mfa_ext.spassword import core as spassword
from keystone_mfa_ext.totp.backends import sql as totp_sql
from keystone_mfa_ext.totp import core as totp_core

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs

ENABLED_OPT = mfa_rules.ENABLED_OPT
RULES_OPT = mfa_rules.RULES_OPT
SECOND_FACTORS = frozenset(['totp', 'sndfa'])


def _has_totp_factor(user_id):
    if devices_core.count_verified(user_id):
        return True
    return bool(CONF.mfa.accept_keystone_totp_credentials and
                totp_core.keystone_credentials(user_id))


def has_factor(user):
    """MFA on, or any factor at all (device, credential, codes, email)?

    `user` is a keystone user ref or a user id.
    """
    if isinstance(user, str):
        user = PROVIDERS.identity_api.get_user(user)
    options = user.get('options') or {}
    return bool(mfa_rules.enforced(options) or _has_totp_factor(user['id'])
                or recovery.summary(user['id'])['remaining']
                or spassword.email_state(user)['usable'])


def requires_second_factor(user_id):
    """Do keystone's MFA rules of the user demand a second factor now?"""
    options = PROVIDERS.identity_api.get_user(user_id).get('options') or {}
    return mfa_rules.enforced(options)


def enrolled_rules(user_id):
    """Rules from the user's enrolled factors whose methods keystone loads."""
    loaded = set(CONF.auth.methods)
    if 'password' not in loaded:
        return []
    rules = []
    if 'totp' in loaded and _has_totp_factor(user_id):
        rules.append(['password', 'totp'])
    user = PROVIDERS.identity_api.get_user(user_id)
    if 'sndfa' in loaded and spassword.email_state(user)['usable']:
        rules.append(['password', 'sndfa'])
    return rules


def state(user_id):
    user = PROVIDERS.identity_api.get_user(user_id)
    options = user.get('options') or {}
    lock = lockout.status(user_id)
    email = spassword.email_state(user)
    return {
        'enabled': bool(options.get(ENABLED_OPT)),
        'rules': options.get(RULES_OPT) or [],
        'otp_devices': devices_core.count_verified(user_id),
        'sndfa': email['sndfa'],
        'email_verified': email['email_verified'],
        'recovery_codes_remaining': recovery.summary(user_id)['remaining'],
        'locked': lock.locked,
        # None while locked: locked until an admin unlocks.
        'locked_until': lock.until,
        'failed_attempts': lock.failed_attempts,
    }


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
    for device_id in devices_core.delete_for_user(user_id):
        totp_sql.delete_for_secret(device_id)
    totp_sql.delete_for_user(user_id)
    recovery.delete_for_user(user_id)
    spassword.delete_for_user(user_id)
    lockout_sql.delete(user_id)


def reset(user_id, actor_id):
    """Lost phone: forget everything, clear keystone's MFA options, audit."""
    forget(user_id)
    disable(user_id)
    user = PROVIDERS.identity_api.get_user(user_id)
    attempts.record('admin', attempts.SUCCESS, user_id=user_id,
                    domain_id=user['domain_id'],
                    message=f'MFA reset by {actor_id}')


def on_user_deleted(service, resource_type, operation, payload):
    """keystone notification callback: a deleted user leaves nothing here."""
    forget(payload['resource_info'])
