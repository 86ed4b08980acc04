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
"""Read a QR code data URI back, the way a phone camera would."""

import base64
import io

from PIL import Image
import zxingcpp


def decode_data_uri(data_uri):
    prefix = 'data:image/png;base64,'
    if not data_uri.startswith(prefix):
        raise ValueError('not a PNG data URI')
    image = Image.open(io.BytesIO(base64.b64decode(data_uri[len(prefix):])))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def decode_terminal(text, invert=False):
    """Read back a QR code drawn with '██' (light) and '  ' (dark)."""
    rows = [line for line in text.splitlines() if line.strip('█ ') == ''
            and line]
    width = max(len(r) for r in rows) // 2
    scale = 6
    image = Image.new('L', (width * scale, len(rows) * scale), 255)
    for y, row in enumerate(rows):
        for x in range(width):
            cell = row[2 * x:2 * x + 2]
            light = (cell == '\u2588\u2588') != invert
            if not light:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale,
                                (y + 1) * scale))
    return [r.text for r in zxingcpp.read_barcodes(image)]
