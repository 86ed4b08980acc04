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
"""keystone-mfa-ext-manage: the extension's keystone-manage.

Same conventions as keystone-manage: `--config-file` / `--config-dir`, or
keystone's default config locations, and one sub-command per task.
"""

import datetime
import sys

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from keystone.common import sql as ks_sql
import keystone.conf
from keystone.server import backends as ks_backends

from keystone_mfa_ext import backends
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.common.sql import migration
import keystone_mfa_ext.conf  # noqa: F401  (registers our option groups)
from keystone_mfa_ext import version

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)


class DbSync:
    """Create or upgrade the extension's tables in keystone's database."""

    name = 'db_sync'

    @staticmethod
    def main():
        migration.db_sync()
        print(' '.join(migration.db_version()))


class DbVersion:
    """Print the applied revision (empty before the first db_sync)."""

    name = 'db_version'

    @staticmethod
    def main():
        applied = migration.db_version()
        print(' '.join(applied) if applied else 'None')


class Reencrypt:
    """Re-encrypt OTP device and MFA provider secrets with the primary key.

    Run after `keystone-manage credential_rotate` (keystone's own
    `credential_migrate` does not know our tables). Both are re-encrypted
    even if some could not be; exits 1 if a secret could not be decrypted
    with any current key.
    """

    name = 'reencrypt'

    @staticmethod
    def main():
        ks_backends.load_backends()
        backends.load_backends()
        any_failed = False
        for what, reencrypt_all in (
                ('OTP device',
                 provider_api.ProviderAPIs.mfa_device_api.reencrypt_all),
                ('MFA provider',
                 provider_api.ProviderAPIs.mfa_provider_api.reencrypt_all)):
            moved, failed = reencrypt_all()
            print(f'{moved} {what} secrets re-encrypted, '
                  f'{failed} could not be decrypted')
            any_failed = any_failed or bool(failed)
        if any_failed:
            sys.exit(1)


class AttemptsPurge:
    """Delete login attempts older than [mfa] attempts_retention_days."""

    name = 'attempts_purge'

    @staticmethod
    def main():
        cutoff = timeutils.utcnow() - datetime.timedelta(
            days=CONF.mfa.attempts_retention_days)
        backends.load_backends()
        purged = provider_api.ProviderAPIs.mfa_attempt_api.purge(cutoff)
        print(f'{purged} login attempts older than '
              f'{cutoff.isoformat()}Z deleted')


CMDS = [DbSync, DbVersion, Reencrypt, AttemptsPurge]


def add_command_parsers(subparsers):
    for cmd in CMDS:
        parser = subparsers.add_parser(
            cmd.name, help=cmd.__doc__.strip().splitlines()[0])
        parser.set_defaults(cmd_class=cmd)


command_opt = cfg.SubCommandOpt(
    'command',
    title='Commands',
    help='Available commands',
    handler=add_command_parsers,
)


def main(argv=None):
    argv = sys.argv if argv is None else argv
    CONF.register_cli_opt(command_opt)
    keystone.conf.configure()
    ks_sql.initialize()
    keystone.conf.set_default_for_default_log_levels()
    CONF(
        args=argv[1:],
        project='keystone',
        prog='keystone-mfa-ext-manage',
        version=version.version_string(),
        usage='%(prog)s [' + '|'.join(cmd.name for cmd in CMDS) + ']',
    )
    keystone.conf.setup_logging()
    CONF.command.cmd_class.main()


if __name__ == '__main__':
    main()
