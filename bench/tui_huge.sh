#!/usr/bin/env bash
# The interactive view on the huge pair (workload (c) of bench/run.sh:
# 2 x ~49 MB of YAML, ~1.2 M keys), issue 20's targets: the first frame
# of the key table within 1.2x the time of `envlens diff --format json` on
# the same pair, peak RSS within 4x the input bytes, a keystroke answered
# in 16 ms (median).
#
# The release binary runs in a detached tmux session (160x48); the pane is
# polled until the table's header (`dev (ref)`) shows. Runs alternate with
# `envlens diff --format json` of the same folder, so both see the same
# load on a noisy machine. Peak RSS is VmHWM once the view is idle again
# (after the background `check`). A keystroke is timed from `send-keys`
# until the pane differs from what it showed before (j, k, PgDn, G/g, l/h,
# d, and typing a filter, which searches every key; the filter's rows are
# timed until its search on a worker is done).
#
#   bash bench/tui_huge.sh                          # the build of this tree
#   ENVLENS_BIN=/other/envlens bash bench/tui_huge.sh
#   OLD_BIN=/old/envlens bash bench/tui_huge.sh     # also an older build, same run
#   RUNS=7 KEYS=50 bash bench/tui_huge.sh
#
# Summary in bench/results/tui_huge.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${ENVLENS_BENCH_DIR:-/tmp/envlens-workloads}
huge=$work/w_huge
[ -f "$huge/.done" ] || {
  python3 bench/gen_configs.py --out "$huge" --huge >/dev/null
  touch "$huge/.done"
}
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install tmux)" >&2; exit 1; }
bin=${ENVLENS_BIN:-}
[ -n "$bin" ] || { cargo build --release --quiet; bin=$PWD/target/release/envlens; }
results=${RESULTS:-bench/results/tui_huge.txt}
mkdir -p "$(dirname "$results")"
scratch=$(mktemp -d /tmp/envlens-tui-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
printf '' >"$scratch/settings.toml"

python3 - "$huge" "$scratch" "${RUNS:-5}" "${KEYS:-30}" "$bin" ${OLD_BIN:+"$OLD_BIN"} <<'PY' | tee "$results"
import os, statistics, subprocess, sys, time

HUGE, SCRATCH, RUNS, KEYS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
BINS = sys.argv[5:]
TICK = os.sysconf("SC_CLK_TCK")
INPUT = sum(os.path.getsize(os.path.join(HUGE, f)) for f in os.listdir(HUGE)
            if f.startswith("config_"))

def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout

def pane(name):
    return tmux("capture-pane", "-p", "-t", name)

def wait_for(name, text, deadline=120.0):
    start = time.perf_counter()
    while text not in pane(name):
        if time.perf_counter() - start > deadline:
            sys.exit(f"waited {deadline} s for {text!r}:\n{pane(name)}")
    return time.perf_counter() - start

def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

def settle(pid, quiet=1.0, deadline=120.0):
    """Waits until the process used no CPU for `quiet` seconds."""
    start = time.perf_counter()
    before = cpu_ticks(pid)
    while time.perf_counter() - start < deadline:
        time.sleep(quiet)
        now = cpu_ticks(pid)
        if now == before:
            return
        before = now

def peak_rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0

def diff_once(bin):
    start = time.perf_counter()
    subprocess.run([bin, "diff", HUGE, "--format", "json"], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start

def styled_pane(name):
    return tmux("capture-pane", "-p", "-e", "-t", name)

def press(name, key, deadline=30.0):
    """Milliseconds from sending `key` until the pane changes (its text or
    its colours: `l` only moves the focused cell's highlight)."""
    before = styled_pane(name)
    start = time.perf_counter()
    tmux("send-keys", "-t", name, key)
    while styled_pane(name) == before:
        if time.perf_counter() - start > deadline:
            sys.exit(f"`{key}` was not answered in {deadline} s:\n{before}")
    answered = (time.perf_counter() - start) * 1000
    # The frame may still be arriving: let it finish before the next key.
    last = styled_pane(name)
    while (now := styled_pane(name)) != last:
        last = now
    return answered

def wait_gone(name, text, deadline=60.0):
    start = time.perf_counter()
    while text in pane(name):
        if time.perf_counter() - start > deadline:
            sys.exit(f"{text!r} still shown after {deadline} s:\n{pane(name)}")

def keystrokes(name):
    times = {}
    def many(label, keys):
        times.setdefault(label, []).extend(press(name, k) for k in keys)
    many("G / g", ["G", "g"] * (KEYS // 2))
    many("j", ["j"] * KEYS)
    many("l / h (on a key)", ["l", "h"] * (KEYS // 2))
    many("k", ["k"] * (KEYS // 2))
    many("PgDn", ["NPage"] * KEYS)
    many("d (only diffs, all keys)", ["d"] * min(KEYS, 10))
    # A large set is searched on a worker: the keystroke is answered at
    # once ("searching…"), the rows when the search is done.
    filter_times, filter_rows = [], []
    for _ in range(3):
        press(name, "/")
        for c in "url":
            start = time.perf_counter()
            filter_times.append(press(name, c))
            wait_gone(name, "searching…")
            filter_rows.append((time.perf_counter() - start) * 1000)
        press(name, "Escape")
    times["filter, a typed letter (all keys)"] = filter_times
    times["filter, its rows shown"] = filter_rows
    return times

def session(bin, label):
    name = f"envlens-tui-bench-{os.getpid()}-{label}"
    env = f"ENVLENS_CONFIG={SCRATCH}/settings.toml TERM=xterm-256color"
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "48",
         "sh", "-c", f"{env} exec {bin} {HUGE}")
    return name, start

def first_frame(bin, label):
    name, start = session(bin, label)
    try:
        wait_for(name, "dev (ref)")
        return time.perf_counter() - start
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)

print(f"huge pair: {HUGE}, {INPUT / 1e6:.1f} MB of input, {RUNS} runs, {KEYS} presses per key")
for n, bin in enumerate(BINS):
    diffs, frames = [], []
    for run in range(RUNS):
        diffs.append(diff_once(bin))
        frames.append(first_frame(bin, f"{n}-{run}"))
    name, _ = session(bin, f"{n}-keys")
    try:
        wait_for(name, "dev (ref)")
        pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        settle(pid)
        rss = peak_rss(pid)
        keys = keystrokes(name)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    diff_med, frame_med = statistics.median(diffs), statistics.median(frames)
    print(f"\n{bin}")
    print(f"  envlens diff --format json  median {diff_med * 1000:7.0f} ms"
          f"   (min {min(diffs) * 1000:.0f}, max {max(diffs) * 1000:.0f})")
    print(f"  first frame of the table    median {frame_med * 1000:7.0f} ms"
          f"   (min {min(frames) * 1000:.0f}, max {max(frames) * 1000:.0f})"
          f"   = {frame_med / diff_med:.2f}x diff (target <= 1.2x)")
    print(f"  peak RSS once idle          {rss / 1e6:7.0f} MB"
          f"   = {rss / INPUT:.2f}x the input (target <= 4x)")
    for label, times in keys.items():
        print(f"  key {label:32} median {statistics.median(times):6.1f} ms"
              f"   max {max(times):6.1f}   ({len(times)} presses)")
PY
