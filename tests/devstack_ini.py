"""DevStack's iniget/iniset/inidelete, done by Python's configparser.

Used by tests/unit/test_devstack.py in place of DevStack's own helpers:
    devstack_ini.py get FILE SECTION OPTION
    devstack_ini.py set FILE SECTION OPTION VALUE
    devstack_ini.py delete FILE SECTION OPTION
"""

import configparser
import os
import sys


def main(action, path, section, option, value=None):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    if os.path.exists(path):
        parser.read(path)
    if action == 'get':
        print(parser.get(section, option, fallback=''))
        return
    if action == 'set':
        if not parser.has_section(section) and section != 'DEFAULT':
            parser.add_section(section)
        parser.set(section, option, value)
    elif action == 'delete' and parser.has_section(section):
        parser.remove_option(section, option)
    with open(path, 'w') as f:
        parser.write(f)


if __name__ == '__main__':
    main(*sys.argv[1:])
