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
"""Email second factor: verified address, mailed codes, approvals.

Every code is random (`secrets`), stored only as a salted slow hash made
by keystone's password hasher, single use (a conditional UPDATE consumes
it), expires, and dies after too many wrong tries. A wrong code changes
nothing but that counter. A new code of the same purpose replaces the
user's previous one.
"""

import datetime
from email import utils as email_utils
import functools
import math
import secrets

from keystone.common import password_hashing
import keystone.conf
from oslo_utils import timeutils

from keystone_mfa_ext.common import manager as common_manager
from keystone_mfa_ext.common import mfa_rules
from keystone_mfa_ext.common import provider_api

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs

CHECKEMAIL = 'checkemail'   # link: verify the user's address
SNDFA = 'sndfa'             # numeric code for the sndfa auth method
APPROVE = 'approve'         # link: approve a login (FIWARE mode)
RESET = 'reset'             # link: set a new password
LINK_CODE_BYTES = 32


def single_address(text):
    """`text` if it is exactly one bare address, else None.

    Nothing else is ever mailed: not a list ("a@x.org, b@y.org"), not a
    display name, not a line break (header injection).
    """
    if not isinstance(text, str) or '\r' in text or '\n' in text:
        return None
    text = text.strip()
    found = email_utils.getaddresses([text])
    if len(found) != 1 or found[0][1] != text or text.count('@') != 1:
        return None
    local, domain = text.split('@')
    if not local or not domain or any(
            c.isspace() or c in ',;<>()[]"\\' for c in text):
        return None
    return text


def user_email(user):
    """The user's address: its `email` attribute, else an email-like name.

    None when there is none, or when it is not exactly one address.
    """
    email = user.get('email')
    if isinstance(email, str) and email.strip():
        return single_address(email)
    name = user.get('name') or ''
    return single_address(name) if '@' in name else None


def has_malformed_email(user):
    """An `email` attribute that is set but is not exactly one address."""
    email = user.get('email')
    return (isinstance(email, str) and bool(email.strip())
            and single_address(email) is None)


def new_code(purpose, code_length=None):
    if purpose == SNDFA:
        digits = code_length or CONF.spassword.sndfa_code_length
        return ''.join(secrets.choice('0123456789') for _ in range(digits))
    return secrets.token_urlsafe(LINK_CODE_BYTES)


@functools.lru_cache(maxsize=1)
def _dummy_hash():
    return password_hashing.hash_password(secrets.token_hex(8))


class Manager(common_manager.Manager):
    """The email factor's state, on the provider API (mfa_email_api).

    Storage is the driver's (`[mfa] email_driver`).
    """

    driver_namespace = 'keystone_mfa_ext.email'
    _provides_api = 'mfa_email_api'

    def __init__(self):
        super().__init__(CONF.mfa.email_driver)

    def _factor(self, user_id):
        return self.driver.get_factor(user_id) or {}

    def sndfa_enabled(self, user_id):
        """The user's sndfa switch alone: one primary-key read of our table."""
        return bool(self._factor(user_id).get('sndfa_enabled'))

    def email_state(self, user):
        """{'email', 'email_verified', 'sndfa'} of a keystone user ref.

        `sndfa` is the user's switch; the factor works only while the current
        address is also the verified one (`usable`).
        """
        row = self._factor(user['id'])
        email = user_email(user)
        verified = bool(email and row.get('verified_email') == email)
        enabled = bool(row.get('sndfa_enabled'))
        return {'email': email, 'email_verified': verified, 'sndfa': enabled,
                'usable': enabled and verified}

    def mailbox_is_a_factor(self, user):
        """Can the email factor satisfy one of the user's rules?

        Then a password reset by mail would hand whoever reads the mailbox
        both factors. True for a usable sndfa factor in FIWARE mode (the
        password gate mails the approval) or with an MFA rule made of only
        password and sndfa.
        """
        if not self.email_state(user)['usable']:
            return False
        if CONF.spassword.sndfa:
            return True
        return any(rule <= {'password', SNDFA}
                   for rule in mfa_rules.effective(user.get('options')))

    def set_verified_email(self, user_id, email):
        self.driver.upsert_factor(user_id, timeutils.utcnow(),
                                  verified_email=email)

    def set_sndfa(self, user_id, enabled):
        """Returns whether the setting changed."""
        return self.driver.upsert_factor(user_id, timeutils.utcnow(),
                                         sndfa_enabled=enabled)

    def delete_for_user(self, user_id):
        self.driver.delete_for_user(user_id)

    def issue(self, user_id, purpose, ttl, client_ip=None, email=None,
              code_length=None):
        """Store a fresh code; return (code, row dict). See drop_older().

        `client_ip` binds an approval to the login that asked for it; `email`
        is the address a verification link was sent to.
        """
        code = new_code(purpose, code_length)
        now = timeutils.utcnow()
        row = self.driver.add_code(
            user_id, purpose, password_hashing.hash_password(code), now,
            expires_at=now + datetime.timedelta(seconds=ttl),
            client_ip=client_ip, email=email)
        return code, row

    def drop_older(self, row):
        """After `row`'s mail was delivered, older codes of its kind die."""
        self.driver.delete_older_codes(row['user_id'], row['purpose'],
                                       row['id'], row['created_at'])

    def discard(self, code_id):
        """Forget a code whose mail could not be delivered."""
        self.driver.delete_code(code_id)

    def retry_after(self, user_id, purpose):
        """Seconds until the resend interval of `purpose` allows a new code.

        `[spassword] sndfa_resend_interval` for login codes,
        `checkemail_resend_interval` for verification links.
        """
        last = self.driver.last_created_at(user_id, purpose)
        if last is None:
            return 0
        interval = (CONF.spassword.checkemail_resend_interval
                    if purpose == CHECKEMAIL
                    else CONF.spassword.sndfa_resend_interval)
        wait = (last + datetime.timedelta(seconds=interval)
                - timeutils.utcnow())
        return max(0, math.ceil(wait.total_seconds()))

    def consume(self, user_id, purpose, code, max_attempts=None):
        """The live code's row if `code` matches (and is now used), else None.

        A wrong code only increments the attempt counter; at `max_attempts`
        the code dies.
        """
        if not isinstance(code, str) or not code or len(code) > 128:
            return None
        now = timeutils.utcnow()
        attempt_limit = max_attempts or 2 ** 31   # None: no limit
        row = self.driver.newest_live_code(user_id, purpose, now)
        if row is None:
            # Same work as a real check, so timing does not tell them apart.
            password_hashing.check_password(code, _dummy_hash())
            return None
        if not password_hashing.check_password(code, row['code_hash']):
            self.driver.count_wrong_attempt(row['id'], now, attempt_limit)
            return None
        if not self.driver.claim_code(row['id'], now, attempt_limit):
            return None
        return row

    def release(self, code_id):
        """Make a claimed code usable again (keystone refused the password)."""
        self.driver.release_code(code_id)

    def approve(self, user_id, client_ip, hours):
        self.driver.add_approval(
            user_id, client_ip,
            expires_at=timeutils.utcnow() + datetime.timedelta(hours=hours))

    def has_approval(self, user_id, client_ip):
        """Whether a login from `client_ip` was approved and still is.

        `[spassword] sndfa_bind_client_address` ties approvals to one address.
        """
        return self.driver.has_approval(
            user_id, client_ip, timeutils.utcnow(),
            bind_client_address=CONF.spassword.sndfa_bind_client_address)


__getattr__ = common_manager.module_api(Manager)
