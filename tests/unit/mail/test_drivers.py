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
"""Mail drivers against a real SMTP server on 127.0.0.1."""

import smtplib
import socket
import threading
import time
from unittest import mock

import fixtures
from keystone.tests import unit
from oslo_config import fixture as config_fixture

from keystone_mfa_ext import conf
from keystone_mfa_ext import mail
from keystone_mfa_ext.mail import base
from keystone_mfa_ext.mail import log as log_driver
from keystone_mfa_ext.mail import smtp as smtp_driver
from tests import smtp

MESSAGE = mail.Message(to='alice@example.org', subject='Your code',
                       text='Your code is 123456\n',
                       html='<p>Your code is <b>123456</b></p>')


class _MailTestCase(unit.BaseTestCase):
    def setUp(self):
        super().setUp()
        self.config = self.useFixture(config_fixture.Config(conf.CONF))
        self.config.config(group='spassword', smtp_server='127.0.0.1',
                           smtp_from='keystone@example.org', smtp_timeout=2)


class SMTPDriverTestCase(_MailTestCase):

    def use_server(self, **kwargs):
        server = self.useFixture(smtp.SMTPServer(**kwargs))
        self.config.config(group='spassword', smtp_port=server.port,
                           smtp_tls=server.tls)
        return server

    def test_plain_delivery_keeps_headers_text_and_html(self):
        server = self.use_server()
        smtp_driver.SMTPDriver().send(MESSAGE)
        [msg] = server.messages
        self.assertEqual('alice@example.org', msg['To'])
        self.assertEqual('keystone@example.org', msg['From'])
        self.assertEqual('Your code', msg['Subject'])
        self.assertIsNotNone(msg['Message-ID'])
        self.assertIn('123456',
                      msg.get_body(preferencelist=('plain',)).get_content())
        self.assertIn('<b>123456</b>',
                      msg.get_body(preferencelist=('html',)).get_content())

    def test_starttls_refuses_an_untrusted_certificate(self):
        server = self.use_server(tls=True)
        self.assertRaises(mail.MailDeliveryError,
                          smtp_driver.SMTPDriver().send, MESSAGE)
        self.assertEqual([], server.messages)

    def test_starttls_with_a_trusted_certificate_and_login(self):
        server = self.use_server(tls=True, credentials=('mailer', 's3cret'))
        self.config.config(group='spassword', smtp_user='mailer',
                           smtp_password='s3cret')
        driver = smtp_driver.SMTPDriver(
            tls_context=server.client_tls_context())
        driver.send(MESSAGE)
        self.assertEqual(1, len(server.messages))

    def test_wrong_login_is_a_delivery_error_without_the_password(self):
        server = self.use_server(tls=True, credentials=('mailer', 's3cret'))
        self.config.config(group='spassword', smtp_user='mailer',
                           smtp_password='not-it')
        logs = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        driver = smtp_driver.SMTPDriver(
            tls_context=server.client_tls_context())
        self.assertRaises(mail.MailDeliveryError, driver.send, MESSAGE)
        self.assertEqual([], server.messages)
        self.assertNotIn('not-it', logs.output)
        self.assertNotIn('123456', logs.output)
        self.assertIn('a***@example.org', logs.output)

    def test_unreachable_server_is_a_delivery_error(self):
        self.config.config(group='spassword', smtp_port=smtp.free_port(),
                           smtp_tls=False)
        self.assertRaises(mail.MailDeliveryError,
                          smtp_driver.SMTPDriver().send, MESSAGE)

    def test_silent_server_times_out(self):
        listener = socket.socket()
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        self.addCleanup(listener.close)
        accepted = []
        threading.Thread(target=lambda: accepted.append(listener.accept()),
                         daemon=True).start()
        self.config.config(group='spassword', smtp_timeout=1, smtp_tls=False,
                           smtp_port=listener.getsockname()[1])
        start = time.monotonic()
        self.assertRaises(mail.MailDeliveryError,
                          smtp_driver.SMTPDriver().send, MESSAGE)
        self.assertLess(time.monotonic() - start, 10)
        for conn, _addr in accepted:
            conn.close()

    def test_configured_driver_is_loaded_through_stevedore(self):
        server = self.use_server()
        mail.send(MESSAGE)
        self.assertEqual(1, len(server.messages))


class LogDriverTestCase(_MailTestCase):

    def test_logs_a_masked_summary_never_the_body(self):
        self.config.config(group='spassword', mail_driver='log')
        logs = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        self.assertIsInstance(mail.get_driver(), log_driver.LogDriver)
        mail.send(MESSAGE)
        self.assertIn('a***@example.org', logs.output)
        self.assertIn('Your code', logs.output)
        self.assertNotIn('123456', logs.output)
        self.assertNotIn('alice@', logs.output)


class MaskAddressTestCase(unit.BaseTestCase):

    def test_masks(self):
        self.assertEqual('j***@example.org',
                         base.mask_address('john@example.org'))
        self.assertEqual('***', base.mask_address('not-an-address'))
        self.assertEqual('***', base.mask_address(None))


class CleartextLoginTestCase(unit.BaseTestCase):

    def opts(self, server, tls):
        return mock.Mock(smtp_server=server, smtp_tls=tls)

    def test_login_without_tls_only_to_this_host(self):
        smtp_driver._assert_login_is_protected(self.opts('mail.example', True))
        smtp_driver._assert_login_is_protected(self.opts('127.0.0.1', False))
        smtp_driver._assert_login_is_protected(self.opts('localhost', False))
        self.assertRaises(smtplib.SMTPException,
                          smtp_driver._assert_login_is_protected,
                          self.opts('mail.example', False))
        self.assertRaises(smtplib.SMTPException,
                          smtp_driver._assert_login_is_protected,
                          self.opts('192.0.2.1', False))
