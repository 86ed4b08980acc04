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
"""Options: on keystone's CONF, documented, listed by the generator."""

from keystone.tests import unit
from oslo_config import cfg

from keystone_mfa_ext import conf
from keystone_mfa_ext.conf import opts
from tests import utils

# The names keystone-spassword deployments already have in keystone.conf
# (api.md section 2); renaming one would break their upgrade.
SPASSWORD_NAMES = {
    'sndfa', 'sndfa_time_window', 'sndfa_endpoint', 'smtp_server',
    'smtp_port', 'smtp_tls', 'smtp_user', 'smtp_password', 'smtp_from',
    'sndfa_code_ttl', 'sndfa_code_length', 'sndfa_resend_interval',
    'sndfa_code_max_attempts', 'recover_code_ttl', 'smtp_timeout',
    'mail_driver',
}
MFA_NAMES = {
    'accept_keystone_totp_credentials', 'totp_past_windows',
    'totp_future_windows', 'max_failed_attempts', 'lockout_duration',
    'max_devices_per_user', 'attempts_retention_days',
    'max_consecutive_failures',
}


def _all_opts():
    return [(group, opt) for group, group_opts in opts.list_opts()
            for opt in group_opts]


class OptionsTestCase(unit.BaseTestCase):

    def test_contract_option_names_exist(self):
        listed = dict(opts.list_opts())
        self.assertTrue(SPASSWORD_NAMES <= {o.name for o in
                                            listed['spassword']})
        self.assertTrue(MFA_NAMES <= {o.name for o in listed['mfa']})

    def test_every_option_has_help(self):
        for group, opt in _all_opts():
            self.assertTrue(opt.help and opt.help.strip(),
                            f'[{group}] {opt.name} has no help text')

    def test_password_options_are_secret(self):
        for group, opt in _all_opts():
            if 'password' in opt.name:
                self.assertTrue(opt.secret, f'[{group}] {opt.name}')

    def test_numbers_have_bounds(self):
        for group, opt in _all_opts():
            if isinstance(opt, (cfg.IntOpt, cfg.FloatOpt)):
                self.assertIsNotNone(opt.type.min, f'[{group}] {opt.name}')
                self.assertIsNotNone(opt.type.max, f'[{group}] {opt.name}')

    def test_registered_on_keystones_conf_with_contract_defaults(self):
        self.assertEqual(587, conf.CONF.spassword.smtp_port)
        self.assertTrue(conf.CONF.spassword.smtp_tls)
        self.assertEqual(24, conf.CONF.spassword.sndfa_time_window)
        self.assertEqual(600, conf.CONF.spassword.sndfa_code_ttl)
        self.assertEqual(1, conf.CONF.mfa.totp_past_windows)
        self.assertEqual(5, conf.CONF.mfa.max_failed_attempts)
        self.assertEqual(900, conf.CONF.mfa.lockout_duration)

    def test_config_generator_lists_every_option(self):
        out = utils.run_script('oslo-config-generator',
                               '--namespace', 'keystone_mfa_ext').stdout
        self.assertIn('[spassword]', out)
        self.assertIn('[mfa]', out)
        for group, opt in _all_opts():
            # an empty default is written '#name =' (no trailing space)
            self.assertRegex(out, rf'(?m)^#{opt.name} =( |$)',
                             f'[{group}] {opt.name}')
