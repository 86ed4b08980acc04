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
"""`openstack mfa email ...` and `openstack mfa sndfa ...`: the email
second factor (the `[spassword]` routes)."""

import urllib.parse

from osc_lib.command import command

from keystone_mfa_ext.client.osc import common


class CheckEmail(common.UserCommand, command.ShowOne):
    """Mail a verification code to the user's email address"""

    def take_action(self, parsed_args):
        return common.show(self.client().get(
            self.path(parsed_args, '/checkemail')).json()['checkemail'])


class VerifyEmail(common.UserCommand, command.ShowOne):
    """Confirm the email address with the code from the mail"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--code', required=True,
                            help='The link from the verification mail, or '
                                 'its last part (the code)')
        return parser

    def take_action(self, parsed_args):
        # The mail holds a link; its last path segment is the code.
        code = parsed_args.code.strip().rstrip('/').rsplit('/', 1)[-1]
        code = urllib.parse.quote(code, safe='')
        return common.show(self.client().post(
            self.path(parsed_args, f'/checkemail/{code}')
        ).json()['checkemail'])


class ShowSndfa(common.UserCommand, command.ShowOne):
    """Show whether the email second factor is on for a user"""

    def take_action(self, parsed_args):
        return common.show(self.client().get(
            self.path(parsed_args, '/sndfa')).json())


class SetSndfa(common.UserCommand, command.ShowOne):
    """Turn the email second factor on or off (needs a verified email)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        common.add_switch(parser, 'Ask for a mailed code after the password',
                          'Stop asking for a mailed code (owners: with a '
                          'token that used a second factor)')
        return parser

    def take_action(self, parsed_args):
        path = self.path(parsed_args, '/sndfa')
        # Read before: switching it on in keystone's native mode switches
        # MFA on, which revokes the token used here.
        state = self.client().get(path).json()
        state.update(self.client().post(
            path, json={'enable': bool(parsed_args.enable)}).json())
        state['sndfa'] = bool(parsed_args.enable)
        return common.show(state, ('sndfa', 'sndfa_email', 'modified'))
