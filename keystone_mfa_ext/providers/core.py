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

For a method (`totp`, `sndfa`) and a user's domain the effective settings
are keystone.conf's, overridden by the system provider's, overridden by the
domain provider's. A disabled provider (domain first, else system) disables
the method for those users: the method refuses (fail closed).
"""

import copy
import dataclasses
import json
import uuid

from keystone.common import provider_api
import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
from oslo_db import exception as db_exception
from oslo_utils import timeutils
import sqlalchemy as sa

from keystone_mfa_ext.common import sql
from keystone_mfa_ext.common import validation
from keystone_mfa_ext.providers.backends import sql as providers_sql
from keystone_mfa_ext.providers import schema

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
Provider = providers_sql.Provider
SYSTEM = providers_sql.SYSTEM


def defaults(provider_name):
    """What keystone.conf says, in provider-settings form."""
    if provider_name == 'totp':
        return {'issuer': CONF.mfa.issuer, 'algorithm': 'SHA1', 'digits': 6,
                'period': 30, 'past_windows': CONF.mfa.totp_past_windows,
                'future_windows': CONF.mfa.totp_future_windows}
    return {'code_ttl': CONF.spassword.sndfa_code_ttl,
            'code_length': CONF.spassword.sndfa_code_length,
            'time_window': CONF.spassword.sndfa_time_window, 'smtp': {}}


@dataclasses.dataclass(frozen=True)
class Effective:
    enabled: bool
    settings: dict


def _split_secrets(provider_name, settings):
    """(public settings, secret settings) of a validated settings dict."""
    public, secret = copy.deepcopy(settings), {}
    for group, key in schema.SECRET_SETTINGS.get(provider_name, []):
        if key in public.get(group, {}):
            secret.setdefault(group, {})[key] = public[group].pop(key)
    return public, secret


def _encrypt(secret):
    if not secret:
        return None
    blob, _hash = PROVIDERS.credential_provider_api.encrypt(
        json.dumps(secret))
    return blob.decode('ascii') if isinstance(blob, bytes) else blob


def _decrypt(blob):
    if not blob:
        return {}
    return json.loads(PROVIDERS.credential_provider_api.decrypt(blob))


def _merge(base, override):
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _view(row):
    """The public form: never a secret setting."""
    return {'id': row.id, 'name': row.name,
            'provider_name': row.provider_name, 'enabled': row.enabled,
            'settings': json.loads(row.settings),
            'domain_id': row.domain_id or None}


def _validate_settings(provider_name, settings):
    validation.validate(schema.SETTINGS[provider_name], settings)


def _get_row(session, provider_id, domain_id):
    row = session.get(Provider, provider_id)
    if row is None or row.domain_id != (domain_id or SYSTEM):
        raise ks_exception.NotFound(
            _('Could not find MFA provider: %s.') % provider_id)
    return row


def _conflict():
    return ks_exception.Conflict(
        type='mfa_provider',
        details=_('This scope already has a provider of this type.'))


def create(domain_id, ref):
    settings = ref.get('settings', {})
    _validate_settings(ref['provider_name'], settings)
    public, secret = _split_secrets(ref['provider_name'], settings)
    now = timeutils.utcnow()
    row = Provider(id=uuid.uuid4().hex, name=ref['name'],
                   provider_name=ref['provider_name'],
                   enabled=ref.get('enabled', True),
                   domain_id=domain_id or SYSTEM,
                   settings=json.dumps(public), secrets=_encrypt(secret),
                   created_at=now, updated_at=now)
    try:
        with sql.session_for_write() as session:
            session.add(row)
            session.flush()
            return _view(row)
    except db_exception.DBDuplicateEntry:
        raise _conflict()


def list_for(domain_id):
    with sql.session_for_read() as session:
        rows = session.execute(
            sa.select(Provider).where(Provider.domain_id ==
                                      (domain_id or SYSTEM))
            .order_by(Provider.provider_name)).scalars()
        return [_view(r) for r in rows]


def get(provider_id, domain_id):
    with sql.session_for_read() as session:
        return _view(_get_row(session, provider_id, domain_id))


def update(provider_id, domain_id, ref, replace=False):
    """PATCH merges `settings`; PUT (`replace`) sets them whole."""
    with sql.session_for_write() as session:
        row = _get_row(session, provider_id, domain_id)
        if ref.get('provider_name', row.provider_name) != row.provider_name:
            raise ks_exception.ValidationError(
                _('provider_name cannot be changed; create a new provider.'))
        if 'settings' in ref:
            # Checked alone first: an error must never show stored secrets.
            _validate_settings(row.provider_name, ref['settings'])
            old = {} if replace else _merge(json.loads(row.settings),
                                            _decrypt(row.secrets))
            settings = _merge(old, ref['settings'])
            _validate_settings(row.provider_name, settings)
            public, secret = _split_secrets(row.provider_name, settings)
            row.settings, row.secrets = json.dumps(public), _encrypt(secret)
        for key in ('name', 'enabled'):
            if key in ref:
                setattr(row, key, ref[key])
        row.updated_at = timeutils.utcnow()
        session.flush()
        return _view(row)


def delete(provider_id, domain_id):
    with sql.session_for_write() as session:
        session.delete(_get_row(session, provider_id, domain_id))


def effective(provider_name, domain_id):
    """Enabled flag and merged settings of a method for a domain's users."""
    with sql.session_for_read() as session:
        rows = {r.domain_id: (r.enabled, json.loads(r.settings), r.secrets)
                for r in session.execute(sa.select(Provider).where(
                    Provider.provider_name == provider_name,
                    Provider.domain_id.in_([SYSTEM, domain_id or SYSTEM])))
                .scalars()}
    settings, enabled = defaults(provider_name), True
    for scope in (SYSTEM, domain_id):
        if scope in rows:
            on, public, blob = rows[scope]
            settings = _merge(settings, _merge(public, _decrypt(blob)))
            enabled = on
    return Effective(enabled=enabled, settings=settings)
