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
"""The "Multi-factor authentication" admin panel of the Identity dashboard."""

from django.utils.translation import gettext_lazy as _
import horizon

from openstack_dashboard.dashboards.identity import dashboard


class MFAAdminPanel(horizon.Panel):
    name = _("Multi-factor authentication")
    slug = 'mfa_admin'
    # Hidden from whoever may not read a domain's policy (keystone's rule,
    # mirrored in conf/keystone_policy.d/ for Horizon's policy checks).
    policy_rules = (('identity', 'identity:get_domain_mfa_policy'),)


dashboard.Identity.register(MFAAdminPanel)
