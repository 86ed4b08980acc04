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
"""SMTP delivery: verified STARTTLS, optional login, bounded timeouts."""

import ipaddress
import smtplib
import ssl
import types

from oslo_log import log

import keystone_mfa_ext.conf
from keystone_mfa_ext.mail import base

CONF = keystone_mfa_ext.conf.CONF
LOG = log.getLogger(__name__)


def _assert_login_is_protected(opts):
    """Never send SMTP credentials in clear text over a network."""
    if opts.smtp_tls or _is_loopback(opts.smtp_server):
        return
    raise smtplib.SMTPException('refusing SMTP login without TLS')


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == 'localhost'


def _settings(overrides):
    """`[spassword] smtp_*`, overridden by a provider's `smtp` settings."""
    conf = CONF.spassword
    return types.SimpleNamespace(
        smtp_server=overrides.get('server', conf.smtp_server),
        smtp_port=overrides.get('port', conf.smtp_port),
        smtp_tls=overrides.get('tls', conf.smtp_tls),
        smtp_user=overrides.get('user', conf.smtp_user),
        smtp_password=overrides.get('password', conf.smtp_password),
        smtp_from=overrides.get('from', conf.smtp_from),
        smtp_timeout=conf.smtp_timeout)


class SMTPDriver(base.MailDriver):
    """Reads `[spassword] smtp_*` at send time, so a config reload applies."""

    def __init__(self, tls_context=None):
        # Tests hand in a context trusting their own CA; production uses the
        # system trust store with hostname checking.
        self._tls_context = tls_context

    def send(self, message, smtp=None):
        opts = _settings(smtp or {})
        try:
            mime = message.to_email(opts.smtp_from)
            with smtplib.SMTP(opts.smtp_server, opts.smtp_port,
                              timeout=opts.smtp_timeout) as smtp:
                if opts.smtp_tls:
                    smtp.starttls(context=self._tls_context
                                  or ssl.create_default_context())
                if opts.smtp_user:
                    _assert_login_is_protected(opts)
                    smtp.login(opts.smtp_user, opts.smtp_password or '')
                smtp.send_message(mime)
        except (smtplib.SMTPException, OSError, ssl.SSLError,
                ValueError) as e:
            # The reason and the masked recipient only: never the body.
            LOG.warning('Mail to %(to)s via %(server)s:%(port)s not '
                        'delivered: %(reason)s',
                        {'to': base.mask_address(message.to),
                         'server': opts.smtp_server, 'port': opts.smtp_port,
                         'reason': e.__class__.__name__})
            raise base.MailDeliveryError(e.__class__.__name__) from e
        LOG.info('Mail "%(subject)s" sent to %(to)s',
                 {'subject': message.subject,
                  'to': base.mask_address(message.to)})
