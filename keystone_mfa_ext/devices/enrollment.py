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
"""Enrollment: the key URI and QR code an app scans, and verification.

The key URI follows the Key Uri Format read by Google Authenticator, FreeOTP
and Authy: `otpauth://totp/ISSUER:USERNAME?secret=...&issuer=...&
algorithm=...&digits=...&period=...`.
"""

import urllib.parse

import keystone.conf
from keystone import exception as ks_exception
from keystone.i18n import _
import segno

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.enforcement import core as enforcement
from keystone_mfa_ext.lockout import core as lockout
from keystone_mfa_ext.totp import core as totp_core

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
METHOD = 'totp'
BAD_CODE = _('Invalid or expired code.')


def key_uri(device, secret_b32, username, issuer):
    label = urllib.parse.quote(f'{issuer}:{username}', safe=':@')
    query = urllib.parse.urlencode({
        'secret': secret_b32, 'issuer': issuer,
        'algorithm': device['algorithm'], 'digits': device['digits'],
        'period': device['period']}, quote_via=urllib.parse.quote)
    return f'otpauth://totp/{label}?{query}'


def qrcode_data_uri(uri):
    """A PNG data URI of `uri` as a QR code (segno, no Pillow needed)."""
    return segno.make(uri, error='m').png_data_uri(scale=5, border=4)


def enabled_settings(domain_id):
    """The domain's totp settings; 403 when its totp provider is disabled."""
    provider = PROVIDERS.mfa_provider_api.effective(METHOD, domain_id)
    if not provider.enabled:
        raise ks_exception.ForbiddenAction(
            action=_('OTP devices (the totp provider of this domain is '
                     'disabled)'))
    return provider.settings


def verify(user_id, domain_id, device_id, code, initiator=None):
    """Verify a device with one of its codes; the totp method's rules apply.

    Windows, single use and the second-factor lockout are the same as at
    login, and the attempt is audited. Wrong, replayed or locked: 400.
    """
    device, secret = PROVIDERS.mfa_device_api.pending_with_secret(
        user_id, device_id)

    def refuse(status, reason):
        PROVIDERS.mfa_attempt_api.record(
            METHOD, status, user_id=user_id, domain_id=domain_id,
            message=f'verify device {device_id}: {reason}')
        raise ks_exception.ValidationError(BAD_CODE)

    lock = lockout.status(user_id)
    if lock.locked:
        refuse(attempts.LOCKED, 'second factors locked')
    settings = enabled_settings(domain_id)
    result = PROVIDERS.mfa_totp_api.verify(
        user_id, code, [totp_core.device_secret(device, secret)],
        past=settings['past_windows'], future=settings['future_windows'])
    if not result.ok:
        lockout.record_failure(user_id)
        refuse(attempts.FAILURE, result.reason)
    PROVIDERS.mfa_device_api.mark_verified(device_id, initiator)
    enforcement.on_enrolled(user_id)
    lockout.record_success(user_id, lock)
    PROVIDERS.mfa_attempt_api.record(
        METHOD, attempts.SUCCESS, user_id=user_id, domain_id=domain_id,
        message=f'verify device {device_id}')
