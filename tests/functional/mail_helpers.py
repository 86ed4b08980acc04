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
"""Reading codes and links out of the mails the devserver's SMTP sink got."""

import re

LINK = re.compile(r'https?://\S+/v3/users/[0-9a-f]+/[a-z_]+/[A-Za-z0-9_\-]+')
CODE = re.compile(r'^\s+([0-9]{6,10})\s*$', re.M)


def body(message):
    return message.get_body(preferencelist=('plain',)).get_content()


def last_mail(server, to, count=1):
    mails = server.wait_for_mail(to, count=count)
    if len(mails) < count:
        raise AssertionError(f'no mail #{count} to {to}')
    return mails[-1]


def link_in(message):
    return LINK.search(body(message)).group(0)


def code_in(message):
    return CODE.search(body(message)).group(1)
