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
"""The import graph keeps its layers (issue 16).

Flask only in the HTTP layers (api/, wsgi/): the core reads the request
through common.request_context. A subsystem's backend never imports
another subsystem's backend.
"""

import ast
import pathlib

import testtools

import keystone_mfa_ext

PACKAGE = pathlib.Path(keystone_mfa_ext.__file__).parent
HTTP_LAYERS = ('api', 'wsgi')


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f'{node.module}.{alias.name}'
                        for alias in node.names)


def _modules():
    for path in sorted(PACKAGE.rglob('*.py')):
        yield path.relative_to(PACKAGE).parts, path


class LayersTestCase(testtools.TestCase):

    def test_flask_only_in_the_http_layers(self):
        found = [
            '/'.join(parts) for parts, path in _modules()
            if parts[0] not in HTTP_LAYERS and any(
                name == 'flask' or name.startswith(('flask.', 'flask_'))
                for name in _imports(path))]
        self.assertEqual([], found)

    def test_no_backend_imports_another_subsystems_backend(self):
        found = []
        for parts, path in _modules():
            for name in _imports(path):
                part = name.split('.')
                if (len(part) > 2 and part[0] == 'keystone_mfa_ext'
                        and part[2] == 'backends'
                        and parts[1:2] == ('backends',)
                        and part[1] != parts[0]):
                    found.append(f"{'/'.join(parts)}: {name}")
        self.assertEqual([], found)
