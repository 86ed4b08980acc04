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
"""Server processes of the tests and tools: waited for, read, stopped."""

import signal
import subprocess
import time


def wait_until(process, ready, what, log_path, timeout=120):
    """Poll `ready()` until true; RuntimeError with the log if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'{what} exited:\n' + log_tail(log_path))
        try:
            if ready():
                return
        except OSError:   # not listening yet (requests' errors are too)
            pass
        time.sleep(0.5)
    raise RuntimeError(f'{what} not ready:\n' + log_tail(log_path))


def log_tail(log_path, size=20000):
    with open(log_path, 'rb') as f:
        return f.read()[-size:].decode(errors='replace')


def stop(process, sig=signal.SIGTERM, timeout=30):
    """`sig` (SIGINT: as a developer's Ctrl-C), then kill if it hangs."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
