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
"""Our option groups, registered on keystone's global CONF.

Importing this package registers them, so every entry point (auth plugins,
WSGI app, manage command) sees the same options; oslo.config still reads
values for groups registered after the file was parsed.
"""

import keystone.conf

from keystone_mfa_ext.conf import mfa
from keystone_mfa_ext.conf import spassword

CONF = keystone.conf.CONF

conf_modules = [mfa, spassword]


def register_opts(conf=CONF):
    """Register every group of ours; safe to call more than once."""
    for module in conf_modules:
        module.register_opts(conf)


register_opts()
