#!/bin/bash
# Sourced by tests/fuzz/run-ci.sh and bench/fuzz.sh: sets up (once) and
# builds the clang fuzzing build directory $FUZZ_BUILD (default
# build-fuzz), only the harnesses and what they link.
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_HARNESSES=(import model plan project)

# The libFuzzer option naming a harness's dictionary, if it has one: the
# CSV harnesses get dates, numbers and header names; the model harness
# the JSON members of a model file and values at the edges of their kinds.
fuzz_dict () {
  case "$1" in
    import|plan) echo "-dict=tests/fuzz/import.dict" ;;
    model) echo "-dict=tests/fuzz/model.dict" ;;
  esac
}

fuzz_build () {
  if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
    CC=clang meson setup "$FUZZ_BUILD" -Dfuzzing=true -Dui_tests=false -Db_lundef=false \
      -Dbuildtype=debugoptimized >/dev/null || return 1
  fi
  local targets=()
  for h in "${FUZZ_HARNESSES[@]}"; do
    targets+=("tests/fuzz/fuzz-$h")
  done
  meson compile -C "$FUZZ_BUILD" "${targets[@]}" >"$FUZZ_BUILD/fuzz-compile.log" 2>&1 || {
    tail -30 "$FUZZ_BUILD/fuzz-compile.log"
    return 1
  }
}

# The sanitizers report and stop; leaks of the libraries we call are
# suppressed as in the ASan test run.  One BLAS thread: the machine is
# shared and libFuzzer measures one process.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export OPENBLAS_NUM_THREADS=1
# GLib warnings and criticals abort (fuzz-main.c), so G_DEBUG stays unset:
# its breakpoint trap would lose the input.
unset G_DEBUG
