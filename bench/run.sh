#!/usr/bin/env bash
# End-to-end timings of `envlens diff --format json` on the reference
# workloads (written by bench/gen_configs.py, see `gen` below), each in the same hyperfine run as
# its yardstick (`diff -u` on the dev/prod pair; the peer loop on the
# monorepo), plus peak memory on the huge pair.
#
#   bash bench/run.sh            # all workloads (the huge one takes ~1 min to generate)
#   bash bench/run.sh a b        # only some of a, b, c, d
#   bash bench/run.sh b-formats  # (b) in each format of §11 (jsonc json5 properties ini tfvars)
#
# Results go to bench/results/ (JSON from hyperfine, and a summary).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=bench
work=${ENVLENS_BENCH_DIR:-/tmp/envlens-workloads}
results=bench/results
mkdir -p "$work" "$results"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
# ENVLENS_BIN: time a binary already built (e.g. `cargo build --profile bench`,
# which shares its dependencies with `cargo bench`) instead of building one.
if [ -n "${ENVLENS_BIN:-}" ]; then
  bin=$(realpath "$ENVLENS_BIN")
else
  cargo build --release --quiet
  bin=$PWD/target/release/envlens
fi

gen() { # gen NAME ARGS… — generate a workload once
  local name=$1; shift
  [ -f "$work/$name/.done" ] || { python3 "$shared/gen_configs.py" --out "$work/$name" "$@" >/dev/null && touch "$work/$name/.done"; }
}

pair() { # pair NAME EXT — hyperfine envlens against diff -u on dev/prod
  local dir=$work/$1 ext=$2
  hyperfine -N --warmup 2 --runs "${RUNS:-20}" -i \
    --export-json "$results/$1.json" \
    "$bin diff $dir --format json" \
    "diff -u $dir/config_dev.$ext $dir/config_prod.$ext"
}

sel=("$@")
has() { [ ${#sel[@]} -eq 0 ] || [[ " ${sel[*]} " == *" $1 "* ]]; }

if has a; then gen w_small --single --keys 300 --formats yaml; pair w_small yaml; fi
if has b; then gen w_medium --single --keys 20000 --formats yaml; pair w_medium yaml; fi
if has b-formats; then
  # The JSON of (b), rewritten in each format of §11 by bench/to_format.py.
  gen w_medium_json --single --keys 20000 --formats json
  for fmt in jsonc json5 properties ini tfvars; do
    [ -f "$work/w_medium_$fmt/.done" ] || {
      python3 bench/to_format.py "$work/w_medium_json" "$work/w_medium_$fmt" "$fmt" && touch "$work/w_medium_$fmt/.done"
    }
    pair "w_medium_$fmt" "$fmt"
  done
fi
if has c; then
  gen w_huge --huge
  RUNS=5 pair w_huge yaml
  /usr/bin/time -v "$bin" diff "$work/w_huge" --format json 2>"$results/w_huge.time" >/dev/null || true
  grep -E 'Maximum resident' "$results/w_huge.time"
  du -cb "$work"/w_huge/config_*.yaml | tail -1
fi
if has d; then
  gen w_mono --sets 500 --keys 200
  hyperfine -N --warmup 1 --runs 10 -i --export-json "$results/w_mono.json" \
    "$bin diff $work/w_mono --format json" \
    "bash $shared/peer_loop.sh diff $work/w_mono"
fi
