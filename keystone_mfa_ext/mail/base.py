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
"""What every mail driver shares: the message, the error, the interface."""

import abc
import dataclasses
from email import message as email_message
from email import utils as email_utils


class MailDeliveryError(Exception):
    """The mail was not handed to the mail system; callers keep state as is."""


@dataclasses.dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str | None = None

    def to_email(self, sender):
        """Render as a MIME message (text, plus an HTML alternative)."""
        mime = email_message.EmailMessage()
        mime['From'] = sender
        mime['To'] = self.to
        mime['Subject'] = self.subject
        mime['Date'] = email_utils.formatdate(localtime=False)
        mime['Message-ID'] = email_utils.make_msgid(domain='keystone-mfa-ext')
        mime.set_content(self.text)
        if self.html:
            mime.add_alternative(self.html, subtype='html')
        return mime


def mask_address(address):
    """'john@example.org' -> 'j***@example.org': recognisable, not usable.

    Used wherever an address reaches a log line or an anonymous client.
    """
    local, _sep, domain = (address or '').partition('@')
    if not domain:
        return '***'
    return f'{local[:1]}***@{domain}'


class MailDriver(abc.ABC):
    @abc.abstractmethod
    def send(self, message, smtp=None):
        """Deliver `message` (a Message) or raise MailDeliveryError."""
