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
"""Keystone-style exceptions of the extension (rendered by keystone's app)."""

import http.client

from keystone import exception
from keystone.i18n import _


class MailUnavailable(exception.Error):
    """503: the mail was not handed over; nothing else changed."""

    message_format = _('The mail could not be delivered; nothing was '
                       'changed. Please try again later.')
    code = int(http.client.SERVICE_UNAVAILABLE)
    title = http.client.responses[http.client.SERVICE_UNAVAILABLE]


class DatabaseUnavailable(exception.Error):
    """503: the database could not be reached; the client may retry."""

    message_format = _('The service is temporarily unavailable. Please try '
                       'again later.')
    code = int(http.client.SERVICE_UNAVAILABLE)
    title = http.client.responses[http.client.SERVICE_UNAVAILABLE]


class ProviderSecretsUnreadable(exception.UnexpectedError):
    """500: an MFA provider's secret settings cannot be decrypted.

    The operator has to act (reencrypt, restore the key, or set the
    secrets again); the client learns only that much.
    """

    message_format = _('The secret settings of this MFA provider cannot be '
                       'decrypted. Please contact the administrator.')
    debug_message_format = message_format


class SecondFactorEmailSent(exception.Unauthorized):
    """401 of the FIWARE password gate; its fixed text is safe to show."""

    message_format = _('Expecting Second Factor Authentication, email was '
                       'sent. Please check it and click in provided link.')


class FactorChangeForbidden(exception.Error):
    """403: this token may not change factors; the message says which may.

    Not one of keystone's SecurityErrors, whose text is hidden unless
    insecure_debug is on: the client must learn what token to get. `needs`
    says it to programs too, whatever the message's language: the
    `Openstack-MFA-Required` response header (wsgi/errors.py).
    """

    message_format = _('%(reason)s')
    code = int(http.client.FORBIDDEN)
    title = http.client.responses[http.client.FORBIDDEN]
    # A token of the user's own login (not delegated) ...
    INTERACTIVE_TOKEN = 'interactive-token'
    # ... that also used a second factor, recently enough.
    SECOND_FACTOR = 'second-factor'

    def __init__(self, needs=SECOND_FACTOR, **kwargs):
        self.needs = needs
        super().__init__(**kwargs)


class TooManyRequests(exception.Error):
    """429: asked again too soon; the message says when to retry."""

    message_format = _('Too many requests: try again in %(retry_after)s '
                       'seconds.')
    code = int(http.client.TOO_MANY_REQUESTS)
    title = http.client.responses[http.client.TOO_MANY_REQUESTS]


class SecondFactorRequired(exception.Error):
    """401 that says what is needed (keystone's Unauthorized hides it)."""

    message_format = _('%(reason)s')
    code = int(http.client.UNAUTHORIZED)
    title = http.client.responses[http.client.UNAUTHORIZED]
