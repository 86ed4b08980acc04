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
"""The extension's own SQL metadata, separate from keystone's.

Tables live in keystone's database and use keystone's sessions
(`keystone.common.sql.session_for_read/_write`), but are declared on this
metadata and migrated by our own alembic environment and version table, so
keystone's `alembic_version` and `keystone-manage db_sync --check` never see
them.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import declarative_base

from keystone.common import sql as ks_sql

ModelBase = declarative_base()

# Everything else a backend needs comes from keystone's SQL layer.
session_for_read = ks_sql.session_for_read
session_for_write = ks_sql.session_for_write
ModelDictMixin = ks_sql.ModelDictMixin

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}

# MySQL's plain DATETIME drops fractions of a second; audit ordering and
# since/until filters need them.
PreciseDateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')
