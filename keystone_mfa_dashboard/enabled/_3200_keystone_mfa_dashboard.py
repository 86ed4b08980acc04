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
# keystone-mfa-ext's Horizon plugin: its templates, static files and
# translations (the panels come in _3210_* and _6110_*).
FEATURE = 'keystone_mfa_dashboard'
ADD_INSTALLED_APPS = ['keystone_mfa_dashboard']
AUTO_DISCOVER_STATIC_FILES = False
# After login, users of a `required` domain still in their grace period go
# to the enrollment page first (others to Horizon's usual home page).
UPDATE_HORIZON_CONFIG = {
    'user_home': 'keystone_mfa_dashboard.login.user_home',
}
