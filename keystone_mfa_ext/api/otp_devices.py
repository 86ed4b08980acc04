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
"""/v3/users/{user_id}/otp_devices: enroll, list, rename, remove, verify."""

import http.client

import flask_restful
from keystone.common import json_home
from keystone.server import flask as ks_flask

from keystone_mfa_ext.api import _shared
from keystone_mfa_ext.common import provider_api
from keystone_mfa_ext.devices import enrollment
from keystone_mfa_ext.devices import schema

PROVIDERS = provider_api.ProviderAPIs
COLLECTION = '/users/<string:user_id>/otp_devices'
MEMBER = COLLECTION + '/<string:device_id>'


def _render(device):
    """The public view of a device: never its secret."""
    path = f'/users/{device["user_id"]}/otp_devices/{device["id"]}'
    return {
        'id': device['id'],
        'name': device['name'],
        'verified': bool(device['verified']),
        'algorithm': device['algorithm'],
        'digits': device['digits'],
        'period': device['period'],
        'created_at': _shared.isotime(device['created_at']),
        'verified_at': _shared.isotime(device.get('verified_at')),
        'links': {'self': _shared.url(path)},
    }


class OTPDevicesResource(flask_restful.Resource):

    def get(self, user_id):
        """List a user's devices. GET/HEAD /v3/users/{user_id}/otp_devices"""
        _shared.enforce('identity:list_otp_devices')
        devices = [_render(d) for d in
                   PROVIDERS.mfa_device_api.list_for_user(user_id)]
        return {'otp_devices': devices,
                'links': {'self': _shared.url(f'/users/{user_id}/otp_devices'),
                          'next': None, 'previous': None}}

    def post(self, user_id):
        """Enroll a device. POST /v3/users/{user_id}/otp_devices

        The response is the only place the secret ever appears.
        """
        target = _shared.enforce_factor_change('identity:create_otp_device')
        body = _shared.validated_body(schema.otp_device_create)
        req = body['otp_device']
        settings = enrollment.enabled_settings(target['user']['domain_id'])
        device, secret = PROVIDERS.mfa_device_api.create(
            user_id, req['name'],
            algorithm_name=req.get('algorithm', settings['algorithm']),
            digits=req.get('digits', settings['digits']),
            period=req.get('period', settings['period']),
            initiator=_shared.initiator())
        uri = enrollment.key_uri(device, secret, target['user']['name'],
                                 settings['issuer'])
        view = _render(device)
        view['key_uri'] = uri
        view['qrcode'] = enrollment.qrcode_data_uri(uri)
        return _shared.created({'otp_device': view}, view['links']['self'])


class OTPDeviceResource(flask_restful.Resource):

    def get(self, user_id, device_id):
        """GET/HEAD /v3/users/{user_id}/otp_devices/{device_id}"""
        _shared.enforce('identity:get_otp_device')
        return {'otp_device': _render(
            PROVIDERS.mfa_device_api.get(user_id, device_id))}

    def patch(self, user_id, device_id):
        """Rename. PATCH /v3/users/{user_id}/otp_devices/{device_id}"""
        _shared.enforce('identity:update_otp_device')
        body = _shared.validated_body(schema.otp_device_update)
        device = PROVIDERS.mfa_device_api.rename(
            user_id, device_id, body['otp_device']['name'],
            initiator=_shared.initiator())
        return {'otp_device': _render(device)}

    def delete(self, user_id, device_id):
        """DELETE /v3/users/{user_id}/otp_devices/{device_id}"""
        _shared.enforce_factor_change('identity:delete_otp_device')
        PROVIDERS.mfa_device_api.delete(user_id, device_id,
                                        initiator=_shared.initiator())
        return None, http.client.NO_CONTENT


class OTPDeviceVerifyResource(flask_restful.Resource):

    def post(self, user_id, device_id):
        """POST /v3/users/{user_id}/otp_devices/{device_id}/verify"""
        target = _shared.enforce_factor_change('identity:verify_otp_device')
        body = _shared.validated_body(schema.otp_device_verify)
        enrollment.verify(user_id, target['user']['domain_id'], device_id,
                          body['verify']['code'],
                          initiator=_shared.initiator())
        return None, http.client.NO_CONTENT


_USER_ID = {'user_id': json_home.Parameters.USER_ID}
_DEVICE_ID = dict(_USER_ID, device_id=_shared.parameter_relation(
    parameter_name='device_id'))


class OTPDevicesAPI(_shared.APIBase):
    _name = 'otp_devices'
    _import_name = __name__
    resources = []
    resource_mapping = [
        ks_flask.construct_resource_map(
            resource=OTPDevicesResource, url=COLLECTION, resource_kwargs={},
            rel='otp_devices', path_vars=_USER_ID,
            resource_relation_func=_shared.resource_relation),
        ks_flask.construct_resource_map(
            resource=OTPDeviceResource, url=MEMBER, resource_kwargs={},
            rel='otp_device', path_vars=_DEVICE_ID,
            resource_relation_func=_shared.resource_relation),
        ks_flask.construct_resource_map(
            resource=OTPDeviceVerifyResource, url=MEMBER + '/verify',
            resource_kwargs={}, rel='otp_device_verify',
            path_vars=_DEVICE_ID,
            resource_relation_func=_shared.resource_relation),
    ]


APIs = (OTPDevicesAPI,)
