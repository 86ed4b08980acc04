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
"""What a second factor tells the rest of the extension.

A factor is one keystone auth method of ours (`method`) and the records a
user enrolls for it. User MFA, domain enforcement, providers and the
factor-change checks ask factors through this interface (see
factors.registry), never by name. A new factor touches only:

- its package: a `Factor` subclass, its keystone auth plugin, its API and
  backend (a manager and driver, as in devices/ and recovery/);
- its migration, in common/sql/migrations;
- its entry points: `keystone_mfa_ext.factors` (the factor),
  `keystone.auth.<method>` (the plugin), its driver namespace;
- its CLI and dashboard commands.
"""

import abc

# Text a provider setting may hold: no control character, any database.
TEXT = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': '^[^\\x00-\\x1f\\x7f]+$'}


class Factor(metaclass=abc.ABCMeta):
    """A second factor backing one keystone auth method."""

    # The entry point name; also the `provider_name` of its providers.
    name = None
    # The keystone auth method users prove the factor with.
    method = None
    # Where its rule comes in rule lists (lower first), then the name.
    position = 100
    # JSON schema of the settings a provider of this factor accepts.
    settings_schema = {'type': 'object', 'additionalProperties': False}
    # (group, key) settings stored encrypted and never shown.
    secret_settings = ()

    @abc.abstractmethod
    def defaults(self):
        """The provider settings keystone.conf gives (no provider stored)."""

    @abc.abstractmethod
    def enrolled(self, user):
        """Can `user` (a keystone user ref) prove this factor now?

        Only an enrolled factor goes into the user's MFA rules: a rule the
        user cannot satisfy locks the user out.
        """

    def has_records(self, user):
        """Does `user` hold anything of this factor, even unusable?

        Any such record makes changing factors need a second factor.
        """
        return self.enrolled(user)

    @abc.abstractmethod
    def state(self, user):
        """This factor's fields in the user's MFA state (GET .../mfa)."""

    @abc.abstractmethod
    def forget(self, user_id):
        """Remove every record of the user (reset, user deleted)."""
