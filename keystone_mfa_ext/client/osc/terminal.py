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
"""Asking for the mailed sndfa code in the `openstack` command.

On a terminal: say where the code went, then read it without echo (as
keystoneauth's "TOTP passcode: " prompt does). Elsewhere (scripts, pipes):
fail with the same words and the option that takes the code.
"""

import getpass
import sys

from osc_lib import exceptions

PROMPT = 'Code from the mail: '
HOW = 'Give it with --os-sndfa-code (or OS_SNDFA_CODE).'


def describe(challenge):
    """One sentence on the mailed code, from the server's challenge."""
    if challenge.get('code_sent'):
        where = challenge.get('email') or 'your verified email address'
        text = f'A code was mailed to {where}'
        if challenge.get('expires_at'):
            text += f' (valid until {challenge["expires_at"]})'
        return text + '.'
    wait = challenge.get('retry_after')
    later = f' (a new one can be sent in {wait} s)' if wait else ''
    return f'A code was mailed a moment ago{later}: use that one.'


def ask_for_mailed_code(challenge, stdin=None, stderr=None):
    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    text = describe(challenge)
    if not (hasattr(stdin, 'isatty') and stdin.isatty()):
        raise exceptions.CommandError(f'{text} {HOW}')
    stderr.write(text + '\n')
    stderr.flush()
    try:
        code = getpass.getpass(PROMPT).strip()
    except EOFError:
        code = ''
    if not code:
        raise exceptions.CommandError(f'No code entered. {HOW}')
    return code
