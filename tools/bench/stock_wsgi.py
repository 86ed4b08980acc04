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
"""Stock keystone's public WSGI app, as `keystone.wsgi.api` builds it.

Only difference: gunicorn's command line is hidden from keystone's option
parser (it would exit on gunicorn's arguments), which keystone.wsgi.api
cannot do. Nothing of the extension is added.
"""

import sys

from keystone.server import wsgi as ks_wsgi

_argv, sys.argv = sys.argv, sys.argv[:1]
try:
    application = ks_wsgi.initialize_public_application()
finally:
    sys.argv = _argv
