#!/bin/bash
# Fails when a file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
# Usage: tests/check-potfiles.sh [SOURCE_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

listed=$(grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in | sort -u)
status=0

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done

# C: _( N_( C_( NC_( used as gettext calls, not as the tail of a name
# such as g_autofree(.  UI: translatable="yes".  Desktop, metainfo and
# schema inputs are always translated.
candidates=$( {
  grep -rlE --include='*.c' --include='*.h' '(^|[^A-Za-z0-9_])(N?C?_)\(' src || true
  grep -rl --include='*.ui' 'translatable="yes"' src ui data || true
  find data -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' \
    | grep . || true
} | sort -u)

for f in $candidates; do
  f=${f#./}
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "$f has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "po/POTFILES.in lists all $(wc -w <<<"$candidates") files with translatable strings"
fi
exit $status
