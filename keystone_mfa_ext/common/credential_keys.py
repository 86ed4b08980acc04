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
"""Secrets under keystone's credential keys, and the one way around it.

Encryption and single decryptions go through keystone's public
`credential_provider_api`. Two things it cannot do: decrypt many blobs
reading the key repository once (it reads it from disk on every call; a
login of a user with 50 devices read it 50 times), and tell whether a
blob is already under the primary key (for `keystone-mfa-ext-manage
reencrypt`). For those, and only with keystone's fernet provider, this
module calls keystone's fernet key loader; it is the only place that
does, pinned by tests/unit/common/test_credential_keys.py.
"""

from cryptography import fernet
import keystone.conf
from keystone.credential.providers import fernet as fernet_credentials
from keystone import exception as ks_exception

from keystone_mfa_ext.common import provider_api

CONF = keystone.conf.CONF
PROVIDERS = provider_api.ProviderAPIs
_UNREADABLE = (fernet.InvalidToken, TypeError, ValueError)


def encrypt(plaintext):
    """(blob as text, primary key hash) by keystone's credential provider."""
    blob, key_hash = PROVIDERS.credential_provider_api.encrypt(plaintext)
    if isinstance(blob, bytes):
        blob = blob.decode('ascii')
    return blob, key_hash


def decrypt(blob):
    """The plaintext of `blob`, or None if no credential key opens it."""
    try:
        return PROVIDERS.credential_provider_api.decrypt(blob)
    except ks_exception.CredentialEncryptionError:
        return None


def _fernet():
    return CONF.credential.provider == 'fernet'


def decrypt_many(blobs):
    """[plaintext or None] of `blobs`, reading the keys only once."""
    if not blobs or not _fernet():
        return [decrypt(blob) for blob in blobs]
    crypto, _keys = fernet_credentials.get_multi_fernet_keys()
    found = []
    for blob in blobs:
        try:
            found.append(crypto.decrypt(blob.encode('ascii')).decode('utf-8'))
        except _UNREADABLE:
            found.append(None)
    return found


def primary_key_check():
    """A test `blob -> is it under the primary credential key?`.

    Without the fernet provider it answers False for every blob: each
    secret is then treated as moved.
    """
    if not _fernet():
        return lambda blob: False
    _crypto, keys = fernet_credentials.get_multi_fernet_keys()
    primary = fernet.Fernet(keys[0])

    def under(blob):
        try:
            primary.decrypt(blob.encode('ascii'))
        except _UNREADABLE:
            return False
        return True
    return under
