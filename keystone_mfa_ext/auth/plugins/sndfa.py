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
"""The `sndfa` auth method: a one-time code sent to the verified email.

Only after a first factor of the same user (its auth receipt, or
password/totp earlier in the same request: nobody makes the server send
mail, or guesses codes, without one). Without `code` it mails a fresh code
and answers 401 with a challenge. With `code`, it succeeds once per code.
Enable with `[auth] methods = ...,sndfa` (appended) and list it in
`[auth] additional_primary_auth_methods`.
"""

from keystone.auth.plugins import base
import keystone.conf
from keystone.i18n import _

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext.auth import schema
from keystone_mfa_ext.auth import second_factor
from keystone_mfa_ext import backends
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import utils
from keystone_mfa_ext.mail import base as mail_base
from keystone_mfa_ext.sndfa import core as spassword
from keystone_mfa_ext.sndfa import mail_codes

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
METHOD_NAME = 'sndfa'
GENERIC_FAILURE = _('Invalid username or second-factor code')


class SendFactor(base.AuthMethodHandler):

    def __init__(self):
        super().__init__()
        # Loaded after keystone locked its provider API: our managers.
        backends.load_backends()

    def authenticate(self, auth_payload):
        attempt = second_factor.Attempt(METHOD_NAME, GENERIC_FAILURE)
        settings, _ = attempt.start(auth_payload, schema.sndfa)
        state = spassword.email_state(attempt.user_info.user_ref)
        if not state['usable']:
            attempt.refuse(attempts.FAILURE,
                           'sndfa not enabled or email not verified')
        if not attempt.proven:
            # No mail, and no code checked, for whoever names a user id.
            attempt.refuse(attempts.FAILURE,
                           'sndfa without a first factor of the user')
        code = auth_payload.get('code')
        if code is None:
            return self._send_code(attempt, state['email'], settings)
        if spassword.consume(attempt.user_id, spassword.SNDFA, code,
                             CONF.spassword.sndfa_code_max_attempts):
            return attempt.succeed('emailed code')
        attempt.refuse(attempts.FAILURE, 'wrong or expired code', count=True)

    def _send_code(self, attempt, email, settings):
        wait = spassword.retry_after(attempt.user_id, spassword.SNDFA)
        if wait:
            return base.AuthHandlerResponse(
                status=False, response_data=None,
                response_body={'code_sent': False, 'retry_after': wait})
        row = mail_codes.mail_code(
            attempt.user_info.user_ref, email, spassword.SNDFA,
            settings['code_ttl'], 'sndfa_code',
            code_length=settings['code_length'])
        return base.AuthHandlerResponse(
            status=False, response_data=None, response_body={
                'code_sent': True,
                'expires_at': utils.isotime(row['expires_at']),
                'email': mail_base.mask_address(email)})
