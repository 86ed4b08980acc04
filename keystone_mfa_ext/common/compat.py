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
"""The keystone APIs that differ between the releases we support.

keystone-mfa-ext runs on keystone 25 (2024.1) to 30 (2026.2). Every use of
a keystone API that one of those releases lacks goes through this module,
so the rest of the package is written against one keystone. Each entry
checks for the API itself, not for a version number: a point release can
bring an API back to an older series.

- `request_body_schema`: keystone.api.validation (keystone 27 and later).
  Its decorator records the schema on the view, and with None checks
  nothing; where keystone lacks it, the decorator here leaves the view as
  it is.
- `additional_primary_auth_methods()`: `[auth]
  additional_primary_auth_methods`, from keystone 27.1.0, 28.1.0, 29.1.0
  and 30 (keystone's guards against delegated tokens). Where keystone lacks
  the option, importing this module registers it, same name, type and
  default, so one keystone.conf serves every release and our own
  delegated-token check reads it; keystone itself then ignores it.
- `SchemaValidator`: keystone.common.validation.validators.SchemaValidator
  checks JSON Schema draft 2020-12 from keystone 27 on, draft 4 before:
  there `const` and other newer keywords are silently ignored, so a body
  our schemas refuse would get through (and fail later, a 500). Ours
  checks draft 2020-12 on every release.
"""

import jsonschema
from keystone.common.validation import validators as ks_validators
import keystone.conf
from keystone.conf import auth as ks_auth_conf
from oslo_config import cfg

try:
    from keystone.api import validation as _ks_api_validation
except ImportError:  # keystone < 27
    _ks_api_validation = None

CONF = keystone.conf.CONF

HAS_API_VALIDATION = _ks_api_validation is not None
HAS_ADDITIONAL_PRIMARY_AUTH_METHODS = hasattr(
    ks_auth_conf, 'additional_primary_auth_methods')


def _keep_view(schema=None):
    def decorate(func):
        return func
    return decorate


if HAS_API_VALIDATION:
    request_body_schema = _ks_api_validation.request_body_schema
else:
    request_body_schema = _keep_view


SCHEMA_DRAFT = jsonschema.Draft202012Validator

if ks_validators.SchemaValidator.validator_org is SCHEMA_DRAFT:
    SchemaValidator = ks_validators.SchemaValidator
else:  # keystone < 27: draft 4
    class SchemaValidator(ks_validators.SchemaValidator):
        """keystone's validator (its errors, its logging), draft 2020-12."""

        validator_org = SCHEMA_DRAFT


ADDITIONAL_PRIMARY_AUTH_METHODS_OPT = cfg.ListOpt(
    'additional_primary_auth_methods', default=[],
    help='Auth method names, beyond keystone\'s own primary methods, that '
         'authenticate a user directly rather than via a delegated '
         'credential (registered by keystone-mfa-ext where keystone has '
         'no such option).')


def register_opts(conf=CONF):
    """Register what this keystone lacks; safe to call more than once."""
    if not HAS_ADDITIONAL_PRIMARY_AUTH_METHODS:
        conf.register_opt(ADDITIONAL_PRIMARY_AUTH_METHODS_OPT,
                          group=ks_auth_conf.GROUP_NAME)


def additional_primary_auth_methods():
    """`[auth] additional_primary_auth_methods` as a set of names."""
    return set(CONF.auth.additional_primary_auth_methods)


register_opts()
