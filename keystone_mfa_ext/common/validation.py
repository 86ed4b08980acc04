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
"""JSON-schema validation whose errors never echo the rejected value.

keystone's SchemaValidationError text contains the offending value, and
keystone logs it: a mistyped passcode, code, password or SMTP secret would
end up in the response and the log. This names the field only.
"""

from keystone.common.validation import validators
from keystone import exception
from keystone.i18n import _


def validate(schema, body):
    try:
        validators.SchemaValidator(schema).validate(body)
    except exception.SchemaValidationError as e:
        field = _field_of(e)
        raise exception.ValidationError(
            _('Invalid input for field %s.') % field if field
            else _('Invalid request body.'))


def _field_of(error):
    """The field name keystone's message starts with, without its value."""
    text = str(error)
    marker = "Invalid input for field '"
    if marker in text:
        return "'" + text.split(marker, 1)[1].split("'", 1)[0] + "'"
    return None
