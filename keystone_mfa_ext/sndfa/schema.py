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
"""Request bodies of the keystone-spassword routes."""

sndfa_update = {
    'type': 'object',
    'properties': {'enable': {'type': 'boolean'}},
    'required': ['enable'],
    'additionalProperties': False,
}

# The form of the reset page posts its button too; extra fields are ignored.
reset_password = {
    'type': 'object',
    'properties': {'password': {'type': 'string', 'minLength': 1,
                                'maxLength': 4096}},
    'required': ['password'],
}

# Pages post their button; JSON clients post nothing or {}.
confirm = {'type': 'object'}
