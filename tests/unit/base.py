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
"""Test bases built on keystone's own fixtures (no mocks of keystone)."""

import datetime
import http.client
import json
import time
import uuid

from keystone.common import provider_api
from keystone import exception
from keystone.tests import unit
from keystone.tests.unit import test_v3
from oslo_utils import timeutils

from keystone_mfa_ext.common import provider_api as mfa_provider_api
from keystone_mfa_ext.common.sql import migration
from keystone_mfa_ext.wsgi import extension as wsgi_extension
from tests.unit import db_fixtures


class RestfulTestCase(db_fixtures.BackendDatabaseMixin,
                      test_v3.RestfulTestCase):
    """keystone's v3 REST test case with the extension's APIs and tables.

    The app is keystone's own test app with our blueprints registered the
    way keystone_mfa_ext.wsgi.api does it; our tables are created by our
    real migrations on keystone's test database (in-memory SQLite, or
    MariaDB/PostgreSQL with MFA_EXT_TEST_DB_BACKEND, see db_fixtures).
    """

    def setUp(self):
        super().setUp()
        # Our managers are made with this test's configuration, as keystone's
        # fixtures make keystone's.
        self.addCleanup(mfa_provider_api.ProviderAPIs.clear)
        migration.db_sync()

    def loadapp(self, name='public'):
        # keystone's test app, extended exactly like the real one (the
        # WSGI module itself builds keystone's app from the global config).
        return wsgi_extension.extend_app(super().loadapp(name=name))


class TOTPRestfulTestCase(RestfulTestCase):
    """keystone with `[auth] totp = mfa_ext` and a frozen, steppable clock."""

    METHODS = ['external', 'password', 'token', 'application_credential',
               'totp']

    def auth_plugin_config_override(self, methods=None, **method_classes):
        method_classes.setdefault('totp', 'mfa_ext')
        super().auth_plugin_config_override(
            methods=methods or self.METHODS, **method_classes)

    def setUp(self):
        super().setUp()
        # Near real time (fernet tokens carry real timestamps), at the start
        # of a 30 s step so a test controls which window it is in.
        start = int(time.time()) // 60 * 60 + 60
        self.now = datetime.datetime.fromtimestamp(start, datetime.UTC)
        self.set_clock(0)
        self.addCleanup(timeutils.clear_time_override)

    def set_clock(self, seconds):
        """Move the frozen clock to `seconds` after the test's start."""
        moment = self.now + datetime.timedelta(seconds=seconds)
        timeutils.set_time_override(moment.replace(tzinfo=None))
        return moment.timestamp()

    @property
    def ts(self):
        return timeutils.utcnow_ts(microsecond=True)

    @staticmethod
    def totp_auth(user_id, passcode):
        return {'auth': {'identity': {
            'methods': ['totp'],
            'totp': {'user': {'id': user_id, 'passcode': passcode}}}}}

    @staticmethod
    def password_auth(user_id, password):
        return {'auth': {'identity': {
            'methods': ['password'],
            'password': {'user': {'id': user_id, 'password': password}}}}}

    def issue(self, body, expected_status=http.client.CREATED, headers=None):
        """POST /v3/auth/tokens; a 401 may be an error or a receipt."""
        headers = dict(headers or {})
        headers['Content-Type'] = 'application/json'
        response = self.admin_request(
            method='POST', path='/v3/auth/tokens',
            body=json.dumps(body).encode(), headers=headers,
            expected_status=expected_status, convert=False)
        response.result = response.json
        return response


class PersonasMixin:
    """Real users with real role assignments, and their tokens.

    The target user lives in its own domain so that an admin of *another*
    domain can be told apart from an admin of the user's domain.
    """

    def setup_personas(self):
        providers = provider_api.ProviderAPIs
        self.roles = {}
        for name in ('admin', 'member', 'reader'):
            try:
                role = providers.role_api.get_unique_role_by_name(name)
            except exception.RoleNotFound:
                role = providers.role_api.create_role(
                    uuid.uuid4().hex, unit.new_role_ref(name=name))
            self.roles[name] = role['id']
        # As keystone-manage bootstrap does: admin > member > reader.
        for prior, implied in (('admin', 'member'), ('member', 'reader')):
            try:
                providers.role_api.create_implied_role(
                    self.roles[prior], self.roles[implied])
            except exception.Conflict:
                pass
        self.domain = self.new_domain()
        self.other_domain = self.new_domain()
        self.target_project = self.new_project(self.domain['id'])
        self.target = self.new_user(self.domain['id'])
        self.grant('member', self.target, project=self.target_project)

        self.system_admin = self.new_user(self.other_domain['id'])
        providers.assignment_api.create_system_grant_for_user(
            self.system_admin['id'], self.roles['admin'])
        self.domain_admin = self.new_user(self.domain['id'])
        self.grant('admin', self.domain_admin, domain=self.domain)
        self.other_domain_admin = self.new_user(self.other_domain['id'])
        self.grant('admin', self.other_domain_admin, domain=self.other_domain)
        self.other_member = self.new_user(self.domain['id'])
        self.grant('member', self.other_member, project=self.target_project)
        self.system_reader = self.new_user(self.other_domain['id'])
        providers.assignment_api.create_system_grant_for_user(
            self.system_reader['id'], self.roles['reader'])
        self.domain_reader = self.new_user(self.domain['id'])
        self.grant('reader', self.domain_reader, domain=self.domain)
        self.other_domain_reader = self.new_user(self.other_domain['id'])
        self.grant('reader', self.other_domain_reader,
                   domain=self.other_domain)

    def new_domain(self):
        ref = unit.new_domain_ref()
        return provider_api.ProviderAPIs.resource_api.create_domain(
            ref['id'], ref)

    def new_project(self, domain_id):
        ref = unit.new_project_ref(domain_id=domain_id)
        return provider_api.ProviderAPIs.resource_api.create_project(
            ref['id'], ref)

    def new_user(self, domain_id):
        return unit.create_user(provider_api.ProviderAPIs.identity_api,
                                domain_id=domain_id)

    def grant(self, role, user, domain=None, project=None):
        provider_api.ProviderAPIs.assignment_api.create_grant(
            self.roles[role], user_id=user['id'],
            domain_id=domain and domain['id'],
            project_id=project and project['id'])

    def token(self, user, **scope):
        """A token of `user` (password), scoped like keystone's clients do."""
        return self.get_requested_token(self.build_authentication_request(
            user_id=user['id'], password=user['password'], **scope))

    def two_factor_token(self, user, passcode, **scope):
        """Password and a totp (or recovery) code of `user`, one request.

        What changing factors asks for once the user has one.
        """
        auth = self.build_authentication_request(
            user_id=user['id'], password=user['password'], passcode=passcode,
            **scope)
        auth['auth']['identity']['methods'] = ['password', 'totp']
        return self.get_requested_token(auth)

    def persona_tokens(self):
        """{name: token} for the usual personas around self.target."""
        return {
            'system_admin': self.token(self.system_admin, system=True),
            'domain_admin': self.token(self.domain_admin,
                                       domain_id=self.domain['id']),
            'other_domain_admin': self.token(
                self.other_domain_admin, domain_id=self.other_domain['id']),
            'owner': self.token(self.target,
                                project_id=self.target_project['id']),
            'other_member': self.token(self.other_member,
                                       project_id=self.target_project['id']),
        }

    def reader_tokens(self):
        """{name: token} for the reader personas."""
        return {
            'system_reader': self.token(self.system_reader, system=True),
            'domain_reader': self.token(self.domain_reader,
                                        domain_id=self.domain['id']),
            'other_domain_reader': self.token(
                self.other_domain_reader,
                domain_id=self.other_domain['id']),
        }


class OwnerRestfulTestCase(TOTPRestfulTestCase, PersonasMixin):
    """Personas around `self.target`, and the target's own token."""

    def setUp(self):
        super().setUp()
        self.setup_personas()
        self.uid = self.target['id']
        self.owner_token = self.token(self.target,
                                      project_id=self.target_project['id'])
