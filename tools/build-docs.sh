#!/usr/bin/env bash
# Generated samples and the release notes, as tox -e genconfig, genpolicy
# and releasenotes build them; .ci/run runs this after the tests.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
venv=${MFA_EXT_VENV:-$top/.venv}
"$top/tools/venv.sh" doc-requirements.txt
"$venv/bin/oslo-config-generator" \
    --config-file etc/oslo-config-generator/keystone-mfa-ext.conf
"$venv/bin/oslopolicy-sample-generator" \
    --config-file etc/oslo-policy-generator/keystone-mfa-ext.conf
"$venv/bin/sphinx-build" -a -E -W -q -d releasenotes/build/doctrees \
    -b html releasenotes/source releasenotes/build/html
echo "samples: etc/keystone-mfa-ext.conf.sample etc/policy.yaml.sample"
echo "release notes: releasenotes/build/html/index.html"
