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
"""`openstack mfa session create`: log in once, reuse the token.

With MFA on, every `openstack` command logs in again, and a TOTP code
works only once. This command logs in (with whatever `--os-auth-type`
and factors it is given) and prints shell lines that make the next
commands use that token instead, through keystoneauth's `v3token`
plugin (which rescopes the token: its second factor stays in it):

    eval "$(openstack mfa session create)"

A cloud of clouds.yaml holds the password login's options, which
`v3token` refuses: the lines then leave the cloud (`unset OS_CLOUD`) and
carry over what else it set (region, interface, TLS files) and the
token's scope.
"""

import argparse
import shlex

from osc_lib.command import command

# clouds.yaml setting -> environment variable, carried over from a cloud.
CLOUD_SETTINGS = (('region_name', 'OS_REGION_NAME'),
                  ('interface', 'OS_INTERFACE'),
                  ('cacert', 'OS_CACERT'), ('cert', 'OS_CERT'),
                  ('key', 'OS_KEY'))


def scope_variables(auth_ref):
    """The environment that scopes a `v3token` login as `auth_ref` is."""
    if auth_ref.system_scoped:
        return {'OS_SYSTEM_SCOPE': 'all'}
    if auth_ref.project_id:
        return {'OS_PROJECT_ID': auth_ref.project_id}
    if auth_ref.domain_id:
        return {'OS_DOMAIN_ID': auth_ref.domain_id}
    return {}


def cloud_variables(config):
    """What a cloud set besides its login, as environment variables."""
    found = {env: config[key] for key, env in CLOUD_SETTINGS
             if config.get(key)}
    if config.get('verify') is False:
        found['OS_INSECURE'] = 'true'
    return found


def shell_lines(variables, expires_at, cloud=None):
    """POSIX shell lines: `export`s, and comments saying until when."""
    lines = ['unset OS_CLOUD'] if cloud else []
    lines += [f'export {name}={shlex.quote(str(value))}'
              for name, value in variables.items()]
    lines.append(f'# valid until {expires_at}; end it sooner with: '
                 'openstack token revoke "$OS_TOKEN"')
    if cloud:
        lines.append(f'# back to the cloud: unset OS_AUTH_TYPE OS_TOKEN; '
                     f'export OS_CLOUD={shlex.quote(cloud)}')
    return '\n'.join(lines) + '\n'


class CreateSession(command.Command):
    """Log in once: print the environment that reuses this login's token

    Prints `export` lines for a POSIX shell, to use as

      eval "$(openstack --os-auth-type v3multifactor \\
          --os-auth-methods v3password,v3totp mfa session create)"

    The next commands then present this token (keystoneauth's `v3token`)
    until it expires, is revoked (`openstack token revoke "$OS_TOKEN"`),
    or MFA is switched on. Factor changes take a second factor used in
    the last 15 minutes (by default): after that, log in again.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        # The docstring's example as it is written there.
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def take_action(self, parsed_args):
        manager = self.app.client_manager
        auth_ref = manager.auth_ref
        variables = {'OS_AUTH_TYPE': 'v3token'}
        auth_url = getattr(manager.auth, 'auth_url', None)
        if auth_url:
            variables['OS_AUTH_URL'] = auth_url
        variables['OS_TOKEN'] = auth_ref.auth_token
        cloud = getattr(self.app.options, 'cloud', None)
        if cloud:
            variables.update(scope_variables(auth_ref))
            variables.update(cloud_variables(manager.get_configuration()))
        self.app.stdout.write(shell_lines(
            variables, auth_ref.expires.isoformat(), cloud))
