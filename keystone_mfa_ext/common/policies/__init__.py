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
"""Every policy rule of the extension (`oslo.policy.policies` entry point)."""

import itertools

from keystone_mfa_ext.common.policies import attempts
from keystone_mfa_ext.common.policies import domain_policy
from keystone_mfa_ext.common.policies import mfa
from keystone_mfa_ext.common.policies import otp_device
from keystone_mfa_ext.common.policies import providers
from keystone_mfa_ext.common.policies import recovery_codes
from keystone_mfa_ext.common.policies import spassword
from keystone_mfa_ext.common.policies import user_mfa


def list_rules():
    return list(itertools.chain(
        mfa.list_rules(),
        attempts.list_rules(),
        otp_device.list_rules(),
        providers.list_rules(),
        domain_policy.list_rules(),
        recovery_codes.list_rules(),
        spassword.list_rules(),
        user_mfa.list_rules(),
    ))
