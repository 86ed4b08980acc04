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
"""Django settings of the plugin's unit tests: Horizon's, plus our panels."""

from openstack_dashboard import enabled as dash_enabled
from openstack_dashboard.test.settings import *  # noqa: F401,F403
from openstack_dashboard.test.settings import HORIZON_CONFIG
from openstack_dashboard.test.settings import INSTALLED_APPS as _APPS
from openstack_dashboard.utils import settings as settings_utils

from keystone_mfa_dashboard import enabled as mfa_enabled

INSTALLED_APPS = []
settings_utils.update_dashboards([dash_enabled, mfa_enabled],
                                 HORIZON_CONFIG, INSTALLED_APPS)
# Horizon's settings already added its own dashboards' apps once.
INSTALLED_APPS = list(dict.fromkeys(INSTALLED_APPS + list(_APPS)))
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
