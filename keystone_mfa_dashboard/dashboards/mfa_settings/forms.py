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
"""Forms of the MFA settings panel (plain Django forms: CSRF, validation)."""

from django import forms
from django.utils.translation import gettext_lazy as _

CODE_HELP = _('The 6 or 8 digits your authenticator app shows now.')


class DeviceNameForm(forms.Form):
    name = forms.CharField(label=_('Device name'), max_length=255,
                           strip=True)


class DeviceForm(forms.Form):
    device_id = forms.RegexField(regex=r'^[0-9a-fA-F-]{1,64}$',
                                 widget=forms.HiddenInput)


class RenameForm(DeviceForm, DeviceNameForm):
    pass


class VerifyForm(DeviceForm):
    code = forms.RegexField(label=_('Code'), regex=r'^\s*\d{6,8}\s*$',
                            help_text=CODE_HELP,
                            widget=forms.TextInput(
                                attrs={'autocomplete': 'one-time-code',
                                       'inputmode': 'numeric'}))

    def clean_code(self):
        return self.cleaned_data['code'].strip()


class SwitchForm(forms.Form):
    enable = forms.ChoiceField(choices=[('on', _('On')), ('off', _('Off'))],
                               widget=forms.HiddenInput)

    def clean_enable(self):
        return self.cleaned_data['enable'] == 'on'


class EmptyForm(forms.Form):
    """Actions without input: the form only checks CSRF (Django does)."""


class ConfirmForm(forms.Form):
    """Log in again: keystone wants a token that used a second factor."""

    password = forms.CharField(label=_('Password'), strip=False,
                               required=False,
                               widget=forms.PasswordInput(
                                   attrs={'autocomplete': 'current-password',
                                          'class': 'form-control'}))
    passcode = forms.CharField(
        label=_('Code'), max_length=64, required=False,
        help_text=_('A code of your authenticator app, a recovery code, or '
                    'the code of the mail ("Email me a code").'),
        widget=forms.TextInput(attrs={'autocomplete': 'one-time-code',
                                      'class': 'form-control'}))

    def __init__(self, *args, **kwargs):
        self.receipt_waiting = kwargs.pop('receipt_waiting', False)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        data['passcode'] = (data.get('passcode') or '').strip()
        if 'send_email' in self.data:
            if not data.get('password'):
                self.add_error('password', _('Enter your password.'))
            return data
        if not data['passcode']:
            self.add_error('passcode', _('Enter a code.'))
        if not self.receipt_waiting and not data.get('password'):
            self.add_error('password', _('Enter your password.'))
        return data
