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
"""`openstack mfa ...` commands (osc-lib ShowOne/Lister/Command)."""

import logging
import sys
import urllib.parse

from osc_lib.command import command
from osc_lib import exceptions

from keystone_mfa_ext.client.osc import common
from keystone_mfa_ext.client.osc import qr

DEVICE_COLUMNS = ('id', 'name', 'verified', 'algorithm', 'digits', 'period',
                  'created_at')
ATTEMPT_COLUMNS = ('id', 'timestamp', 'user_id', 'method', 'status',
                   'message', 'client_ip')
MFA_ON = ('MFA is on for you: logging in now needs the password and a '
          'second factor; tokens from before it was switched on no longer '
          'work (log in again, e.g. with `openstack mfa session create`).')

LOG = logging.getLogger(__name__)


class ShowMFA(common.UserCommand, command.ShowOne):
    """Show a user's MFA state"""

    def take_action(self, parsed_args):
        return common.show(
            self.client().get(self.path(parsed_args, '/mfa')).json()['mfa'])


class SetMFA(common.UserCommand, command.ShowOne):
    """Enable, disable or unlock a user's MFA"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        group = common.add_switch(
            parser, 'Require a second factor (needs one)',
            'Stop requiring a second factor')
        group.add_argument('--unlock', action='store_true',
                           help='Clear the second-factor lockout (admin)')
        return parser

    def take_action(self, parsed_args):
        change = ({'unlock': True} if parsed_args.unlock
                  else {'enabled': bool(parsed_args.enable)})
        user_id = self.user_id(parsed_args)
        state = self.client().patch(f'/users/{user_id}/mfa',
                                    json={'mfa': change}).json()['mfa']
        if (parsed_args.enable and state['enabled']
                and user_id == self.app.client_manager.auth_ref.user_id):
            sys.stderr.write(MFA_ON + '\n')
        return common.show(state)


class ResetMFA(common.UserCommand, command.Command):
    """Remove a user's devices, recovery codes and MFA rules (admin)"""

    def take_action(self, parsed_args):
        self.client().delete(self.path(parsed_args, '/mfa'))


class CreateDevice(common.UserCommand, command.ShowOne):
    """Enroll an OTP device: prints its QR code to scan with a phone"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Device name')
        parser.add_argument('--algorithm', choices=['SHA1', 'SHA256',
                                                    'SHA512'])
        parser.add_argument('--digits', type=int, choices=[6, 8])
        parser.add_argument('--period', type=int, choices=[30, 60])
        parser.add_argument('--qr-file', metavar='<file.png>',
                            help='Write the QR code as a PNG file instead '
                                 'of drawing it in the terminal')
        parser.add_argument('--qr-invert', action='store_true',
                            help='Draw for a light terminal background')
        return parser

    def take_action(self, parsed_args):
        ref = {'name': parsed_args.name}
        for key in ('algorithm', 'digits', 'period'):
            if getattr(parsed_args, key):
                ref[key] = getattr(parsed_args, key)
        device = self.client().post(
            self.path(parsed_args, '/otp_devices'),
            json={'otp_device': ref}).json()['otp_device']
        if parsed_args.qr_file:
            import base64
            png = device['qrcode'].split(',', 1)[1]
            with open(parsed_args.qr_file, 'wb') as f:
                f.write(base64.b64decode(png))
        else:
            # stderr: the table (or -f json) on stdout stays parseable.
            sys.stderr.write(qr.render(device['key_uri'],
                                       parsed_args.qr_invert))
        return common.show(device, DEVICE_COLUMNS + ('key_uri',))


class ListDevices(common.UserCommand, command.Lister):
    """List a user's OTP devices"""

    def take_action(self, parsed_args):
        devices = self.client().get(
            self.path(parsed_args, '/otp_devices')).json()['otp_devices']
        return DEVICE_COLUMNS, [tuple(d[c] for c in DEVICE_COLUMNS)
                                for d in devices]


class _DeviceCommand(common.UserCommand):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('device', metavar='<device-id>')
        return parser

    def device_path(self, parsed_args, suffix=''):
        return self.path(parsed_args,
                         f'/otp_devices/{parsed_args.device}{suffix}')


class ShowDevice(_DeviceCommand, command.ShowOne):
    """Show an OTP device"""

    def take_action(self, parsed_args):
        return common.show(self.client().get(
            self.device_path(parsed_args)).json()['otp_device'],
            DEVICE_COLUMNS)


class SetDevice(_DeviceCommand, command.Command):
    """Rename an OTP device"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', required=True)
        return parser

    def take_action(self, parsed_args):
        self.client().patch(self.device_path(parsed_args), json={
            'otp_device': {'name': parsed_args.name}})


class DeleteDevice(common.UserCommand, command.Command):
    """Remove OTP device(s)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('device', metavar='<device-id>', nargs='+',
                            help='Device(s) to delete (ID)')
        return parser

    def take_action(self, parsed_args):
        base = self.path(parsed_args, '/otp_devices')
        failed = 0
        for device in parsed_args.device:
            try:
                self.client().delete(f'{base}/{device}')
            except Exception as e:
                failed += 1
                LOG.error("Failed to delete OTP device with ID '%s': %s",
                          device, e)
        if failed:
            raise exceptions.CommandError(
                f'{failed} of {len(parsed_args.device)} OTP devices failed '
                'to delete.')


class VerifyDevice(_DeviceCommand, command.ShowOne):
    """Verify an OTP device with the code it shows now"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--code', required=True,
                            help='The code the device (app) shows now')
        return parser

    def take_action(self, parsed_args):
        # Read before: verifying the factor a "required" domain waits for
        # applies its rules, and that revokes the token used here.
        device = self.client().get(
            self.device_path(parsed_args)).json()['otp_device']
        self.client().post(self.device_path(parsed_args, '/verify'),
                           json={'verify': {'code': parsed_args.code}})
        device['verified'] = True   # 204: it is
        return common.show(device, DEVICE_COLUMNS)


class CreateRecoveryCodes(common.UserCommand, command.ShowOne):
    """Create a new set of recovery codes (shown once)"""

    def take_action(self, parsed_args):
        data = self.client().post(
            self.path(parsed_args, '/recovery_codes')).json()
        codes = data['recovery_codes']
        return ('codes', 'created_at'), ('\n'.join(codes['codes']),
                                         codes['created_at'])


class ShowRecoveryCodes(common.UserCommand, command.ShowOne):
    """Show how many recovery codes are left"""

    def take_action(self, parsed_args):
        return common.show(self.client().get(
            self.path(parsed_args, '/recovery_codes'))
            .json()['recovery_codes'])


class DeleteRecoveryCodes(common.UserCommand, command.Command):
    """Invalidate a user's recovery codes"""

    def take_action(self, parsed_args):
        self.client().delete(self.path(parsed_args, '/recovery_codes'))


def _attempts_base(command_obj, parsed_args):
    if parsed_args.domain:
        domain_id = command_obj.domain_id(parsed_args.domain)
        return f'/domains/{domain_id}/mfa/attempts'
    if parsed_args.user:
        return command_obj.path(parsed_args, '/mfa/attempts')
    return '/mfa/attempts'


class _AttemptCommand(common.UserCommand):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--domain', metavar='<domain>',
                            help="A domain's attempts (name or ID)")
        return parser


class ListAttempts(_AttemptCommand, command.Lister):
    """List login attempts (newest first)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--status',
                            choices=['success', 'failure', 'locked'])
        parser.add_argument('--method')
        parser.add_argument('--since', help='ISO 8601 time')
        parser.add_argument('--until', help='ISO 8601 time')
        parser.add_argument('--limit', type=int)
        return parser

    def take_action(self, parsed_args):
        query = {k: getattr(parsed_args, k) for k in (
            'status', 'method', 'since', 'until', 'limit')
            if getattr(parsed_args, k) is not None}
        url = _attempts_base(self, parsed_args)
        if query:
            url += '?' + urllib.parse.urlencode(query)
        items = self.client().get(url).json()['attempts']
        return ATTEMPT_COLUMNS, [tuple(a[c] for c in ATTEMPT_COLUMNS)
                                 for a in items]


class ShowAttempt(_AttemptCommand, command.ShowOne):
    """Show one login attempt with its recorded headers"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('attempt', metavar='<attempt-id>')
        return parser

    def take_action(self, parsed_args):
        url = f'{_attempts_base(self, parsed_args)}/{parsed_args.attempt}'
        return common.show(self.client().get(url).json()['attempt'])
