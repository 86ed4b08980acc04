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
"""Views of the MFA admin panel: domain policy, providers, attempts, users.

Calls use a system-scoped token when the admin has a system role (see
api.admin_token); keystone's policy decides in the end, Horizon's policy
checks only hide what keystone would refuse.
"""

import json
import re

from django.contrib import messages
from django import shortcuts
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views import generic
from keystoneauth1 import exceptions as ks_exceptions
from openstack_auth import policy

from keystone_mfa_dashboard import api
from keystone_mfa_dashboard.dashboards.mfa_admin import forms

INDEX = 'horizon:identity:mfa_admin:index'
SECRET_PLACEHOLDER = '********'


def _id(value, default=None):
    """An id from the query string, or `default`: it goes into a path."""
    value = (value or '').strip()
    return value if re.match(forms.ID_REGEX, value) else default


def _allowed(request, rule, **target):
    return policy.check((('identity', rule),), request, target=target)


def _with_settings_text(providers):
    """Settings as JSON for the page (keystone never returns secrets)."""
    for provider in providers:
        provider['settings_text'] = json.dumps(
            provider.get('settings') or {}, sort_keys=True)
    return providers


def _redirect(domain_id=None):
    url = reverse(INDEX)
    return shortcuts.redirect(url + ('?domain_id=' + domain_id
                                     if domain_id else ''))


def _errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _fail(request, exc):
    messages.error(request, api.error_message(exc))


@method_decorator(never_cache, name='dispatch')
class IndexView(generic.TemplateView):
    template_name = 'identity/mfa_admin/index.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        domain_id = _id(request.GET.get('domain_id')) or _id(
            request.user.domain_id, 'default')
        context.update(page_title=_('Multi-factor authentication'),
                       domain_id=domain_id)
        try:
            pol = api.admin_call(
                request, 'GET', f'/domains/{domain_id}/mfa/policy'
            ).json()['policy']
            context['policy'] = pol
            context['policy_form'] = forms.PolicyForm(initial={
                'domain_id': domain_id,
                'enforcement': pol.get('enforcement') or 'optional',
                'rules': json.dumps(pol.get('rules') or [['password',
                                                          'totp']]),
                'grace_period_days': pol.get('grace_period_days') or 0})
        except ks_exceptions.ClientException as exc:
            _fail(request, exc)
        if _allowed(request, 'identity:list_domain_mfa_providers',
                    domain_id=domain_id):
            try:
                context['providers'] = _with_settings_text(api.admin_call(
                    request, 'GET', f'/domains/{domain_id}/mfa/providers'
                ).json()['providers'])
            except ks_exceptions.ClientException as exc:
                _fail(request, exc)
            context['provider_form'] = forms.ProviderForm(
                initial={'domain_id': domain_id})
        if _allowed(request, 'identity:list_mfa_providers'):
            try:
                context['system_providers'] = _with_settings_text(
                    api.admin_call(request, 'GET', '/mfa/providers').json()[
                        'providers'])
                context['show_system_providers'] = True
            except ks_exceptions.ClientException:
                pass   # not a system reader: the domain's part only
        context['can_unlock'] = _allowed(request,
                                         'identity:unlock_user_mfa')
        return context


class PolicyView(generic.View):
    http_method_names = ['post']

    def post(self, request):
        form = forms.PolicyForm(request.POST)
        if not form.is_valid():
            _errors(request, form)
            return _redirect(request.POST.get('domain_id'))
        data = dict(form.cleaned_data)
        domain_id = data.pop('domain_id')
        try:
            api.admin_call(request, 'PUT', f'/domains/{domain_id}/mfa/policy',
                           json={'policy': data})
            messages.success(request, _('Policy saved.'))
        except ks_exceptions.ClientException as exc:
            _fail(request, exc)
        return _redirect(domain_id)


class ProviderView(generic.View):
    http_method_names = ['post']

    def post(self, request):
        form = forms.ProviderForm(request.POST)
        if not form.is_valid():
            _errors(request, form)
            return _redirect(request.POST.get('domain_id'))
        data = dict(form.cleaned_data)
        domain_id = data.pop('domain_id') or None
        path = (f'/domains/{domain_id}/mfa/providers' if domain_id
                else '/mfa/providers')
        try:
            api.admin_call(request, 'POST', path, json={'provider': data})
            messages.success(request, _('Provider created.'))
        except ks_exceptions.ClientException as exc:
            _fail(request, exc)
        return _redirect(domain_id)


class ProviderUpdateView(generic.View):
    http_method_names = ['post']

    def post(self, request):
        form = forms.ProviderUpdateForm(request.POST)
        if not form.is_valid():
            _errors(request, form)
            return _redirect(request.POST.get('domain_id'))
        data = form.cleaned_data
        domain_id = data['domain_id'] or None
        base = (f'/domains/{domain_id}/mfa/providers' if domain_id
                else '/mfa/providers')
        change = {'enabled': data['enabled']}
        if data['settings'] is not None:
            change['settings'] = data['settings']
        try:
            api.admin_call(request, 'PATCH', f"{base}/{data['provider_id']}",
                           json={'provider': change})
            messages.success(request, _('Provider updated.'))
        except ks_exceptions.ClientException as exc:
            _fail(request, exc)
        return _redirect(domain_id)


@method_decorator(never_cache, name='dispatch')
class AttemptsView(generic.TemplateView):
    """All login attempts (system) or a domain's, filtered and paged."""

    template_name = 'identity/mfa_admin/attempts.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        form = forms.FilterForm(request.GET or None)
        filters = {}
        if form.is_bound and form.is_valid():
            filters = {k: (v.isoformat() if hasattr(v, 'isoformat') else v)
                       for k, v in form.cleaned_data.items() if v}
        domain_id = _id(request.GET.get('domain_id'))
        path = (f'/domains/{domain_id}/mfa/attempts' if domain_id
                else '/mfa/attempts')
        marker = request.GET.get('marker')
        items, nxt = [], None
        try:
            items, nxt = api.list_attempts(request, path, marker=marker,
                                           token=api.admin_token(request),
                                           **filters)
        except ks_exceptions.ClientException as exc:
            _fail(request, exc)
        query = request.GET.copy()
        query.pop('marker', None)
        if nxt:
            query['marker'] = nxt
        context.update(page_title=_('Login attempts'), form=form,
                       attempts=items, show_user=True, first_page=not marker,
                       next_query=query.urlencode() if nxt else None)
        return context


@method_decorator(never_cache, name='dispatch')
class UserView(generic.TemplateView):
    """One user's MFA state, with unlock and reset."""

    template_name = 'identity/mfa_admin/user.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        user_id = _id(request.GET.get('user_id'), '')
        context.update(page_title=_('User MFA state'), user_id=user_id)
        if user_id:
            try:
                context['state'] = api.admin_call(
                    request, 'GET', f'/users/{user_id}/mfa').json()['mfa']
            except ks_exceptions.ClientException as exc:
                _fail(request, exc)
        return context

    def post(self, request):
        form = forms.UserActionForm(request.POST)
        if not form.is_valid():
            _errors(request, form)
            return _redirect()
        user_id = form.cleaned_data['user_id']
        try:
            if form.cleaned_data['action'] == 'unlock':
                api.admin_call(request, 'PATCH', f'/users/{user_id}/mfa',
                               json={'mfa': {'unlock': True}})
                messages.success(request, _('Second factors unlocked.'))
            else:
                api.admin_call(request, 'DELETE', f'/users/{user_id}/mfa')
                messages.success(request, _('MFA reset: devices, recovery '
                                            'codes and email factor removed.'))
        except (ks_exceptions.ClientException,
                api.FactorChangeRequired) as exc:
            _fail(request, exc)
        return shortcuts.redirect(reverse('horizon:identity:mfa_admin:user')
                                  + '?user_id=' + user_id)
