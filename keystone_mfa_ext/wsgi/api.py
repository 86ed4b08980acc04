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
"""WSGI entry point: keystone's public application plus our APIs.

Use `keystone_mfa_ext.wsgi.api:application` wherever keystone's own
`keystone.wsgi.api:application` was configured (uwsgi, gunicorn, mod_wsgi).
Configuration is found exactly as keystone finds it
(`OS_KEYSTONE_CONFIG_DIR` / `OS_KEYSTONE_CONFIG_FILES`, else its defaults).
"""

import contextlib
import sys
import threading

from keystone.server import wsgi as ks_wsgi

from keystone_mfa_ext.wsgi import extension


@contextlib.contextmanager
def _own_argv():
    """Hide the WSGI server's command line from keystone's option parser.

    keystone parses `sys.argv` as its own CLI; under gunicorn that holds
    gunicorn's arguments and every worker would exit with status 2.
    """
    saved = sys.argv
    sys.argv = saved[:1]
    try:
        yield
    finally:
        sys.argv = saved


def initialize_application():
    """Build keystone's public app and add the extension to it."""
    with _own_argv():
        app = ks_wsgi.initialize_public_application()
    return extension.extend_app(app)


def app_factory(global_conf, **local_conf):
    """PasteDeploy `paste.app_factory` for the same application."""
    return _application()


_lock = threading.Lock()
_app = None


def _application():
    global _app
    with _lock:
        if _app is None:
            _app = initialize_application()
    return _app


application = _application()
