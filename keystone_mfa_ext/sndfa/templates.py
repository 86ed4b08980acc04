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
"""The mails and small HTML pages of the email flows (Jinja2 templates)."""

import jinja2

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader('keystone_mfa_ext', 'templates'),
    autoescape=jinja2.select_autoescape(['html']),
    undefined=jinja2.StrictUndefined)


def render_mail(template, **context):
    """The text of mail `mail/<template>.txt` (first line: its subject)."""
    return _ENV.get_template(f'mail/{template}.txt').render(**context)


def render_page(template, **context):
    """The HTML of page `pages/<template>.html`."""
    return _ENV.get_template(f'pages/{template}.html').render(**context)
