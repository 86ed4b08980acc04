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
"""Domain MFA policies, applied as keystone's own user options.

"required": every user of the domain gets `multi_factor_auth_enabled` and
the policy's `multi_factor_auth_rules`, so keystone core demands a second
factor. A user with no factor yet gets a grace period of
`grace_period_days` instead, during which a password still works so the
user can enroll; enrolling applies the rules at once, and the first
request of any kind after the grace period applies them too (revoking the
user's tokens and delegations), so single-factor access never outlives
the grace period. In a "required" domain a user's rules are always the
policy's: nothing the user does widens them.
Users created later in the domain get the same treatment (keystone
notification callback). "optional": nothing is forced; users choose.
"""

import datetime
import json

from keystone.common import sql as ks_sql
import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone import notifications
from oslo_log import log
from oslo_utils import timeutils

from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.factors import registry
from keystone_mfa_ext.user_mfa import core as user_mfa

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs
REQUIRED, OPTIONAL = 'required', 'optional'
RESOURCE = 'mfa_policy'   # of audit notifications (id: the domain's)


def default_rules():
    """Password and any one of the factors keystone loads."""
    return [['password', factor.method] for factor in registry.loaded()]


def _loaded_rules(rules):
    """Refuse rules that name a method keystone does not load.

    keystone would silently drop such a rule (and fail open).
    """
    loaded = set(CONF.auth.methods)
    unknown = sorted({m for rule in rules for m in rule} - loaded)
    if unknown:
        raise ks_exception.ValidationError(
            _('These methods are not enabled in [auth] methods: %s')
            % ', '.join(unknown))
    return rules


def meets(user_id, rules):
    """Can the user satisfy one of `rules` with the factors enrolled?

    A user with only sndfa does not meet [["password", "totp"]]: forcing
    that rule on them would lock them out. With no rules (an optional
    policy), any enrolled factor counts.
    """
    own = user_mfa.enrolled_rules(user_id)
    if not rules:
        return bool(own)
    second = registry.methods()
    factors = {m for rule in own for m in rule} & second
    return any(set(rule) & second <= factors for rule in rules)


def _checked_rules(rules):
    """Refuse rules keystone could not enforce as MFA (400)."""
    second = registry.methods()
    if any(len(set(r)) < 2 or not set(r) & second for r in rules):
        raise ks_exception.ValidationError(
            _('Every rule needs two different methods, one of them a '
              'second factor (%s).') % registry.method_names())
    return _loaded_rules(rules)


def _same_rules(a, b):
    return {frozenset(r) for r in a or []} == {frozenset(r) for r in b or []}


def _release_if_forced(user, policy_rules):
    """Back to optional: the policy's rules give way to the user's own.

    A user whose MFA rules are exactly the ones the required policy wrote
    gets the rules of their own enrolled factors again (as if they had
    enabled MFA themselves), or, without any factor, MFA off: with the
    policy's rules they might not be able to log in at all.
    """
    options = user.get('options') or {}
    if not (options.get(user_mfa.ENABLED_OPT)
            and _same_rules(options.get(user_mfa.RULES_OPT), policy_rules)):
        return
    if user_mfa.enrolled_rules(user['id']):
        user_mfa.enable(user['id'])
        return
    user_mfa.disable(user['id'])
    LOG.info('MFA of user %s switched off: its domain policy is '
             'optional again and the user has no second factor.',
             user['id'])


def on_user_created(service, resource_type, operation, payload):
    user_id = payload['resource_info']
    try:
        user = PROVIDERS.identity_api.get_user(user_id)
    except ks_exception.UserNotFound:
        return
    PROVIDERS.mfa_enforcement_api.apply_to_user(user_id, user['domain_id'])


class Manager(common_manager.Manager):
    """Domain MFA policies and grace periods, on the provider API.

    As mfa_enforcement_api; storage is the driver's
    (`[mfa] enforcement_driver`).
    """

    driver_namespace = 'keystone_mfa_ext.enforcement'
    _provides_api = 'mfa_enforcement_api'

    def __init__(self):
        super().__init__(CONF.mfa.enforcement_driver)

    def is_required(self, domain_id):
        return self.get(domain_id)['enforcement'] == REQUIRED

    def get(self, domain_id):
        stored = self.driver.get_policy(domain_id)
        if stored is None:
            return {'enforcement': OPTIONAL, 'rules': [],
                    'grace_period_days': 0}
        return {'enforcement': stored['enforcement'],
                'rules': json.loads(stored['rules']),
                'grace_period_days': stored['grace_period_days']}

    def counts(self, domain_id):
        enrolled = not_enrolled = 0
        rules = self.get(domain_id)['rules']
        for user in PROVIDERS.identity_api.list_users(domain_scope=domain_id):
            if meets(user['id'], rules):
                enrolled += 1
            else:
                not_enrolled += 1
        return {'enrolled': enrolled, 'not_enrolled': not_enrolled}

    def put(self, domain_id, ref, initiator=None):
        enforcement = ref['enforcement']
        rules = ref.get('rules')
        if enforcement == REQUIRED and rules is None:
            rules = [r for r in default_rules()
                     if set(r) <= set(CONF.auth.methods)]
        if enforcement == REQUIRED and not rules:
            raise ks_exception.ValidationError(
                _('A required policy needs at least one rule.'))
        # Rules of an optional policy are kept for a later "required": they
        # are checked now, not when they are switched on.
        _checked_rules(rules or [])
        before = self.get(domain_id)
        policy = {'enforcement': enforcement, 'rules': rules or [],
                  'grace_period_days': ref.get('grace_period_days', 0)}
        self.driver.put_policy(
            domain_id,
            {'enforcement': enforcement, 'rules': json.dumps(policy['rules']),
             'grace_period_days': policy['grace_period_days'],
             'updated_at': timeutils.utcnow()},
            end_graces=enforcement == OPTIONAL)
        for user in PROVIDERS.identity_api.list_users(domain_scope=domain_id):
            if enforcement == REQUIRED:
                self.apply_to_user(user['id'], domain_id, policy)
            elif before['enforcement'] == REQUIRED:
                _release_if_forced(user, before['rules'])
        notifications.Audit.updated(RESOURCE, domain_id, initiator)
        return policy

    def _enforce_now(self, user_id, rules):
        user_mfa.require_rules(user_id, rules)
        self.driver.delete_grace(user_id)

    def enable(self, user_id, domain_id):
        """The user switches MFA on: a "required" domain's policy's rules.

        Elsewhere the rules of the user's own factors. A required domain's
        rules bound its users: a factor the policy does not name never
        becomes a way in.
        """
        policy = self.get(domain_id)
        if policy['enforcement'] != REQUIRED:
            user_mfa.enable(user_id)
            return
        if not meets(user_id, policy['rules']):
            raise ks_exception.ValidationError(
                _('The domain requires one of these rules: %s. Enroll a '
                  'factor one of them names before enabling MFA.')
                % json.dumps(policy['rules']))
        self._enforce_now(user_id, policy['rules'])

    def apply_to_user(self, user_id, domain_id, policy=None):
        """Enforce now if the user has a factor (or no grace), else grace."""
        policy = policy or self.get(domain_id)
        if policy['enforcement'] != REQUIRED:
            return
        if meets(user_id, policy['rules']) or not policy['grace_period_days']:
            self._enforce_now(user_id, policy['rules'])
            return
        until = timeutils.utcnow() + datetime.timedelta(
            days=policy['grace_period_days'])
        self.driver.start_grace(user_id, domain_id, until)

    def grace_until(self, user_id):
        """When the user's enrollment grace period ends; None without one."""
        grace = self.driver.get_grace(user_id)
        return grace['grace_until'] if grace else None

    def on_enrolled(self, user_id):
        """A factor was just enrolled: end the grace period if it suffices."""
        grace = self.driver.get_grace(user_id)
        if grace and grace['domain_id']:
            rules = self.get(grace['domain_id'])['rules']
            if meets(user_id, rules):
                self._enforce_now(user_id, rules)

    def expire_due(self, now=None):
        """Before every request: grace periods that are over end now.

        So the rules hold for every way in (application credentials, token
        rescoping and validation, trusts, OAuth1, EC2), not only at the next
        password login. Ending a grace period and applying the rules (which
        revokes the user's tokens and delegations) is one transaction: a
        failure leaves the grace period to end at the next request, never a
        grace period gone without the rules. Returns the ids of the users
        whose grace period this call ended.
        """
        ended = set()
        for grace in self.driver.due_graces(now or timeutils.utcnow()):
            with ks_sql.session_for_write():
                if not self.driver.end_grace(grace['user_id'],
                                             grace['grace_until']):
                    continue   # another process ended it
                try:
                    PROVIDERS.identity_api.get_user(grace['user_id'])
                except ks_exception.UserNotFound:
                    continue
                user_mfa.require_rules(grace['user_id'],
                                       self.get(grace['domain_id'])['rules'])
            ended.add(grace['user_id'])
            LOG.info('MFA grace period of user %s ended; rules applied.',
                     grace['user_id'])
        return ended

    def forget(self, user_id):
        self.driver.delete_grace(user_id)


__getattr__ = common_manager.module_api(Manager)
