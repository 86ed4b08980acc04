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
"""MFA provider configurations and the effective settings of a domain.

For a factor (its method) and a user's domain the effective settings
are keystone.conf's, overridden by the system provider's, overridden by the
domain provider's. A disabled provider (domain first, else system) disables
the method for those users: the method refuses (fail closed). So does a
provider whose secret settings cannot be decrypted (its credential key was
rotated away without `keystone-mfa-ext-manage reencrypt`): a keystone 500
that says so, never the settings without their secrets.
"""

import copy
import dataclasses
import functools
import json
import uuid

import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from keystone import notifications
from oslo_log import log
from oslo_utils import timeutils

from keystone_mfa_ext.common import credential_keys
from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import validation
from keystone_mfa_ext import exception as mfa_exception
from keystone_mfa_ext.factors import registry
from keystone_mfa_ext.providers.backends import base as providers_base

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs
SYSTEM = providers_base.SYSTEM
RESOURCE = 'mfa_provider'   # of audit notifications


def defaults(provider_name):
    """What keystone.conf says, in provider-settings form."""
    return registry.get(provider_name).defaults()


def _secret_settings(provider_name):
    return registry.get(provider_name).secret_settings


@dataclasses.dataclass(frozen=True)
class Effective:
    enabled: bool
    settings: dict


def _split_secrets(provider_name, settings):
    """(public settings, secret settings) of a validated settings dict."""
    public, secret = copy.deepcopy(settings), {}
    for group, key in _secret_settings(provider_name):
        if key in public.get(group, {}):
            secret.setdefault(group, {})[key] = public[group].pop(key)
    return public, secret


def _encrypt(secret):
    if not secret:
        return None
    blob, _hash = credential_keys.encrypt(json.dumps(secret))
    return blob


def _decrypt(provider):
    """The secret settings of a stored provider; None if undecryptable."""
    if not provider['secrets']:
        return {}
    plaintext = credential_keys.decrypt(provider['secrets'])
    if plaintext is None:
        LOG.warning('The secret settings of MFA provider %s cannot be '
                    'decrypted with the current credential keys: run '
                    '`keystone-mfa-ext-manage reencrypt` after every '
                    '`keystone-manage credential_rotate`, restore the '
                    'credential key that encrypted them, or set them again '
                    'with PUT or PATCH of the provider.', provider['id'])
        return None
    return json.loads(plaintext)


def _readable_secrets(provider):
    """The secret settings of a provider that is used: 500 if unreadable."""
    secret = _decrypt(provider)
    if secret is None:
        raise mfa_exception.ProviderSecretsUnreadable()
    return secret


def _merge(base, override):
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _view(provider):
    """The public form: never a secret setting."""
    return {'id': provider['id'], 'name': provider['name'],
            'provider_name': provider['provider_name'],
            'enabled': provider['enabled'],
            'settings': json.loads(provider['settings']),
            'domain_id': provider['domain_id'] or None}


def _validate_settings(provider_name, settings):
    validation.validate(registry.get(provider_name).settings_schema,
                        settings)


def _stored_domain_id(domain_id):
    """The column value: system-wide providers are stored under SYSTEM."""
    return domain_id or SYSTEM


def _supplies_all_secrets(provider_name, settings):
    return all(key in settings.get(group, {})
               for group, key in _secret_settings(provider_name))


def _old_secrets(provider_name, stored, new_settings):
    """The stored secrets a PATCH merges `new_settings` into.

    Undecryptable ones are not needed when `new_settings` replaces every
    secret setting: that is how an admin repairs the provider.
    """
    secret = _decrypt(stored)
    if secret is not None:
        return secret
    if _supplies_all_secrets(provider_name, new_settings):
        return {}
    names = ', '.join(f'{group}.{key}' for group, key
                      in _secret_settings(provider_name))
    raise ks_exception.ValidationError(
        _('The stored secret settings of this provider cannot be decrypted; '
          'set them again (%s) in this PATCH, or replace the settings with '
          'PUT.') % names)


def _changes(ref, replace, stored):
    """The columns to set on `stored` for an update with `ref`."""
    provider_name = stored['provider_name']
    if ref.get('provider_name', provider_name) != provider_name:
        raise ks_exception.ValidationError(
            _('provider_name cannot be changed; create a new provider.'))
    changes = {key: ref[key] for key in ('name', 'enabled') if key in ref}
    if 'settings' in ref:
        # Checked alone first: an error must never show stored secrets.
        _validate_settings(provider_name, ref['settings'])
        old = {} if replace else _merge(
            json.loads(stored['settings']),
            _old_secrets(provider_name, stored, ref['settings']))
        settings = _merge(old, ref['settings'])
        _validate_settings(provider_name, settings)
        public, secret = _split_secrets(provider_name, settings)
        changes['settings'] = json.dumps(public)
        changes['secrets'] = _encrypt(secret)
    changes['updated_at'] = timeutils.utcnow()
    return changes


class Manager(common_manager.Manager):
    """MFA providers, on keystone's provider API as mfa_provider_api.

    Storage is the driver's (`[mfa] provider_driver`); validation against
    the factor's settings, secrets and the effective settings are here.
    """

    driver_namespace = 'keystone_mfa_ext.providers'
    _provides_api = 'mfa_provider_api'

    def __init__(self):
        super().__init__(CONF.mfa.provider_driver)

    def create(self, domain_id, ref, initiator=None):
        settings = ref.get('settings', {})
        _validate_settings(ref['provider_name'], settings)
        public, secret = _split_secrets(ref['provider_name'], settings)
        now = timeutils.utcnow()
        provider = _view(self.driver.create({
            'id': uuid.uuid4().hex, 'name': ref['name'],
            'provider_name': ref['provider_name'],
            'enabled': ref.get('enabled', True),
            'domain_id': _stored_domain_id(domain_id),
            'settings': json.dumps(public), 'secrets': _encrypt(secret),
            'created_at': now, 'updated_at': now}))
        notifications.Audit.created(RESOURCE, provider['id'], initiator)
        return provider

    def list_for(self, domain_id):
        return [_view(p) for p in
                self.driver.list_for(_stored_domain_id(domain_id))]

    def get(self, provider_id, domain_id):
        return _view(self.driver.get(provider_id,
                                     _stored_domain_id(domain_id)))

    def update(self, provider_id, domain_id, ref, replace=False,
               initiator=None):
        """PATCH merges `settings`; PUT (`replace`) sets them whole."""
        provider = _view(self.driver.update(
            provider_id, _stored_domain_id(domain_id),
            functools.partial(_changes, ref, replace)))
        notifications.Audit.updated(RESOURCE, provider_id, initiator)
        return provider

    def delete(self, provider_id, domain_id, initiator=None):
        self.driver.delete(provider_id, _stored_domain_id(domain_id))
        notifications.Audit.deleted(RESOURCE, provider_id, initiator)

    def effective(self, provider_name, domain_id):
        """Enabled flag and merged settings of a factor for a domain."""
        rows = {p['domain_id']: p for p in self.driver.list_by_method(
            provider_name, [SYSTEM, _stored_domain_id(domain_id)])}
        settings, enabled = defaults(provider_name), True
        for scope in (SYSTEM, domain_id):
            if scope in rows:
                provider = rows[scope]
                settings = _merge(settings, _merge(
                    json.loads(provider['settings']),
                    _readable_secrets(provider)))
                enabled = provider['enabled']
        return Effective(enabled=enabled, settings=settings)

    def reencrypt_all(self):
        """Re-encrypt every provider's secrets not under the primary key.

        Run after `keystone-manage credential_rotate`; returns (moved,
        failed).
        """
        moved = failed = 0
        under_primary = credential_keys.primary_key_check()

        def reencrypt(provider):
            nonlocal moved, failed
            if under_primary(provider['secrets']):
                return None
            secret = _decrypt(provider)
            if secret is None:
                failed += 1
                return None
            moved += 1
            return _encrypt(secret)

        self.driver.replace_secrets(reencrypt)
        return moved, failed


__getattr__ = common_manager.module_api(Manager)
