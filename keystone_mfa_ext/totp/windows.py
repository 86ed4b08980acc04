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
"""The past windows of TOTP codes: our option, else keystone's.

`[mfa] totp_past_windows` applies when it is set (configuration file,
command line, environment, or an override); otherwise keystone's own `[totp]
included_previous_windows` does, so a deployment moving from keystone's
built-in totp driver keeps the window it configured there. When both are
set to different values ours wins, and each process logs a warning once
(check_options). A provider's `past_windows` setting still overrides the
result for its users (providers.core).
"""

import keystone.conf
from keystone.conf import totp as ks_totp_options
from oslo_config import cfg
from oslo_log import log

from keystone_mfa_ext.conf import mfa as mfa_options

CONF = keystone.conf.CONF
LOG = log.getLogger(__name__)

OURS = ('mfa', mfa_options.totp_past_windows)
KEYSTONES = ('totp', ks_totp_options.included_previous_windows)

# Whether this process compared the two options yet.
_checked = False


def _value(group, opt):
    return CONF[group][opt.dest]


def _is_set(group, opt):
    """From a file, the command line, the environment, or an override."""
    location = CONF.get_location(opt.dest, group).location
    if location.is_user_controlled:
        return True
    if location == cfg.Locations.set_override:
        # oslo.config still reports set_override once the override was
        # cleared: an override to the default value counts as not set.
        return _value(group, opt) != opt.default
    return False


def check_options():
    """Warn if both options are set to different values; True if they are.

    For start-up (loading the driver or the app); past_windows() runs it
    once per process itself if nothing did before.
    """
    global _checked
    _checked = True
    if not (_is_set(*OURS) and _is_set(*KEYSTONES)):
        return False
    ours, keystones = _value(*OURS), _value(*KEYSTONES)
    if ours == keystones:
        return False
    LOG.warning('[mfa] totp_past_windows = %(ours)d and [totp] '
                'included_previous_windows = %(keystones)d differ: the '
                'mfa_ext totp driver uses [mfa] totp_past_windows and '
                'accepts codes up to %(ours)d time steps old. Remove one of '
                'the two options or give both the same value.',
                {'ours': ours, 'keystones': keystones})
    return True


def past_windows():
    """Past time steps whose codes are accepted, before any provider's."""
    if not _checked:
        # The configuration is loaded by the first code check, whichever
        # entry point (our WSGI app, keystone's app with our driver, the
        # manage command) imported this module, and when.
        check_options()
    return _value(*(OURS if _is_set(*OURS) else KEYSTONES))
