#!/bin/bash
# ThreadSanitizer run of the tests whose code uses threads: the model's
# thread pool (test-nn, test-model), training and forecasting with it
# (test-forecaster, test-backtest-transformer, test-explain, and the CLI
# through test-cli-pipeline), the CSV reader's parser thread and the
# async import (test-import), and the GUI's workers: training
# (test-training), backtests (test-evaluation-page), scenarios
# (test-scenario-page, saved scenarios compared too), the Plan page
# (test-plan-page) and the import preview (test-data-page), under Xvfb.
#
#   tests/run-tsan.sh [MESON TEST OPTIONS]     (BUILDDIR=build-tsan by default)
#   TESTS="test-model test-nn" tests/run-tsan.sh   (some of them only)
#
# Test names go in TESTS, not among the options: meson would run a name
# given twice twice, and refuse.
#
# About 3 minutes of tests on a 2-core machine, plus a full build.
# Results land in $BUILDDIR/meson-logs/testlog.json like every other run.
set -uo pipefail
cd "$(dirname "$0")/.."

builddir="${BUILDDIR:-build-tsan}"
tests=(test-nn test-model test-forecaster test-backtest-transformer test-explain
       test-cli-pipeline test-import test-training
       test-evaluation-page test-scenario-page test-data-page test-plan-page)
if [ -n "${TESTS:-}" ]; then
  read -ra tests <<<"$TESTS"
fi

# halt_on_error: the first race fails the test.
# ignore_noninstrumented_modules: memset, strcmp and friends called from
#   inside GLib (not built with TSan) are GLib's own business; our code's
#   accesses are all instrumented and still checked.
# G_SLICE=always-malloc: GLib 2.74's slice allocator recycles blocks
#   between threads behind its own futex locks, which TSan cannot see;
#   with malloc TSan sees every block's life.
# See tests/tsan.supp and src/core/tc-tsan.h for the rest.
export TSAN_OPTIONS="halt_on_error=1 ignore_noninstrumented_modules=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
export G_SLICE=always-malloc

if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null \
    || exit 1
else
  meson setup "$builddir" -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized || exit 1
fi
meson compile -C "$builddir" || exit 1
exec xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C "$builddir" --print-errorlogs --timeout-multiplier 3 "$@" "${tests[@]}"
