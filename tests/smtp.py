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
"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), with optional TLS.

`FaultySMTPServer` is one that can be switched to fail: down, slow or
refusing.
"""

import asyncio
import datetime
import email
import email.policy
import ipaddress
import os
import socket
import ssl

from aiosmtpd import controller
from aiosmtpd import smtp as aiosmtpd_smtp
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import NameOID
import fixtures


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def make_certificate(directory):
    """Self-signed certificate for 127.0.0.1/localhost; returns (cert, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName('localhost'),
            x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                       critical=True)
        .sign(key, hashes.SHA256()))
    cert_path = os.path.join(directory, 'cert.pem')
    key_path = os.path.join(directory, 'key.pem')
    with open(cert_path, 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_path, key_path


class _Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content,
                                       policy=email.policy.default)
        self.messages.append((envelope, msg))
        return '250 OK'


class SMTPServer(fixtures.Fixture):
    """Runs aiosmtpd on a free loopback port for the test's lifetime.

    With `tls=True` it offers STARTTLS with a fresh self-signed certificate
    (`self.cert_path`) and, given `credentials`, requires login over TLS.
    """

    def __init__(self, tls=False, credentials=None):
        super().__init__()
        self.tls = tls
        self.credentials = credentials

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode(), auth_data.password.decode()) == \
            self.credentials
        return aiosmtpd_smtp.AuthResult(success=ok)

    def _setUp(self):
        self.recorder = _Recorder()
        self.port = free_port()
        kwargs = {}
        if self.tls:
            tmp = self.useFixture(fixtures.TempDir()).path
            self.cert_path, key_path = make_certificate(tmp)
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.cert_path, key_path)
            kwargs.update(tls_context=ctx, require_starttls=True)
        if self.credentials:
            kwargs.update(authenticator=self._authenticate,
                          auth_require_tls=True)
        self.controller = controller.Controller(
            self.recorder, hostname='127.0.0.1', port=self.port, **kwargs)
        self.controller.start()
        self.addCleanup(self.controller.stop)

    @property
    def messages(self):
        return [msg for _envelope, msg in self.recorder.messages]

    def client_tls_context(self):
        """A client context that trusts this server's certificate only."""
        return ssl.create_default_context(cafile=self.cert_path)


OK = 'ok'              # accepts and records every mail
DOWN = 'down'          # nothing listens on the port: connection refused
SLOW = 'slow'          # accepts the connection, answers EHLO after `delay`
REFUSING = 'refusing'  # answers every mail with a permanent 5xx error
MODES = (OK, DOWN, SLOW, REFUSING)


class _FaultyRecorder(_Recorder):
    """Records mail, or fails as its server's current mode says."""

    def __init__(self, server):
        super().__init__()
        self.server = server

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        if self.server.mode == SLOW:
            await asyncio.sleep(self.server.delay)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.server.mode == REFUSING:
            self.server.refused += 1
            return '554 5.6.0 Message refused (test server)'
        return await super().handle_DATA(server, session, envelope)


class FaultySMTPServer(fixtures.Fixture):
    """Plain SMTP on one fixed loopback port; `set_mode()` makes it fail.

    The port stays the same across modes, so a keystone configured once
    (`[spassword] smtp_port`) meets every failure in turn.
    """

    def __init__(self, delay=10.0):
        super().__init__()
        self.delay = delay
        self.mode = OK
        self.refused = 0

    def _setUp(self):
        self.recorder = _FaultyRecorder(self)
        self.port = free_port()
        self.controller = None
        self._listen()
        self.addCleanup(self._close)

    def _listen(self):
        self.controller = controller.Controller(
            self.recorder, hostname='127.0.0.1', port=self.port)
        self.controller.start()

    def _close(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def set_mode(self, mode):
        if mode not in MODES:
            raise ValueError(mode)
        if mode == DOWN:
            self._close()
        elif self.controller is None:
            self._listen()
        self.mode = mode

    @property
    def messages(self):
        return [msg for _envelope, msg in self.recorder.messages]
