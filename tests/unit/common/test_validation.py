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
"""Refusals name the field, never the value, whatever keystone's text says."""

from unittest import mock

from keystone import exception
import testtools

from keystone_mfa_ext.common import compat
from keystone_mfa_ext.common import validation

SCHEMA = {
    'type': 'object',
    'properties': {'outer': {
        'type': 'object',
        'properties': {'passcode': {'type': 'string', 'maxLength': 8}}}},
}


class ValidationTestCase(testtools.TestCase):

    def refusal(self, body):
        return str(self.assertRaises(exception.ValidationError,
                                     validation.validate, SCHEMA, body))

    def test_names_the_nested_field_only(self):
        message = self.refusal({'outer': {'passcode': 'SECRET-123456'}})
        self.assertIn("Invalid input for field 'outer/passcode'.", message)
        self.assertNotIn('SECRET-123456', message)

    def test_does_not_read_keystones_message(self):
        # A translated (or reworded) keystone message changes nothing.
        translated = exception.SchemaValidationError(
            detail="Entrée invalide pour le champ « outer/passcode »")
        with mock.patch.object(compat.SchemaValidator, 'validate',
                               side_effect=translated):
            message = self.refusal({'outer': {'passcode': 'SECRET-123456'}})
        self.assertIn("Invalid input for field 'outer/passcode'.", message)

    def test_an_error_of_the_whole_body(self):
        message = self.refusal(['SECRET-123456'])
        self.assertIn('Invalid request body.', message)
        self.assertNotIn('SECRET-123456', message)
