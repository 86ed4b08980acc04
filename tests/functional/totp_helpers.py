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
"""Enrolling legacy totp credentials and racing logins against real servers."""

import concurrent.futures
import threading

import pyotp
import requests


def add_totp_credential(server, user_id):
    """The seed flow: a base32 secret stored through POST /v3/credentials."""
    secret = pyotp.random_base32(32)
    server.adapter().post('/credentials', json={'credential': {
        'blob': secret, 'type': 'totp', 'user_id': user_id}})
    return pyotp.TOTP(secret)


def totp_body(user_id, passcode):
    return {'auth': {'identity': {'methods': ['totp'], 'totp': {
        'user': {'id': user_id, 'passcode': passcode}}}}}


def race(urls, body):
    """POST the same body to every URL at the same moment; return statuses."""
    barrier = threading.Barrier(len(urls))

    def post(url):
        barrier.wait()
        return requests.post(url + '/auth/tokens', json=body,
                             timeout=60).status_code

    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        return sorted(pool.map(post, urls))
