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
"""Password recovery by mail: a reset link, then a new password.

Every request is answered alike, known user or not: it is rate counted
(per client address and per user id) in the request, and the user lookup
and the mail happen afterwards in a small pool of worker threads, so the
answer's timing tells nothing of the user. The pool and its backlog are
bounded: a flood of requests queues no more than MAX_PENDING mails, and
the rest are dropped (still with the same answer).
"""

from concurrent import futures
import threading

from keystone.common import sql as ks_sql
import keystone.conf
from oslo_db import exception as db_exception
from oslo_log import log
import sqlalchemy.exc

from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import users
from keystone_mfa_ext import exception
from keystone_mfa_ext.ratelimit import core as ratelimit
from keystone_mfa_ext.sndfa import core as spassword
from keystone_mfa_ext.sndfa import links
from keystone_mfa_ext.sndfa import mail_codes

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)
PROVIDERS = provider_api.ProviderAPIs
# Database errors on which nothing is done (SQLite busy, a server gone).
DB_UNAVAILABLE = (db_exception.DBError, sqlalchemy.exc.OperationalError)

MAX_WORKERS = 2
MAX_PENDING = 64
MAILER = futures.ThreadPoolExecutor(
    max_workers=MAX_WORKERS, thread_name_prefix='mfa-password-recovery')
_pending = threading.BoundedSemaphore(MAX_PENDING)


def mail_reset_link(user_id, client_ip):
    """Runs after the answer was sent: timing reveals nothing of the user."""
    user = users.user_or_none(user_id)
    if not user or not user.get('enabled'):
        return
    state = spassword.email_state(user)
    if not state['email_verified']:
        return
    if spassword.mailbox_is_a_factor(user):
        # Whoever reads the mailbox would get the password and the
        # emailed code: two factors from one. Such users need an admin.
        LOG.info('No password reset mail for user %s: the email factor '
                 'can satisfy its MFA rules.', user_id)
        return
    try:
        mail_codes.mail_code(user, state['email'], spassword.RESET,
                             CONF.spassword.recover_code_ttl,
                             'reset_password', link_kind='reset_password',
                             client_ip=client_ip)
    except exception.MailUnavailable:
        LOG.warning('Password reset mail for user %s not delivered.',
                    user_id)
    except Exception:
        LOG.exception('Password reset mail for user %s failed.', user_id)


def within_rates(user_id, client_ip):
    """Both buckets are counted for every request, known user or not.

    When the database cannot count (SQLite busy under concurrent writes)
    nothing is sent: the answer stays the same 202, never a 500.
    """
    try:
        address_ok = ratelimit.within_rate(
            f'recover:address:{client_ip}',
            CONF.spassword.recover_max_per_address)
        # MariaDB finds the user for any case of its id, with trailing
        # spaces too: one bucket for all of them.
        user_ok = ratelimit.within_rate(
            f'recover:user:{user_id.strip().lower()[:64]}',
            CONF.spassword.recover_max_per_user)
    except DB_UNAVAILABLE as e:
        LOG.warning('Password recovery not rate counted (%s); nothing '
                    'sent.', e.__class__.__name__)
        return False
    return address_ok and user_ok


def request_reset(user_id, client_ip):
    """Count the request; queue the mail. The Future, or None if not sent."""
    if not within_rates(user_id, client_ip):
        return None
    if not _pending.acquire(blocking=False):
        LOG.warning('Password recovery: %d mails pending already; nothing '
                    'sent for this request.', MAX_PENDING)
        return None
    future = MAILER.submit(mail_reset_link, user_id, client_ip)
    future.add_done_callback(lambda _done: _pending.release())
    return future


def reset_password(user_id, code, password):
    """Set the password of a valid reset link; whether the link was valid.

    Claim and password change are one transaction: two posts of one link
    cannot both win, and a failure on our side (the database busy or
    gone) leaves the link usable (DatabaseUnavailable). keystone's
    password rules apply (its ValidationError, the link still usable)
    and the change revokes the user's tokens.
    """
    try:
        with ks_sql.session_for_write():
            row, user = links.redeem(user_id, spassword.RESET, code)
            # A link mailed before the mailbox became a factor of the user
            # (sndfa or MFA switched on since) no longer sets a password:
            # the mailbox is never two factors.
            valid = bool(user and user.get('enabled')
                         and row['email'] == spassword.user_email(user)
                         and not spassword.mailbox_is_a_factor(user))
            if valid:
                PROVIDERS.identity_api.update_user(
                    user_id, {'password': password})
    except DB_UNAVAILABLE:
        LOG.warning('Password reset not done: database unavailable; '
                    'the link stays usable.')
        raise exception.DatabaseUnavailable()
    return valid
