#!/usr/bin/env bash
# Timings of the git history features (§13), each in one hyperfine run
# with its yardstick:
#   since  `diff --since HEAD~1` against plain `diff` on workload (d)
#          (gen_configs.py --sets 500 --keys 200) committed in a repository,
#          HEAD changing ten files of it (the issue's bound: <= 2x);
#   blame  `blame database.pool_size --env prod` over 1,000 commits that
#          each touch config_prod.yaml (bound: <= 1 s), against `git log`
#          of that file for scale.
#
#   bash bench/history.sh            # both
#   bash bench/history.sh since      # one of them
#   BIN=target/debug/envlens bash bench/history.sh   # another build
#
# Repositories are made once under $ENVLENS_BENCH_DIR (default
# /tmp/envlens-workloads); hyperfine's JSON goes to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${ENVLENS_BENCH_DIR:-/tmp/envlens-workloads}
results=bench/results
mkdir -p "$work" "$results"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/envlens
fi
git_() { git -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@"; }

sel=("$@")
has() { [ ${#sel[@]} -eq 0 ] || [[ " ${sel[*]} " == *" $1 "* ]]; }

if has since; then
  repo=$work/history_d
  if [ ! -f "$repo/.done" ]; then
    rm -rf "$repo"
    python3 bench/gen_configs.py --out "$repo" --sets 500 --keys 200 >/dev/null
    git_ -C "$repo" init -q -b main
    git_ -C "$repo" add -A && git_ -C "$repo" commit -qm "workload d"
    # Ten files of ten sets change one value each.
    for f in $(cd "$repo" && git ls-files '*_prod.yaml' | head -10); do
      sed -i '0,/: [0-9][0-9]*$/s//: 424242/' "$repo/$f"
    done
    git_ -C "$repo" commit -qam "ten values change"
    touch "$repo/.done"
  fi
  hyperfine -N --warmup 3 --runs "${RUNS:-15}" -i --export-json "$results/history_since.json" \
    "$BIN diff $repo --format json" \
    "$BIN diff $repo --since HEAD~1 --format json"
fi

if has blame; then
  repo=$work/history_blame
  if [ ! -f "$repo/.done" ]; then
    rm -rf "$repo" && mkdir -p "$repo"
    git_ -C "$repo" init -q -b main
    # 1,000 commits through fast-import (a commit per process would take
    # minutes): each rewrites config_prod.yaml; every tenth changes the
    # pool size, the others another key.
    python3 - "$repo" <<'PY' | git_ -C "$repo" fast-import --quiet
import sys
def blob(text):
    data = text.encode()
    return b"data %d\n%s\n" % (len(data), data)
out = sys.stdout.buffer
dev = "database:\n  pool_size: 5\n  host: dev.db\nfeature_x: false\n"
for i in range(1000):
    prod = "database:\n  pool_size: %d\n  host: prod.db\nrevision_note: %d\nfeature_x: true\n" % (10 + i // 10, i)
    out.write(b"commit refs/heads/main\n")
    out.write(b"author Bench <bench@example.com> %d +0000\n" % (1767225600 + i * 60))
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % (1767225600 + i * 60))
    # Each commit continues the branch fast-import is on.
    out.write(blob("change %d" % i))
    out.write(b"M 100644 inline config_dev.yaml\n" + blob(dev))
    out.write(b"M 100644 inline config_prod.yaml\n" + blob(prod))
PY
    git_ -C "$repo" checkout -q main
    touch "$repo/.done"
  fi
  hyperfine -N --warmup 3 --runs "${RUNS:-15}" -i --export-json "$results/history_blame.json" \
    "$BIN blame database.pool_size $repo --env prod" \
    "git -C $repo log --oneline -- config_prod.yaml"
fi
