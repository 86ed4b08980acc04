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
"""A real keystone devserver, a real Horizon with the plugin, chromium.

The keystone devserver is the functional suite's `DevServer` (started from
the main .venv, where keystone lives); Horizon runs from .venv-dashboard
through keystone_mfa_dashboard.devhorizon, as tools/dashboard.sh runs it;
Selenium drives Debian's chromium headless. Nothing is mocked.
"""

import atexit
import io
import os
import secrets
import subprocess
import time
import urllib.request

import fixtures
from PIL import Image
import pyotp
from selenium import webdriver
from selenium.webdriver.chrome import service as chrome_service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support import wait
import testtools
import zxingcpp

from keystone_mfa_dashboard import devhorizon
from tests.functional import base as functional
from tests import process
from tests import smtp

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MAIN_VENV = os.environ.get('MFA_EXT_VENV', os.path.join(TOP, '.venv'))
SCREENSHOTS = os.environ.get('MFA_DASHBOARD_SCREENSHOTS', os.path.join(
    TOP, 'doc', 'source', 'dashboard', 'images'))
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
WAIT = 60


def main_venv_script(name):
    return os.path.join(MAIN_VENV, 'bin', name)


class KeystoneServer(functional.DevServer):
    """The functional suite's devserver, run from the main .venv."""

    def _setUp(self):
        self.useFixture(fixtures.MonkeyPatch('tests.utils.script',
                                             main_venv_script))
        super()._setUp()

    def grant_member(self, user_id, project_name='admin'):
        """A role on a project: Horizon refuses users without one."""
        admin = self.adapter()
        project = admin.get('/projects', params={
            'name': project_name}).json()['projects'][0]
        role = admin.get('/roles', params={
            'name': 'member'}).json()['roles'][0]
        admin.put(f"/projects/{project['id']}/users/{user_id}/roles/"
                  f"{role['id']}")


class HorizonServer(fixtures.Fixture):
    """Horizon (Django's development server) with the plugin enabled."""

    def __init__(self, keystone_url, log_dir):
        super().__init__()
        self.keystone_url = keystone_url
        self.log_dir = log_dir

    def _setUp(self):
        devhorizon.install()
        self.port = smtp.free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        argv, env = devhorizon.command(self.port, self.keystone_url)
        env['MFA_DASHBOARD_SECRET_KEY'] = secrets.token_urlsafe(32)
        self.log_path = os.path.join(self.log_dir, 'horizon.log')
        self._log = open(self.log_path, 'wb')
        self.addCleanup(self._log.close)
        self.process = subprocess.Popen(argv, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self.addCleanup(process.stop, self.process)
        process.wait_until(
            self.process,
            lambda: urllib.request.urlopen(self.url + '/auth/login/',
                                           timeout=60),
            'horizon', self.log_path)

    def log_tail(self, size=20000):
        return process.log_tail(self.log_path, size)


_STACK = {}


def stack():
    """One keystone + Horizon per test process (started once, ~20 s)."""
    if not _STACK:
        keystone = KeystoneServer()
        keystone.setUp()
        atexit.register(keystone.cleanUp)
        horizon = HorizonServer(keystone.auth_url, keystone.state_dir)
        horizon.setUp()
        atexit.register(horizon.cleanUp)
        _STACK.update(keystone=keystone, horizon=horizon)
    return _STACK['keystone'], _STACK['horizon']


class Authenticator:
    """A phone app: the device's key from its QR code, one code per step."""

    def __init__(self, key_uri):
        self.totp = pyotp.parse_uri(key_uri)
        self.last_step = None

    def code(self):
        """A code of a step never used before (keystone: single use)."""
        step = int(time.time()) // self.totp.interval
        if self.last_step is not None and step <= self.last_step:
            # The next step is inside keystone's future window (1).
            step = self.last_step + 1
            if step > int(time.time()) // self.totp.interval + 1:
                time.sleep(self.totp.interval)
        self.last_step = step
        return self.totp.at(step * self.totp.interval)


def decode_qr_png(png):
    image = Image.open(io.BytesIO(png))
    return [r.text for r in zxingcpp.read_barcodes(image)]


class BrowserTestCase(testtools.TestCase):
    """A fresh chromium per test; helpers for Horizon's pages."""

    def setUp(self):
        super().setUp()
        self.keystone, self.horizon = stack()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ('--headless=new', '--no-sandbox',
                    '--disable-dev-shm-usage', '--window-size=1280,1024',
                    '--disable-gpu', '--lang=en-US'):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(
            service=chrome_service.Service(CHROMEDRIVER), options=options)
        self.addCleanup(self.driver.quit)
        self.addOnException(self._attach_page)

    def _attach_page(self, exc_info):
        try:
            self.addDetail('page', testtools.content.text_content(
                self.driver.current_url + '\n' + self.driver.page_source))
            self.addDetail('horizon-log', testtools.content.text_content(
                self.horizon.log_tail(8000)))
        except Exception:
            pass

    # --- navigation ----------------------------------------------------
    def go(self, path):
        self.driver.get(self.horizon.url + path)

    def find(self, css):
        return wait.WebDriverWait(self.driver, WAIT).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, css)))

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click(self, css):
        """Click what submits a form; wait until the next page replaced it.

        Without the wait, a check right after could still read the old page
        (or a navigation could cancel the form's).
        """
        page = self.driver.find_element(By.TAG_NAME, 'html')
        self.find(css).click()
        wait.WebDriverWait(self.driver, WAIT).until(ec.staleness_of(page))

    def fill(self, css, text):
        element = self.find(css)
        element.clear()
        element.send_keys(text)

    def wait_url(self, part):
        wait.WebDriverWait(self.driver, WAIT).until(ec.url_contains(part))

    def wait_logged_in(self):
        """Wait until the browser left the login pages."""
        wait.WebDriverWait(self.driver, WAIT).until(
            lambda d: '/auth/' not in d.current_url)
        self.find('form[action$="/auth/logout/"]')

    def text(self, css):
        return self.find(css).text

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        self.driver.save_screenshot(os.path.join(SCREENSHOTS, name + '.png'))

    # --- Horizon's login -------------------------------------------------
    def login(self, username, password):
        self.go('/auth/login/')
        self.fill('#id_username', username)
        self.fill('#id_password', password)
        self.click('#loginBtn')

    def passcode(self, code):
        """Horizon's second step (TOTP page; our email codes use it too)."""
        self.fill('#id_totp', code)
        self.click('#LoginBtn')

    def logout(self):
        """Horizon's "Sign Out" (a POST form of the user menu)."""
        self.find('form[action$="/auth/logout/"]')
        self.driver.execute_script(
            'document.querySelector(\'form[action$="/auth/logout/"]\')'
            '.submit();')
        self.find('#id_username')

    def new_user(self, **extra):
        user = self.keystone.create_user(**extra)
        self.keystone.grant_member(user['id'])
        return user
