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
"""A QR code drawn with block characters, for scanning off a terminal.

Light modules are '██', dark ones two spaces, with a light border: right on
the usual dark-background terminal (`invert` for light backgrounds).
"""

import segno

LIGHT, DARK = '\u2588\u2588', '  '


def render(text, invert=False):
    light, dark = (DARK, LIGHT) if invert else (LIGHT, DARK)
    qr = segno.make(text, error='m')
    return '\n'.join(''.join(dark if module else light for module in row)
                     for row in qr.matrix_iter(border=2)) + '\n'
