#!/usr/bin/env bash
# rustc's instruction count (callgrind) for `cargo check` of the two crates
# the driver's compile-time comparison writes (run the driver first), and
# their ratio: unlike wall time, the same on a loaded machine.
#
#   bench/compile-instructions.sh [TARGET_DIR]     (default: target)
set -euo pipefail
base="${1:-target}/compile-time"
[ -d "$base/macros" ] || { echo "no $base/macros: run the driver first" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
count() {
    local dir="$base/$1" out
    out=$(mktemp -d)
    touch "$dir/src/lib.rs"
    # The command cargo runs for the crate itself (its dependencies are built).
    local cmd
    cmd=$(cd "$dir" && CARGO_TARGET_DIR="$base/target" CARGO_INCREMENTAL=0 cargo check -v 2>&1 |
        grep 'Running `' | tail -1 | sed -E 's/^ *Running `(.*)`$/\1/')
    cmd=$(echo "$cmd" | sed -E "s#--out-dir [^ ]+#--out-dir $out#; s#--error-format=json##; s#--json=[^ ]+##")
    (cd "$dir" && eval valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" $cmd) >"$out/log" 2>&1 ||
        { tail "$out/log" >&2; exit 1; }
    grep -E '^(summary|totals):' "$out/cg.out" | head -1 | awk '{print $2}'
    rm -rf "$out"
}
macros=$(count macros)
hand=$(count hand)
awk -v m="$macros" -v h="$hand" 'BEGIN {
    printf "#[task] crate: %.1f M instructions\nhand-written:  %.1f M instructions\nratio: %.3f\n", m / 1e6, h / 1e6, m / h
}'
