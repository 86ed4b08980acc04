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
"""`openstack mfa provider ...` and `openstack mfa policy ...`: MFA
providers (system-wide or per domain) and a domain's enforcement policy."""

from osc_lib.command import command
from osc_lib import exceptions

from keystone_mfa_ext.client.osc import common

PROVIDER_COLUMNS = ('id', 'name', 'provider_name', 'enabled', 'domain_id',
                    'settings')
POLICY_COLUMNS = ('enforcement', 'rules', 'grace_period_days', 'enrolled',
                  'not_enrolled')


def _settings(pairs):
    """`--setting digits=8 --setting smtp.port=587` -> nested dict."""
    settings = {}
    for pair in pairs or ():
        key, sep, value = pair.partition('=')
        if not sep or not key:
            raise exceptions.CommandError(
                f'--setting expects KEY=VALUE, got {pair!r}')
        *parents, leaf = key.split('.')
        target = settings
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = common.parse_value(value)
    return settings


class _ProviderCommand(common.MFACommand):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--domain', metavar='<domain>',
                            help="A domain's providers (name or ID; "
                                 "default: the system-wide ones)")
        return parser

    def base(self, parsed_args):
        if parsed_args.domain:
            domain_id = self.domain_id(parsed_args.domain)
            return f'/domains/{domain_id}/mfa/providers'
        return '/mfa/providers'

    def find(self, parsed_args):
        """URL of the provider named (by ID or name) on the command line."""
        base = self.base(parsed_args)
        wanted = parsed_args.provider
        found = [p for p in self.client().get(base).json()['providers']
                 if wanted in (p['id'], p['name'])]
        by_id = [p for p in found if p['id'] == wanted]
        if by_id or len(found) == 1:
            return f'{base}/{(by_id or found)[0]["id"]}'
        if found:
            raise exceptions.CommandError(
                f'More than one provider is named {wanted!r}; use its ID')
        raise exceptions.CommandError(f'No provider {wanted!r}')


class _OneProviderCommand(_ProviderCommand):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('provider', metavar='<provider>',
                            help='Provider (name or ID)')
        return parser


def _add_enabled(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--enable', dest='enabled', action='store_true',
                       default=None, help='Enable the provider')
    group.add_argument('--disable', dest='enabled', action='store_false',
                       help='Disable it: the method then fails closed '
                            'for the users it covers')


def _add_settings(parser):
    parser.add_argument(
        '--setting', metavar='<key=value>', action='append',
        help='A provider setting, repeatable; nested keys with dots '
             '(totp: issuer, algorithm, digits, period, past_windows, '
             'future_windows; sndfa: code_ttl, code_length, time_window, '
             'smtp.server, smtp.port, smtp.tls, smtp.user, smtp.password, '
             'smtp.from)')


class ListProviders(_ProviderCommand, command.Lister):
    """List MFA providers"""

    def take_action(self, parsed_args):
        items = self.client().get(self.base(parsed_args)).json()['providers']
        return PROVIDER_COLUMNS, [tuple(p.get(c) for c in PROVIDER_COLUMNS)
                                  for p in items]


class ShowProvider(_OneProviderCommand, command.ShowOne):
    """Show an MFA provider (secret settings are never shown)"""

    def take_action(self, parsed_args):
        return common.show(self.client().get(self.find(parsed_args))
                           .json()['provider'], PROVIDER_COLUMNS)


class CreateProvider(_ProviderCommand, command.ShowOne):
    """Create an MFA provider"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>')
        parser.add_argument('--type', dest='provider_name', required=True,
                            choices=['totp', 'sndfa'],
                            help='Which method it configures')
        _add_enabled(parser)
        _add_settings(parser)
        return parser

    def take_action(self, parsed_args):
        ref = {'name': parsed_args.name,
               'provider_name': parsed_args.provider_name,
               'settings': _settings(parsed_args.setting)}
        if parsed_args.enabled is not None:
            ref['enabled'] = parsed_args.enabled
        return common.show(self.client().post(
            self.base(parsed_args), json={'provider': ref}).json()['provider'],
            PROVIDER_COLUMNS)


class SetProvider(_OneProviderCommand, command.Command):
    """Rename, enable/disable or change settings (merged) of a provider"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name>')
        _add_enabled(parser)
        _add_settings(parser)
        return parser

    def take_action(self, parsed_args):
        ref = {}
        if parsed_args.name:
            ref['name'] = parsed_args.name
        if parsed_args.enabled is not None:
            ref['enabled'] = parsed_args.enabled
        if parsed_args.setting:
            ref['settings'] = _settings(parsed_args.setting)
        if not ref:
            raise exceptions.CommandError('Nothing to change')
        self.client().patch(self.find(parsed_args), json={'provider': ref})


class DeleteProvider(_OneProviderCommand, command.Command):
    """Delete an MFA provider"""

    def take_action(self, parsed_args):
        self.client().delete(self.find(parsed_args))


class _PolicyCommand(common.MFACommand):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--domain', metavar='<domain>', required=True,
                            help='Domain (name or ID)')
        return parser

    def url(self, parsed_args):
        return f'/domains/{self.domain_id(parsed_args.domain)}/mfa/policy'


class ShowPolicy(_PolicyCommand, command.ShowOne):
    """Show a domain's MFA enforcement and how many users are enrolled"""

    def take_action(self, parsed_args):
        return common.show(self.client().get(self.url(parsed_args))
                           .json()['policy'], POLICY_COLUMNS)


class SetPolicy(_PolicyCommand, command.ShowOne):
    """Change a domain's MFA enforcement (what is not given is kept)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--enforcement', choices=['required', 'optional'],
            help='required: every user of the domain must log in with a '
                 'second factor (those without one get '
                 '--grace-period-days to enroll); optional: users choose')
        parser.add_argument(
            '--rule', metavar='<method,method>', action='append',
            help='A method combination that is enough to log in, e.g. '
                 'password,totp; repeatable; replaces the current rules')
        parser.add_argument('--no-rules', action='store_true',
                            help='Clear the rules (users enrolled factors '
                                 'decide)')
        parser.add_argument('--grace-period-days', type=int, metavar='<days>',
                            help='Days users have to enroll before '
                                 '"required" applies to them')
        return parser

    def take_action(self, parsed_args):
        url = self.url(parsed_args)
        current = self.client().get(url).json()['policy']
        policy = {k: current[k] for k in ('enforcement', 'rules',
                                          'grace_period_days')}
        if parsed_args.enforcement:
            policy['enforcement'] = parsed_args.enforcement
        if parsed_args.no_rules:
            policy['rules'] = []
        if parsed_args.rule:
            policy['rules'] = [r.split(',') for r in parsed_args.rule]
        if parsed_args.grace_period_days is not None:
            policy['grace_period_days'] = parsed_args.grace_period_days
        return common.show(self.client().put(url, json={'policy': policy})
                           .json()['policy'], POLICY_COLUMNS)
