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
"""Issuing a code of the email flows and mailing it (link or digits)."""

import keystone.conf
from oslo_utils import timeutils

from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common import request_context
from keystone_mfa_ext import exception
from keystone_mfa_ext import mail
from keystone_mfa_ext.mail import base as mail_base
from keystone_mfa_ext.sndfa import core as spassword
from keystone_mfa_ext.sndfa import templates

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs


def link(user_id, kind, code):
    """`{sndfa_endpoint}/v3/users/{user_id}/{kind}/{code}`."""
    base = CONF.spassword.sndfa_endpoint.rstrip('/')
    return f'{base}/v3/users/{user_id}/{kind}/{code}'


def _moment(value):
    return value.strftime('%Y-%m-%d %H:%M:%S')


def send_mail(template, to, user, expires, client_ip=None, **context):
    """Render `mail/<template>.txt` (first line: subject) and send it.

    Raises MailUnavailable (503) when the mail driver could not deliver.
    """
    if client_ip is None:
        client_ip = request_context.client_address()
    text = templates.render_mail(
        template, user_name=user['name'], when=_moment(timeutils.utcnow()),
        expires=_moment(expires), client_ip=client_ip, **context)
    subject, _sep, body = text.partition('\n\n')
    subject = ' '.join(subject.split())   # no CR/LF from a user name
    smtp = PROVIDERS.mfa_provider_api.effective(
        spassword.SNDFA, user['domain_id']).settings['smtp']
    try:
        mail.send(mail_base.Message(
            to=to, subject=subject.removeprefix('Subject:').strip(),
            text=body.lstrip('\n')), smtp=smtp)
    except mail.MailDeliveryError:
        raise exception.MailUnavailable()


def mail_code(user, email, purpose, ttl, template, link_kind=None,
              client_ip=None, code_length=None, **context):
    """Issue a code of `purpose` and mail it (as a link or as digits).

    If the mail cannot be delivered the new code is discarded again, older
    codes stay valid, and MailUnavailable (503) is raised: state is as
    before. Once delivered, it replaces the older codes.
    """
    code, row = spassword.issue(user['id'], purpose, ttl,
                                client_ip=client_ip, email=email,
                                code_length=code_length)
    if link_kind:
        context['link'] = link(user['id'], link_kind, code)
    else:
        context['code'] = code
    try:
        send_mail(template, email, user, row['expires_at'],
                  client_ip=client_ip, **context)
    except Exception:
        spassword.discard(row['id'])
        raise
    spassword.drop_older(row)
    return row
