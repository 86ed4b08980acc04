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
"""keystone's own password lockout of a user, read where keystone keeps it.

keystone has no public call for it (identity_api neither returns the
failure count nor says whether a user is locked): the one place that
reads keystone's identity SQL model is here, pinned by
tests/unit/lockout/test_keystone_password.py so that a keystone refactor
of these columns fails a test rather than silently unlocking.
"""

import collections

from keystone.identity.backends import resource_options as ks_user_options
from keystone.identity.backends import sql_model as ks_identity_model

from keystone_mfa_ext.common import sql

PasswordFailures = collections.namedtuple(
    'PasswordFailures', 'count failed_at ignored')


def password_failures(user_id):
    """keystone's own password-failure columns of a local user, or None.

    keystone has no public call for them; they are read (never written)
    from its identity SQL model, with the user's
    `ignore_lockout_failure_attempts` option.
    """
    with sql.session_for_read() as session:
        user = session.get(ks_identity_model.User, user_id)
        if user is None or user.local_user is None:
            return None
        ignore = user.get_resource_option(
            ks_user_options.IGNORE_LOCKOUT_ATTEMPT_OPT.option_id)
        return PasswordFailures(
            count=user.local_user.failed_auth_count or 0,
            failed_at=user.local_user.failed_auth_at,
            ignored=bool(ignore and ignore.option_value is True))
