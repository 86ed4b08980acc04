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
"""What the `openstack mfa ...` commands share: the HTTP client, user and
domain resolution, and turning API objects into osc-lib columns."""

import json

from keystoneauth1 import exceptions as ks_exceptions
from openstackclient.identity import common as identity_common
from osc_lib import exceptions

POLICY_REFUSAL = 'perform the requested action: identity:'
SCOPE_HINT = ('This needs an admin token of the right scope: system scope '
              '(--os-system-scope all; the devserver\'s mfa-dev-system '
              'cloud), or for one domain, that domain\'s scope '
              '(--os-domain-name).')


def add_user(parser):
    parser.add_argument('--user', metavar='<user>',
                        help='User (name or ID; default: yourself)')
    parser.add_argument('--user-domain', metavar='<domain>',
                        help='Domain the user belongs to (name or ID)')


def add_switch(parser, enable_help, disable_help):
    """Required `--enable | --disable` (the group, to add more choices)."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument('--enable', action='store_true', help=enable_help)
    group.add_argument('--disable', action='store_true', help=disable_help)
    return group


def show(data, columns=None):
    columns = columns or tuple(sorted(data))
    return columns, tuple(data.get(c) for c in columns)


def parse_value(text):
    """`8` -> 8, `true` -> True, `"x"`/x -> 'x': typed values on a CLI."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def own_user_id(auth_ref, user, user_domain=None):
    """The logged-in user's id if `user` (name or id) is that user.

    Resolving a name needs list_users, which keystone refuses an ordinary
    user: `--user <own name>` would be a 404 for the very user it names.
    None when `user` is anyone else (or the name in another domain).
    """
    if user == auth_ref.user_id:
        return auth_ref.user_id
    if user == auth_ref.username and user_domain in (
            None, auth_ref.user_domain_id, auth_ref.user_domain_name):
        return auth_ref.user_id
    return None


def scope_hint(error, auth_ref):
    """What to do about a policy 403 of a token without admin scope."""
    if (POLICY_REFUSAL in str(error) and auth_ref is not None
            and not (auth_ref.system_scoped or auth_ref.domain_scoped)):
        return SCOPE_HINT
    return None


class MFACommand:
    """Mixed into osc-lib commands: the API client and name resolution."""

    def run(self, parsed_args):
        try:
            return super().run(parsed_args)
        except ks_exceptions.Forbidden as e:
            hint = scope_hint(e, self.app.client_manager.auth_ref)
            if hint:
                raise exceptions.CommandError(f'{e} {hint}') from e
            raise

    def client(self):
        return self.app.client_manager.mfa

    def user_id(self, parsed_args):
        auth_ref = self.app.client_manager.auth_ref
        if not parsed_args.user:
            return auth_ref.user_id
        own_id = own_user_id(auth_ref, parsed_args.user,
                             parsed_args.user_domain)
        if own_id:
            return own_id
        return identity_common.find_user(
            self.app.client_manager.identity, parsed_args.user,
            parsed_args.user_domain).id

    def domain_id(self, domain):
        return identity_common.find_domain(
            self.app.client_manager.identity, domain).id

    def path(self, parsed_args, suffix=''):
        return f'/users/{self.user_id(parsed_args)}{suffix}'


class UserCommand(MFACommand):
    """A command about one user (`--user`, default: the caller)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_user(parser)
        return parser
