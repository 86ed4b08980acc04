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
from django.urls import re_path

from keystone_mfa_dashboard.dashboards.mfa_admin import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^policy/$', views.PolicyView.as_view(), name='policy'),
    re_path(r'^providers/$', views.ProviderView.as_view(), name='providers'),
    re_path(r'^providers/update/$', views.ProviderUpdateView.as_view(),
            name='provider_update'),
    re_path(r'^attempts/$', views.AttemptsView.as_view(), name='attempts'),
    re_path(r'^user/$', views.UserView.as_view(), name='user'),
]
