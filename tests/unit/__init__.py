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
import atexit
import os
import shutil
import tempfile

# keystone.tests.unit writes its temporary files next to its own source
# (site-packages) unless told otherwise; point it at a private directory
# before anything imports it.
if 'KEYSTONE_TEST_TEMP_DIR' not in os.environ:
    _tmp = tempfile.mkdtemp(prefix='keystone-mfa-ext-tests-')
    os.environ['KEYSTONE_TEST_TEMP_DIR'] = _tmp
    atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
