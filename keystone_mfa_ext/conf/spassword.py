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

"""[spassword]: the email second factor (names from keystone-spassword)."""

from oslo_config import cfg

from keystone.conf import utils

sndfa = cfg.BoolOpt(
    'sndfa',
    default=False,
    help=utils.fmt(
        """
Enable the FIWARE-compatible email second factor. When true and `[auth]
password = spassword`, users who enabled sndfa must approve each login from a
link emailed to their verified address.
"""
    ),
)

sndfa_time_window = cfg.IntOpt(
    'sndfa_time_window',
    default=24,
    min=1,
    max=720,
    help=utils.fmt(
        """
How many hours an approved email second factor stays valid before the user is
asked to approve a login again.
"""
    ),
)

sndfa_endpoint = cfg.StrOpt(
    'sndfa_endpoint',
    default='http://localhost:5000',
    help=utils.fmt(
        """
Base URL of this Keystone as users reach it; links in emails are built as
`{sndfa_endpoint}/v3/users/{user_id}/...`.
"""
    ),
)

sndfa_bind_client_address = cfg.BoolOpt(
    'sndfa_bind_client_address',
    default=True,
    help=utils.fmt(
        """
Bind an email approval to the client address of the login that triggered it,
so an approval cannot be used from another address.
"""
    ),
)

sndfa_code_ttl = cfg.IntOpt(
    'sndfa_code_ttl',
    default=600,
    min=60,
    max=86400,
    help=utils.fmt(
        """
Seconds an emailed second-factor code stays valid.
"""
    ),
)

sndfa_code_length = cfg.IntOpt(
    'sndfa_code_length',
    default=6,
    min=6,
    max=10,
    help=utils.fmt(
        """
Number of digits in an emailed second-factor code.
"""
    ),
)

sndfa_resend_interval = cfg.IntOpt(
    'sndfa_resend_interval',
    default=60,
    min=0,
    max=3600,
    help=utils.fmt(
        """
Minimum seconds between two emailed codes for the same user; requests inside
the interval send nothing and report when to retry.
"""
    ),
)

checkemail_resend_interval = cfg.IntOpt(
    'checkemail_resend_interval',
    default=60,
    min=0,
    max=3600,
    help=utils.fmt(
        """
Minimum seconds between two email-verification mails for the same user;
a request inside the interval sends nothing and answers 429 with when to
retry.
"""
    ),
)

sndfa_code_max_attempts = cfg.IntOpt(
    'sndfa_code_max_attempts',
    default=5,
    min=1,
    max=100,
    help=utils.fmt(
        """
Wrong tries after which an emailed code is invalidated.
"""
    ),
)

recover_code_ttl = cfg.IntOpt(
    'recover_code_ttl',
    default=1800,
    min=60,
    max=86400,
    help=utils.fmt(
        """
Seconds a password-reset link stays valid.
"""
    ),
)

checkemail_code_ttl = cfg.IntOpt(
    'checkemail_code_ttl',
    default=86400,
    min=300,
    max=86400 * 7,
    help=utils.fmt(
        """
Seconds an email-verification link stays valid.
"""
    ),
)

recover_max_per_user = cfg.IntOpt(
    'recover_max_per_user',
    default=3,
    min=1,
    max=100,
    help=utils.fmt(
        """
Password-recovery mails sent per user and hour at most; further requests
get the same answer but send nothing.
"""
    ),
)

recover_max_per_address = cfg.IntOpt(
    'recover_max_per_address',
    default=20,
    min=1,
    max=10000,
    help=utils.fmt(
        """
Password-recovery requests accepted per client address and hour.
"""
    ),
)

mail_driver = cfg.StrOpt(
    'mail_driver',
    default='smtp',
    choices=[
        ('smtp', 'Send mail through the SMTP server configured below.'),
        ('log', 'Write a redacted summary of each mail to the log; '
                'for development only.'),
    ],
    help=utils.fmt(
        """
Mail driver, loaded from the `keystone_mfa_ext.mail` entry point namespace.
"""
    ),
)

smtp_server = cfg.HostAddressOpt(
    'smtp_server',
    default='localhost',
    help=utils.fmt(
        """
SMTP server that delivers verification codes, approval and reset links.
"""
    ),
)

smtp_port = cfg.PortOpt(
    'smtp_port',
    default=587,
    help=utils.fmt(
        """
Port of the SMTP server.
"""
    ),
)

smtp_tls = cfg.BoolOpt(
    'smtp_tls',
    default=True,
    help=utils.fmt(
        """
Use STARTTLS and verify the server certificate against the system trust store.
Only disable this for a mail relay on the same host.
"""
    ),
)

smtp_user = cfg.StrOpt(
    'smtp_user',
    help=utils.fmt(
        """
User name for SMTP login; no login is attempted when unset.
"""
    ),
)

smtp_password = cfg.StrOpt(
    'smtp_password',
    secret=True,
    help=utils.fmt(
        """
Password for SMTP login.
"""
    ),
)

smtp_from = cfg.StrOpt(
    'smtp_from',
    default='keystone@localhost',
    help=utils.fmt(
        """
Sender address (From header and envelope sender) of every mail.
"""
    ),
)

smtp_timeout = cfg.FloatOpt(
    'smtp_timeout',
    default=10.0,
    min=1.0,
    max=300.0,
    help=utils.fmt(
        """
Seconds to wait for the SMTP server on connect and on each command.
"""
    ),
)


GROUP_NAME = __name__.split('.')[-1]
ALL_OPTS = [
    sndfa,
    sndfa_time_window,
    sndfa_endpoint,
    sndfa_bind_client_address,
    sndfa_code_ttl,
    sndfa_code_length,
    sndfa_resend_interval,
    checkemail_resend_interval,
    sndfa_code_max_attempts,
    recover_code_ttl,
    checkemail_code_ttl,
    recover_max_per_user,
    recover_max_per_address,
    mail_driver,
    smtp_server,
    smtp_port,
    smtp_tls,
    smtp_user,
    smtp_password,
    smtp_from,
    smtp_timeout,
]


def register_opts(conf):
    conf.register_opts(ALL_OPTS, group=GROUP_NAME)


def list_opts():
    return {GROUP_NAME: ALL_OPTS}
