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
"""keystoneauth1 plugin `v3sndfa`: the email second step.

Alone (with the receipt of a first factor) or inside `v3multifactor`
(`--os-auth-methods v3password,v3sndfa --os-sndfa-code 123456`). Without
a code the server mails one and answers 401 with
`{"identity": {"sndfa": {"code_sent": true, ...}}}`; send the same request
again with `sndfa_code`.

An application that can ask its user (the `openstack` command does, see
`client.osc.terminal`) installs a prompt with `set_code_prompt`: then a
login without a code first has the code mailed, hands the challenge
(where it went, until when) to the prompt and goes on with its answer.
keystoneauth's own option prompts cannot do this: they ask before the
first request, when no code has been mailed yet.
"""

import copy

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity.v3 import base as v3_base
from keystoneauth1.identity.v3 import receipt as v3_receipt
from keystoneauth1 import loading

_code_prompt = None


def set_code_prompt(prompt):
    """`prompt(challenge) -> code`, or None to never ask (the default).

    `challenge` is the server's sndfa answer: `code_sent`, and `email`
    (masked) and `expires_at`, or `retry_after` (seconds) when a code was
    mailed so recently that no new one was sent.
    """
    global _code_prompt
    _code_prompt = prompt


def challenge_of(error):
    """The sndfa challenge in a 401 from keystone, else None."""
    try:
        identity = error.response.json()['error']['identity']
        return dict(identity['sndfa'])
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


class SndfaMethod(v3_base.AuthMethod):
    """The `sndfa` payload: the user, and the mailed code once known."""

    sndfa_code: str | None = None
    user_id: str | None = None
    username: str | None = None
    user_domain_id: str | None = None
    user_domain_name: str | None = None
    # keystoneauth1 before 5.10 reads the parameters from this list (for
    # v3multifactor); later releases from the annotations above.
    _method_parameters = ['sndfa_code', 'user_id', 'username',
                          'user_domain_id', 'user_domain_name']
    # Not a method parameter (v3multifactor passes the annotated ones).
    _may_ask = True

    def __init__(self, *, sndfa_code=None, user_id=None, username=None,
                 user_domain_id=None, user_domain_name=None):
        self.sndfa_code = sndfa_code
        self.user_id = user_id
        self.username = username
        self.user_domain_id = user_domain_id
        self.user_domain_name = user_domain_name

    def get_auth_data(self, session, auth, headers, request_kwargs):
        if self.sndfa_code is None and _code_prompt and self._may_ask:
            self.sndfa_code = self._ask(session, auth)
        user = {}
        if self.user_id:
            user['id'] = self.user_id
        elif self.username:
            user['name'] = self.username
            if self.user_domain_id:
                user['domain'] = {'id': self.user_domain_id}
            elif self.user_domain_name:
                user['domain'] = {'name': self.user_domain_name}
        payload = {'user': user}
        if self.sndfa_code:
            payload['code'] = self.sndfa_code
        return 'sndfa', payload

    def _ask(self, session, auth):
        """Have the code mailed (the same request without it), then ask."""
        silent = copy.copy(self)
        silent._may_ask = False
        probe = copy.copy(auth)
        probe.auth_methods = [silent if m is self else m
                              for m in auth.auth_methods]
        try:
            probe.get_auth_ref(session)
        except ks_exceptions.Unauthorized as e:
            challenge = challenge_of(e)
            if challenge is None:
                raise   # e.g. a wrong password: no code was mailed
            return _code_prompt(challenge)
        return None   # no challenge (not expected): the plain request

    def get_cache_id_elements(self):
        return {f'sndfa_{key}': getattr(self, key) for key in (
            'sndfa_code', 'user_id', 'username', 'user_domain_id',
            'user_domain_name')}


class Sndfa(v3_base.Auth):
    """Authenticate with the mailed code, optionally after a receipt."""

    _auth_method_class = SndfaMethod

    def __init__(self, auth_url, sndfa_code=None, user_id=None,
                 username=None, user_domain_id=None, user_domain_name=None,
                 receipt=None, **kwargs):
        methods = [SndfaMethod(
            sndfa_code=sndfa_code, user_id=user_id, username=username,
            user_domain_id=user_domain_id,
            user_domain_name=user_domain_name)]
        if receipt:
            methods.insert(0, v3_receipt.ReceiptMethod(receipt=receipt))
        super().__init__(auth_url, methods, **kwargs)


class SndfaLoader(loading.BaseV3Loader):
    """`v3sndfa`: the code sent by email (keystone-mfa-ext's sndfa)."""

    @property
    def plugin_class(self):
        return Sndfa

    def get_options(self):
        options = super().get_options()
        options.extend([
            loading.Opt('user-id', help='User ID'),
            loading.Opt('username', help='Username',
                        deprecated=[loading.Opt('user-name')]),
            loading.Opt('user-domain-id', help="User's domain id"),
            loading.Opt('user-domain-name', help="User's domain name"),
            loading.Opt('sndfa-code', secret=True,
                        help='The code mailed by the sndfa method'),
            loading.Opt('receipt', secret=True,
                        help='Auth receipt of the first factor'),
        ])
        return options
