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
"""A mail driver that only logs that a mail would have been sent.

For development and CI without a mail server. The body carries codes and
links, so it is never written; use a local SMTP sink to read mails.
"""

from oslo_log import log

from keystone_mfa_ext.mail import base

LOG = log.getLogger(__name__)


class LogDriver(base.MailDriver):
    def send(self, message, smtp=None):
        LOG.info('Mail "%(subject)s" to %(to)s not sent (log mail driver); '
                 'body withheld (%(size)d characters).',
                 {'subject': message.subject,
                  'to': base.mask_address(message.to),
                  'size': len(message.text)})
