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
"""Outgoing mail via a driver of the `keystone_mfa_ext.mail` namespace."""

import stevedore

import keystone_mfa_ext.conf

from keystone_mfa_ext.mail.base import MailDeliveryError  # noqa: F401
from keystone_mfa_ext.mail.base import Message  # noqa: F401

CONF = keystone_mfa_ext.conf.CONF
NAMESPACE = 'keystone_mfa_ext.mail'


def get_driver(name=None):
    """Load the driver named by `[spassword] mail_driver` (or `name`)."""
    return stevedore.DriverManager(
        NAMESPACE, name or CONF.spassword.mail_driver,
        invoke_on_load=True).driver


def send(message, smtp=None):
    """Deliver `message` or raise MailDeliveryError; never logs its body.

    `smtp` overrides `[spassword] smtp_*` (a domain's sndfa provider):
    keys server, port, tls, user, password, from.
    """
    get_driver().send(message, smtp=smtp)
