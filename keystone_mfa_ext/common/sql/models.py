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
"""Import every model so ModelBase.metadata holds the whole schema."""

from keystone_mfa_ext.attempts.backends import sql as attempts_sql  # noqa
from keystone_mfa_ext.common.sql import ModelBase
from keystone_mfa_ext.devices.backends import sql as devices_sql  # noqa
from keystone_mfa_ext.enforcement.backends import sql as enforcement_sql  # noqa
from keystone_mfa_ext.lockout.backends import sql as lockout_sql  # noqa
from keystone_mfa_ext.providers.backends import sql as providers_sql  # noqa
from keystone_mfa_ext.ratelimit.backends import sql as ratelimit_sql  # noqa
from keystone_mfa_ext.recovery.backends import sql as recovery_sql  # noqa
from keystone_mfa_ext.sndfa.backends import sql as spassword_sql  # noqa
from keystone_mfa_ext.totp.backends import sql as totp_sql  # noqa

metadata = ModelBase.metadata
