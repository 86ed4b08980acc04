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
"""The compatibility module works on the installed keystone, whichever.

Each test holds on every supported release (keystone 25 to 30); where a
release has the API itself, compat must hand out keystone's own.
tools/release-matrix.sh runs these against each release.
"""

import importlib

from keystone.common.validation import validators as ks_validators
import keystone.conf
from keystone.conf import auth as ks_auth_conf
from keystone import exception as ks_exception
from keystone.tests import unit
from oslo_config import fixture as config_fixture

from keystone_mfa_ext.common import compat
from keystone_mfa_ext.common import validation
from keystone_mfa_ext.user_mfa import schema as user_mfa_schema

CONF = keystone.conf.CONF


def _keystone_api_validation():
    try:
        return importlib.import_module('keystone.api.validation')
    except ImportError:
        return None


class RequestBodySchemaTestCase(unit.BaseTestCase):

    def test_keystones_decorator_where_keystone_has_one(self):
        found = _keystone_api_validation()
        self.assertEqual(found is not None, compat.HAS_API_VALIDATION)
        if found is not None:
            self.assertIs(found.request_body_schema,
                          compat.request_body_schema)

    def test_a_view_without_a_body_schema_answers_as_undecorated(self):
        def view(resource, user_id):
            return {'user': user_id}

        decorated = compat.request_body_schema(None)(view)
        self.assertEqual({'user': 'u1'}, decorated(object(), 'u1'))


class AdditionalPrimaryAuthMethodsTestCase(unit.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(config_fixture.Config(CONF))

    def test_the_option_exists_on_every_release(self):
        self.assertIn('additional_primary_auth_methods', CONF.auth)
        self.assertEqual(set(), compat.additional_primary_auth_methods())

    def test_registered_by_us_only_where_keystone_lacks_it(self):
        self.assertEqual(
            hasattr(ks_auth_conf, 'additional_primary_auth_methods'),
            compat.HAS_ADDITIONAL_PRIMARY_AUTH_METHODS)
        compat.register_opts()  # again: no DuplicateOptError

    def test_configured_names_are_what_our_checks_read(self):
        self.config.config(group='auth',
                           additional_primary_auth_methods=['sndfa', 'x'])
        self.assertEqual({'sndfa', 'x'},
                         compat.additional_primary_auth_methods())


class SchemaValidatorTestCase(unit.BaseTestCase):

    def test_keystones_own_where_it_checks_draft_2020_12(self):
        if ks_validators.SchemaValidator.validator_org is compat.SCHEMA_DRAFT:
            self.assertIs(ks_validators.SchemaValidator,
                          compat.SchemaValidator)
        else:
            self.assertTrue(issubclass(compat.SchemaValidator,
                                       ks_validators.SchemaValidator))

    def test_keywords_newer_than_draft_4_are_checked(self):
        # Draft 4 (keystone < 27) ignores const and dependentRequired.
        schema = {'type': 'object',
                  'properties': {'unlock': {'const': True}},
                  'dependentRequired': {'a': ['b']}}
        checker = compat.SchemaValidator(schema)
        checker.validate({'unlock': True})
        for body in ({'unlock': False}, {'a': 1}):
            self.assertRaises(ks_exception.SchemaValidationError,
                              checker.validate, body)

    def test_a_false_unlock_is_refused_before_our_code_sees_it(self):
        # On keystone 25/26 this body used to pass keystone's draft-4
        # validator and fail later in the API (a 500).
        self.assertRaises(ks_exception.ValidationError, validation.validate,
                          user_mfa_schema.user_mfa_update,
                          {'mfa': {'unlock': False}})
