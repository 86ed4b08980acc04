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
"""`openstack mfa ...`: the OpenStack CLI plugin of keystone-mfa-ext."""

from keystoneauth1 import adapter

from keystone_mfa_ext.client import auth
from keystone_mfa_ext.client.osc import endpoint
from keystone_mfa_ext.client.osc import terminal

API_NAME = 'mfa'
API_VERSION_OPTION = 'os_mfa_api_version'
API_VERSIONS = {'1': 'keystone_mfa_ext.client.osc.plugin.MFAClient'}


class MFAClient(adapter.Adapter):
    """keystone's v3 API, where the extension's routes live."""


def make_client(instance):
    kwargs = dict(interface=instance.interface,
                  region_name=instance.region_name, version=endpoint.VERSION)
    kwargs.update(endpoint.adapter_kwargs(instance))
    return MFAClient(session=instance.session, service_type='identity',
                     **kwargs)


def build_option_parser(parser):
    # Only the `openstack` command calls this (importing the module is not
    # enough): there, the email second factor asks for its mailed code.
    auth.set_code_prompt(terminal.ask_for_mailed_code)
    parser.add_argument('--os-mfa-api-version', metavar='<mfa-api-version>',
                        default='1', help='keystone-mfa-ext API version (1)')
    return parser
