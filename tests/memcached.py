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
"""A real memcached on 127.0.0.1, as production keystones share one.

Debian's `memcached` binary (bindep.txt, profile `test`), started on a free
port for one fixture's lifetime; `keystone_conf()` is the `[cache]` section
that puts keystone's cache (and so ours) on it.
"""

import os
import shutil
import socket
import subprocess
import time

import fixtures

from tests import smtp


class Unavailable(Exception):
    pass


class Memcached(fixtures.Fixture):

    def _setUp(self):
        binary = shutil.which('memcached') or '/usr/bin/memcached'
        if not os.path.exists(binary):
            raise Unavailable('memcached is not installed (bindep.txt)')
        self.port = smtp.free_port()
        argv = [binary, '-l', '127.0.0.1', '-p', str(self.port), '-U', '0',
                '-m', '64']
        if os.getuid() == 0:
            argv += ['-u', 'nobody']   # memcached refuses to run as root
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.addCleanup(self._stop)
        self._wait_until_ready()

    def _wait_until_ready(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Unavailable(f'memcached exited with '
                                  f'{self.process.returncode}')
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise Unavailable('memcached did not listen')

    def _stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def keystone_conf(self):
        """keystone.conf text: keystone's cache on this memcached."""
        return ('[cache]\nenabled = true\n'
                'backend = dogpile.cache.pymemcache\n'
                f'memcache_servers = 127.0.0.1:{self.port}\n')
