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

from keystone import exception
from keystone.i18n import _

from keystone_mfa_ext.common import compat


_VALIDATORS = {}
_MAX_VALIDATORS = 256


def _validator(schema):
    """keystone's validator of `schema`, built once per process.

    Building one costs about 20 times validating with it (each totp login
    paid it); keystone's own `validated` decorator builds its validators
    once too. Schemas are module constants; the entry keeps its schema, so
    its id() cannot be reused while cached.
    """
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, compat.SchemaValidator(schema))
        if len(_VALIDATORS) < _MAX_VALIDATORS:
            _VALIDATORS[id(schema)] = cached
    return cached[1]


def validate(schema, body):
    try:
        _validator(schema).validate(body)
    except exception.SchemaValidationError:
        field = _field_of(schema, body)
        # `from None`: keystone logs this error with its traceback, and the
        # chained schema error would put the rejected value in the log.
        raise exception.ValidationError(
            _('Invalid input for field %s.') % field if field
            else _('Invalid request body.')) from None
    field = _unstorable(body)
    if field is not None:
        # JSON may escape lone surrogates ("\ud800") and NUL ("\u0000"):
        # a 400 here, not a database error (500) later.
        raise exception.ValidationError(
            _('Invalid input for field %s.') % f"'{field}'" if field
            else _('Invalid request body.'))


def _unstorable(value, path=''):
    """Path of the first text (key or value) no database can store.

    Lone surrogates are not valid UTF-8, so no database or mail can take
    them; PostgreSQL cannot store or even compare text with a NUL (oslo.db
    raises DBError), so a NUL in an id or name looked up there was a 500.
    """
    if isinstance(value, str):
        if '\x00' in value:
            return path
        try:
            value.encode('utf-8')
        except UnicodeEncodeError:
            return path
        return None
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        where = f'{path}/{key}' if path else str(key)
        if _unstorable(key, path) is not None:
            return path
        found = _unstorable(item, where)
        if found is not None:
            return found
    return None


def _field_of(schema, body):
    """The quoted path of the field keystone refused, or None.

    Found with jsonschema itself, keystone's validator class and draft:
    its first error is the one keystone reports. keystone's message text
    (which holds the rejected value, and may be translated) is not read.
    """
    error = next(compat.SCHEMA_DRAFT(schema).iter_errors(body), None)
    if error is None or not error.path:
        return None
    return "'" + '/'.join(map(str, error.path)) + "'"
