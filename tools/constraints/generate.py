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
"""Write tools/constraints/keystone-<N>.txt from a release's constraints.

    python tools/constraints/generate.py UPPER_CONSTRAINTS KEYSTONE_VERSION \
        SOURCE > tools/constraints/keystone-<N>.txt

UPPER_CONSTRAINTS is the release's upper-constraints.txt (openstack/
requirements, branch of that release); SOURCE says where it came from
(branch and commit, e.g. `stable/2025.1 (19088b84c1f2)`) for the header.
The output pins keystone itself and, at that release's versions, every
package keystone's own dependency closure installs: the OpenStack
libraries and the database and web stack keystone runs on. Our other
dependencies (clients, test tools) stay free. No pin of any release had to
be lifted for Python 3.11 or for our own minimums; one that must be would
go after the generated lines, with a comment saying why.

Needs pip and the package index (a dry-run resolve, nothing installed).
"""

import json
import os
import re
import subprocess
import sys
import tempfile


def canonical(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def release_pins(path):
    """{canonical name: pin line} of upper-constraints for this Python."""
    pins = {}
    version = '%d.%d' % sys.version_info[:2]
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        spec, _, marker = line.partition(';')
        if marker and not _marker_holds(marker, version):
            continue
        name = re.split(r'[=<>!~ ]', spec, maxsplit=1)[0]
        pins[canonical(name)] = spec.replace('===', '==')
    return pins


def _marker_holds(marker, version):
    # upper-constraints only uses python_version comparisons.
    m = re.fullmatch(r"\s*python_version\s*(==|>=|<=|<|>|!=)\s*'([\d.]+)'\s*",
                     marker)
    if not m:
        return True
    have = tuple(int(p) for p in version.split('.'))
    want = tuple(int(p) for p in m.group(2).split('.'))
    return {'==': have == want, '>=': have >= want, '<=': have <= want,
            '<': have < want, '>': have > want, '!=': have != want}[m.group(1)]


def closure(constraints, keystone_version):
    """Names pip installs for keystone==version under those constraints."""
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, 'report.json')
        subprocess.run(
            [sys.executable, '-m', 'pip', 'install', '--quiet', '--dry-run',
             '--ignore-installed', '--report', report, '-c', constraints,
             f'keystone=={keystone_version}'], check=True)
        with open(report) as f:
            return {canonical(item['metadata']['name'])
                    for item in json.load(f)['install']}


def main():
    constraints, keystone_version, source = sys.argv[1:4]
    pins = release_pins(constraints)
    names = closure(constraints, keystone_version) - {'keystone'}
    print(f'# keystone {keystone_version} with the libraries of its release: '
          'the')
    print('# versions in upper-constraints.txt of openstack/requirements')
    print(f'# {source}')
    print('# for the packages keystone installs '
          '(tools/constraints/generate.py).')
    print(f'keystone=={keystone_version}')
    for name in sorted(names & set(pins)):
        print(pins[name])


if __name__ == '__main__':
    main()
