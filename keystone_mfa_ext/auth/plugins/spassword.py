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
"""The FIWARE-compatible password gate (`[auth] password = spassword`).

keystone's own password method, then, when `[spassword] sndfa = true` and
the user enabled sndfa with a verified email: without a live approval for
this client address, mail an approval link to
`{sndfa_endpoint}/v3/users/{id}/sndfa/{code}` and fail with keystone-
spassword's message. An approval lasts `[spassword] sndfa_time_window`
hours.
"""

from keystone.auth.plugins import password as ks_password
import keystone.conf

from keystone_mfa_ext.attempts import core as attempts
from keystone_mfa_ext import backends
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_context
from keystone_mfa_ext import exception
from keystone_mfa_ext.sndfa import core as spassword
from keystone_mfa_ext.sndfa import mail_codes

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
METHOD_NAME = 'password'


class Password(ks_password.Password):

    def __init__(self):
        super().__init__()
        # Loaded after keystone locked its provider API: our managers.
        backends.load_backends()

    def authenticate(self, auth_payload):
        response = super().authenticate(auth_payload)
        if not CONF.spassword.sndfa:
            return response
        user_id = response.response_data['user_id']
        user = PROVIDERS.identity_api.get_user(user_id)
        state = spassword.email_state(user)
        client_ip = request_context.client_address()
        if not state['sndfa'] or spassword.has_approval(user_id, client_ip):
            return response
        if not state['usable']:
            # sndfa is on but the address changed since it was verified:
            # no approval can be mailed, and the password alone never
            # passes (fail closed). An admin or checkemail fixes it.
            PROVIDERS.mfa_attempt_api.record(
                spassword.SNDFA, attempts.FAILURE, user_id=user_id,
                domain_id=user['domain_id'],
                message='email address no longer verified')
            raise exception.SecondFactorEmailSent()
        self._mail_approval_link(user, state['email'], client_ip)
        PROVIDERS.mfa_attempt_api.record(
            spassword.SNDFA, attempts.FAILURE, user_id=user_id,
            domain_id=user['domain_id'], message='approval requested by mail')
        raise exception.SecondFactorEmailSent()

    @staticmethod
    def _mail_approval_link(user, email, client_ip):
        """Mail a link, unless one went out within the resend interval."""
        if spassword.retry_after(user['id'], spassword.APPROVE):
            return
        settings = PROVIDERS.mfa_provider_api.effective(
            spassword.SNDFA, user['domain_id']).settings
        mail_codes.mail_code(
            user, email, spassword.APPROVE, settings['code_ttl'],
            'sndfa_approve', link_kind='sndfa', client_ip=client_ip,
            window_hours=settings['time_window'])
