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
"""Adding the extension to a keystone Flask app, with no side effect at import.

keystone_mfa_ext.wsgi.api uses it on the real app; tests use it on
keystone's own test app, so both run the same code.
"""

from keystone_mfa_ext import api
from keystone_mfa_ext import backends
from keystone_mfa_ext.common import policy
import keystone_mfa_ext.conf  # noqa: F401  (registers our option groups)
from keystone_mfa_ext import notifications
from keystone_mfa_ext.wsgi import errors
from keystone_mfa_ext.wsgi import forms
from keystone_mfa_ext.wsgi import guards
from keystone_mfa_ext.wsgi import link_codes
from keystone_mfa_ext.wsgi import request_facts
from keystone_mfa_ext.wsgi import token_extras


def extend_app(app):
    """Register our managers, rules, callbacks, APIs and hooks.

    Before the first request.
    """
    backends.load_backends()
    request_facts.register(app)
    policy.setup()
    notifications.register_callbacks()
    api.register_apis(app)
    errors.register(app)
    guards.register(app)
    app.after_request(token_extras.after_request)
    app.wsgi_app = link_codes.HideLinkCodes(forms.FormPosts(app.wsgi_app))
    return app
