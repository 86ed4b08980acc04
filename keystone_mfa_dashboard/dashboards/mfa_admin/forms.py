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
"""Forms of the MFA admin panel."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

ID_REGEX = r'^[A-Za-z0-9_-]{1,64}$'
RULES_HELP = _('JSON list of rules, each a list of methods, e.g. '
               '[["password", "totp"], ["password", "sndfa"]].')


def _json_field(value, kind, message):
    try:
        data = json.loads(value or 'null')
    except ValueError:
        raise forms.ValidationError(message)
    if not isinstance(data, kind):
        raise forms.ValidationError(message)
    return data


class StyledForm(forms.Form):
    """Bootstrap's look (Horizon's theme) for every visible field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.visible_fields():
            if not isinstance(field.field.widget, forms.CheckboxInput):
                field.field.widget.attrs.setdefault('class', 'form-control')


class PolicyForm(StyledForm):
    domain_id = forms.RegexField(regex=ID_REGEX, widget=forms.HiddenInput)
    enforcement = forms.ChoiceField(label=_('Enforcement'), choices=[
        ('optional', _('Optional')), ('required', _('Required'))])
    rules = forms.CharField(label=_('Rules'), help_text=RULES_HELP,
                            initial='[["password", "totp"]]')
    grace_period_days = forms.IntegerField(
        label=_('Grace period (days)'), min_value=0, max_value=365,
        initial=7)

    def clean_rules(self):
        rules = _json_field(self.cleaned_data['rules'], list,
                            _('Rules must be a JSON list of lists.'))
        if not all(isinstance(r, list) and r and all(
                isinstance(m, str) for m in r) for r in rules):
            raise forms.ValidationError(_('Each rule is a list of methods.'))
        return rules


class ProviderForm(StyledForm):
    """A new provider; its settings JSON may hold secrets (write-only)."""

    domain_id = forms.RegexField(regex=ID_REGEX, required=False,
                                 widget=forms.HiddenInput)
    name = forms.CharField(label=_('Name'), max_length=255)
    provider_name = forms.ChoiceField(label=_('Factor'), choices=[
        ('totp', 'totp'), ('sndfa', 'sndfa')])
    enabled = forms.BooleanField(label=_('Enabled'), required=False,
                                 initial=True)
    settings = forms.CharField(
        label=_('Settings (JSON)'), required=False,
        widget=forms.Textarea(attrs={'rows': 4, 'autocomplete': 'off'}),
        help_text=_('e.g. {"issuer": "Example"}; secret settings '
                    '(smtp.password) are never shown again.'))

    def clean_settings(self):
        return _json_field(self.cleaned_data['settings'] or '{}', dict,
                           _('Settings must be a JSON object.'))


class ProviderUpdateForm(forms.Form):
    """PATCH of a provider: on/off, and settings merged by keystone.

    Secret settings are write-only: they appear here only when the admin
    types new ones.
    """

    domain_id = forms.RegexField(regex=ID_REGEX, required=False,
                                 widget=forms.HiddenInput)
    provider_id = forms.RegexField(regex=ID_REGEX, widget=forms.HiddenInput)
    enabled = forms.BooleanField(required=False)
    settings = forms.CharField(required=False, widget=forms.Textarea(
        attrs={'rows': 2, 'autocomplete': 'off'}))

    def clean_settings(self):
        value = self.cleaned_data['settings']
        if not value.strip():
            return None
        return _json_field(value, dict,
                           _('Settings must be a JSON object.'))


class FilterForm(StyledForm):
    user_id = forms.RegexField(regex=ID_REGEX, required=False,
                               label=_('User ID'))
    method = forms.ChoiceField(required=False, label=_('Method'), choices=[
        ('', _('Any')), ('totp', 'totp'), ('sndfa', 'sndfa'),
        ('password', 'password')])
    status = forms.ChoiceField(required=False, label=_('Status'), choices=[
        ('', _('Any')), ('success', _('Success')),
        ('failure', _('Failure')), ('locked', _('Locked'))])
    since = forms.DateTimeField(required=False, label=_('Since'))
    until = forms.DateTimeField(required=False, label=_('Until'))


class UserActionForm(forms.Form):
    user_id = forms.RegexField(regex=ID_REGEX, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[('unlock', 'unlock'),
                                        ('reset', 'reset')],
                               widget=forms.HiddenInput)
