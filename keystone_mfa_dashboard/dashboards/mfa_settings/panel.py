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
"""The "Multi-factor authentication" panel of the user settings."""

from django.utils.translation import gettext_lazy as _
import horizon

from openstack_dashboard.dashboards.settings import dashboard


class MFAPanel(horizon.Panel):
    name = _("Multi-factor authentication")
    slug = 'mfa'
    # Any logged-in user may manage their own factors (keystone: owner).
    policy_rules = (('identity', 'identity:get_user_mfa'),)


dashboard.Settings.register(MFAPanel)
