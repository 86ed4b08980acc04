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
"""Views of the MFA settings panel: state, devices, codes, email factor.

Every action is a POST to `action/<name>/`; one the server refuses for
want of a fresh second factor is kept in the session and run again after
the confirm page logged the user in again (see reauth.py).
"""

from urllib import parse

from django.contrib import messages
from django import http
from django import shortcuts
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views import generic
from keystoneauth1 import exceptions as ks_exceptions
from openstack_auth import views as auth_views

from keystone_mfa_dashboard import api
from keystone_mfa_dashboard.dashboards.mfa_settings import forms
from keystone_mfa_dashboard import reauth

INDEX = 'horizon:settings:mfa:index'


def _index():
    return shortcuts.redirect(reverse(INDEX))


def device_secret(key_uri):
    """The base32 key of an otpauth URI, in groups of four to type it."""
    query = parse.parse_qs(parse.urlparse(key_uri).query)
    secret = (query.get('secret') or [''])[0]
    return ' '.join(secret[i:i + 4] for i in range(0, len(secret), 4))


class IndexView(generic.TemplateView):
    template_name = 'settings/mfa/index.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['page_title'] = _('Multi-factor authentication')
        request = self.request
        try:
            context['mfa'] = api.get_mfa(request)
            context['devices'] = api.list_devices(request)
            context['sndfa'] = api.get_sndfa(request)
        except (ks_exceptions.ClientException,
                api.FactorChangeRequired) as exc:
            messages.error(request, _('Unable to read your MFA state: '
                                      '%s') % api.error_message(exc))
            context.setdefault('mfa', None)
        context['name_form'] = forms.DeviceNameForm()
        return context


# --- actions: (form class, function(request, data) -> response|None) ------
def _create_device(request, data):
    device = api.create_device(request, data['name'])
    # The QR code and key exist only in this response: never stored.
    return shortcuts.render(request, 'settings/mfa/enroll.html', {
        'page_title': _('Enroll an authenticator'),
        'device': {'id': device['id'], 'name': device['name']},
        'qrcode': device['qrcode'], 'secret': device_secret(
            device['key_uri']),
        'verify_form': forms.VerifyForm(initial={'device_id': device['id']}),
    })


def _verify_device(request, data):
    api.verify_device(request, data['device_id'], data['code'])
    messages.success(request, _('The device is verified: its codes now '
                                'work at login once MFA is on.'))


def _rename_device(request, data):
    api.rename_device(request, data['device_id'], data['name'])
    messages.success(request, _('Device renamed.'))


def _delete_device(request, data):
    api.delete_device(request, data['device_id'])
    messages.success(request, _('Device deleted.'))


def _switch_mfa(request, data):
    api.set_mfa(request, data['enable'])
    if data['enable']:
        messages.success(request, _('MFA is on: logins now need your '
                                    'second factor.'))
    else:
        messages.success(request, _('MFA is off.'))


def _create_recovery_codes(request, data):
    codes = api.create_recovery_codes(request)
    return shortcuts.render(request, 'settings/mfa/recovery_codes.html', {
        'page_title': _('Recovery codes'), 'codes': codes['codes']})


def _check_email(request, data):
    sent = api.check_email(request)
    messages.success(request, _('A verification link was mailed; it is '
                                'valid until %s.') % sent.get('expires_at'))


def _switch_sndfa(request, data):
    api.set_sndfa(request, data['enable'])
    messages.success(request, _('Email login codes are %s.') % (
        _('on') if data['enable'] else _('off')))


ACTIONS = {
    'create_device': (forms.DeviceNameForm, _create_device),
    'verify_device': (forms.VerifyForm, _verify_device),
    'rename_device': (forms.RenameForm, _rename_device),
    'delete_device': (forms.DeviceForm, _delete_device),
    'switch_mfa': (forms.SwitchForm, _switch_mfa),
    'create_recovery_codes': (forms.EmptyForm, _create_recovery_codes),
    'check_email': (forms.EmptyForm, _check_email),
    'switch_sndfa': (forms.SwitchForm, _switch_sndfa),
}


# Actions after which keystone may have revoked every token of the user
# (MFA or the email factor switched on, a device that meets a required
# domain policy): the user logs in again, now with the second factor.
MAY_REVOKE = ('switch_mfa', 'switch_sndfa', 'verify_device')
RELOGIN = _('Your login now needs your second factor: log in again with '
            'your password and a code.')


def _session_ended(request):
    try:
        api.get_mfa(request)
    except ks_exceptions.Unauthorized:
        return True
    except Exception:
        return False
    return False


def relogin(request):
    response = auth_views.logout(request)
    auth_views.set_logout_reason(response, str(RELOGIN))
    return response


def run_action(request, action, data):
    """Run one action; a factor-change refusal leads to the confirm page."""
    func = ACTIONS[action][1]
    try:
        response = func(request, data)
        if action in MAY_REVOKE and _session_ended(request):
            return relogin(request)
        return response or _index()
    except api.FactorChangeRequired:
        reauth.remember(request, action, data)
        return shortcuts.redirect(reverse('horizon:settings:mfa:confirm'))
    except ks_exceptions.ClientException as exc:
        messages.error(request, api.error_message(exc))
        return _index()


@method_decorator(never_cache, name='dispatch')
class ActionView(generic.View):
    http_method_names = ['post']

    def post(self, request, action):
        if action not in ACTIONS:
            raise http.Http404()
        form = ACTIONS[action][0](request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return _index()
        return run_action(request, action, form.cleaned_data)


@method_decorator(never_cache, name='dispatch')
class ConfirmView(generic.FormView):
    """Password + code, then the pending action runs again."""

    template_name = 'settings/mfa/confirm.html'
    form_class = forms.ConfirmForm

    def get(self, request, *args, **kwargs):
        if not reauth.has_pending(request):
            return _index()
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['receipt_waiting'] = reauth.RECEIPT_KEY in self.request.session
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['page_title'] = _('Confirm with your second factor')
        context['receipt_waiting'] = (
            reauth.RECEIPT_KEY in self.request.session)
        return context

    def form_valid(self, form):
        request = self.request
        if 'send_email' in request.POST:
            message, sent = reauth.mail_code(
                request, form.cleaned_data['password'])
            (messages.info if sent else messages.error)(request, message)
            return shortcuts.redirect(reverse(
                'horizon:settings:mfa:confirm'))
        error = reauth.login_again(request, form.cleaned_data['password'],
                                   form.cleaned_data['passcode'])
        if error:
            form.add_error(None, error)
            return self.form_invalid(form)
        pending = reauth.pop_pending(request)
        if not pending or pending['action'] not in ACTIONS:
            return _index()
        return run_action(request, pending['action'], pending['data'])


class AttemptsView(generic.TemplateView):
    """The user's own login attempts, newest first, a page at a time."""

    template_name = 'settings/mfa/attempts.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['page_title'] = _('My login attempts')
        marker = self.request.GET.get('marker')
        try:
            items, nxt = api.list_attempts(
                self.request, api.user_path(self.request, '/mfa/attempts'),
                marker=marker)
        except ks_exceptions.ClientException as exc:
            messages.error(self.request, api.error_message(exc))
            items, nxt = [], None
        context.update(attempts=items, next_marker=nxt,
                       first_page=not marker)
        return context
