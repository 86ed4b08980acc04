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
"""Flask hooks around keystone's own routes that keep the second factor.

Keystone is not patched; these run in our app before (or after) its
resources:

- every request first ends the grace periods that are over, so a domain
  policy's rules hold for every way in at once;
- keystone's /v3/credentials of type `totp` (our driver accepts their
  codes) are a factor: creating, changing or deleting one follows the
  rules of every other factor change (common.factor_change);
- keystone's own `PATCH /v3/users/{user_id}` cannot give a user of a
  "required" domain rules outside the domain policy's, nor switch MFA off
  there (change the policy instead); when it switches MFA on, the user's
  single-factor tokens and delegations end as with our own API;
- a request that revoked tokens answers once tokens issued after it are
  valid (common.revocation);
- /v3/ec2tokens and /v3/s3tokens do not give a token to a user whose
  rules require a second factor, unless `[mfa] allow_ec2_credentials`.
  Checked after keystone verified the signature, so the answer tells an
  unauthenticated caller nothing it did not prove.
"""

import functools
import json

import flask
from keystone.common.rbac_enforcer import enforcer as ks_enforcer
import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _

from keystone_mfa_ext.common import factor_change
from keystone_mfa_ext.common import mfa_rules
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_token
from keystone_mfa_ext.common import revocation
from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext import exception
from keystone_mfa_ext.totp import core as totp_core
from keystone_mfa_ext.user_mfa import core as user_mfa
from keystone_mfa_ext.wsgi import errors

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
CREDENTIALS = '/v3/credentials'
USERS = '/v3/users/'
EC2_TOKEN_PATHS = ('/v3/ec2tokens', '/v3/s3tokens')
TOTP = totp_core.CREDENTIAL_TYPE
EC2_REFUSED = _(
    'This user\'s rules require a second factor: EC2 credentials do not '
    'give tokens for it. Authenticate with the password and a second '
    'factor.')

GRACE_ENDED = _(
    'The MFA grace period of this user has ended and its tokens were '
    'revoked: authenticate again with the password and a second factor.')


def end_due_grace_periods():
    """End what is over; refuse this request if it came in on it.

    keystone validated this request's token before our hooks ran: a
    token the grace period's end has just revoked must not serve even
    this one request.
    """
    ended = enforcement.expire_due()
    if ended and request_token.acting_user_ids() & ended:
        raise exception.SecondFactorRequired(reason=GRACE_ENDED)


def _json_body():
    body = flask.request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else {}


def _credential_change():
    """(owner user id, is totp) of a credential request, or None."""
    request = flask.request
    path = request.path.rstrip('/')
    if request.method == 'POST' and path == CREDENTIALS:
        cred = _json_body().get('credential')
        if isinstance(cred, dict) and cred.get('type') == TOTP:
            return cred.get('user_id')
        return None
    if request.method not in ('PATCH', 'DELETE') or not path.startswith(
            CREDENTIALS + '/'):
        return None
    try:
        stored = PROVIDERS.credential_api.get_credential(
            path[len(CREDENTIALS) + 1:])
    except (ks_exception.NotFound, ks_exception.ValidationError):
        return None   # keystone answers that itself
    change = _json_body().get('credential')
    becomes_totp = isinstance(change, dict) and change.get('type') == TOTP
    if stored.get('type') == TOTP or becomes_totp:
        return stored['user_id']
    return None


def guard_totp_credentials():
    if not request_token.token():
        return   # keystone answers 401 for a missing or invalid token
    user_id = _credential_change()
    if not isinstance(user_id, str):
        return
    try:
        user = PROVIDERS.identity_api.get_user(user_id)
    except (ks_exception.NotFound, ks_exception.ValidationError):
        return   # keystone refuses a credential of an unknown user
    factor_change.require(user)


def _user_options_change():
    """(user id, options) of keystone's PATCH /v3/users/{id}, or None."""
    request = flask.request
    path = request.path.rstrip('/')
    if request.method != 'PATCH' or not path.startswith(USERS):
        return None
    user_id = path[len(USERS):]
    if not user_id or '/' in user_id:
        return None
    user = _json_body().get('user')
    options = user.get('options') if isinstance(user, dict) else None
    if not isinstance(options, dict) or not (
            {user_mfa.ENABLED_OPT, user_mfa.RULES_OPT} & set(options)):
        return None
    return user_id, options


def guard_user_options_change():
    """Before keystone's PATCH /v3/users/{id} changes MFA options.

    In a "required" domain the options stay within the policy's rules
    (400 otherwise); elsewhere, whether MFA was on is noted for
    end_single_factor_access_on_mfa_on. One body parse, one user read.
    """
    if not request_token.token():
        return
    change = _user_options_change()
    if change is None:
        return
    user_id, options = change
    try:
        user = PROVIDERS.identity_api.get_user(user_id)
    except (ks_exception.NotFound, ks_exception.ValidationError):
        return   # keystone answers that itself
    _keep_required_domain_rules(user, options)
    flask.g.mfa_ext_required_before = (
        user_id, mfa_rules.enforced(user.get('options')))


def _keep_required_domain_rules(user, options):
    policy = enforcement.get(user['domain_id'])
    if policy['enforcement'] != enforcement.REQUIRED:
        return
    allowed = {frozenset(rule) for rule in policy['rules']}
    rules = options.get(user_mfa.RULES_OPT, policy['rules'])
    if (options.get(user_mfa.ENABLED_OPT, True) is not True
            or not isinstance(rules, list) or not rules
            or not all(isinstance(rule, list)
                       and frozenset(rule) in allowed for rule in rules)):
        raise ks_exception.ValidationError(
            _('The MFA policy of this user\'s domain is required: MFA '
              'stays on and the rules must be among %s. Change the domain '
              'policy instead.') % json.dumps(policy['rules']))


def end_single_factor_access_on_mfa_on(response):
    """keystone's own user API switched MFA on: end as ours does.

    The user's single-factor tokens and delegations end.
    """
    noted = flask.g.pop('mfa_ext_required_before', None)
    if noted is None or response.status_code >= 300:
        return response
    user_id, required_before = noted
    if not required_before and user_mfa.requires_second_factor(user_id):
        user_mfa.end_single_factor_access(user_id)
    return response


def refuse_ec2_tokens_for_mfa_users(response):
    request = flask.request
    if (request.method != 'POST' or response.status_code >= 300
            or request.path.rstrip('/') not in EC2_TOKEN_PATHS
            or CONF.mfa.allow_ec2_credentials):
        return response
    token = (response.get_json(silent=True) or {}).get('token') or {}
    user_id = (token.get('user') or {}).get('id')
    if user_id and user_mfa.requires_second_factor(user_id):
        # keystone has issued it: revoke it, not only withhold it.
        for audit_id in token.get('audit_ids') or []:
            PROVIDERS.revoke_api.revoke_by_audit_id(audit_id)
        return errors.respond(
            exception.SecondFactorRequired(reason=EC2_REFUSED))
    return response


def _refusal_is_enforcement(hook):
    """A refusal of a hook is the route's policy decision.

    keystone asserts after every response of its own routes that its
    enforcer ran (anything but a 400 otherwise becomes a 500); a guard
    that refuses before keystone's resource runs has decided just as
    enforce_call() would, so it says so the way enforce_call() does.
    """
    @functools.wraps(hook)
    def guarded():
        try:
            return hook()
        except ks_exception.Error:
            setattr(flask.g, ks_enforcer._ENFORCEMENT_CHECK_ATTR, True)
            raise
    return guarded


def answer_when_new_tokens_are_valid(response):
    revocation.wait_out_revocations()
    return response


def register(app):
    for hook in (end_due_grace_periods, guard_totp_credentials,
                 guard_user_options_change):
        app.before_request(_refusal_is_enforcement(hook))
    # after_request hooks run last registered first: the wait comes last.
    app.after_request(answer_when_new_tokens_are_valid)
    app.after_request(end_single_factor_access_on_mfa_on)
    app.after_request(refuse_ec2_tokens_for_mfa_users)
