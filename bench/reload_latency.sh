#!/usr/bin/env bash
# Live reload latency (issue 5): the release binary in a detached tmux
# session, another program rewrites one value, and the pane is polled every
# 10 ms until the new value is on screen. Median of 20 writes (plain write,
# then 20 more by write-temp-and-rename) on a copy of sample-project/ and
# on a copy of the monorepo workload (500 sets x 3 envs, 200 keys each);
# there also 3 bursts that rewrite all 1,500 files at once (a `git
# checkout`), timed from the first write to the value on screen, and one
# more burst during which `?` is pressed again and again: each press is
# timed until the help appears (or goes), and the longest is the longest
# the UI did not answer a key. Also the CPU time envlens uses while idle
# for 10 s (it must not grow).
#
#   bash bench/reload_latency.sh            # both workloads
#   WRITES=50 bash bench/reload_latency.sh  # more writes per mode
#   ENVLENS_BIN=/other/envlens RESULTS=/tmp/old.txt bash bench/reload_latency.sh
#                                           # another build (before/after)
#
# Target: median <= 100 ms on both. Summary in bench/results/reload_latency.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${ENVLENS_BENCH_DIR:-/tmp/envlens-workloads}
mono=$work/w_mono
[ -f "$mono/.done" ] || {
  python3 bench/gen_configs.py --out "$mono" --sets 500 --keys 200 >/dev/null
  touch "$mono/.done"
}
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install tmux)" >&2; exit 1; }
bin=${ENVLENS_BIN:-}
[ -n "$bin" ] || { cargo build --release --quiet; bin=$PWD/target/release/envlens; }
results=${RESULTS:-bench/results/reload_latency.txt}
mkdir -p bench/results
scratch=$(mktemp -d /tmp/envlens-reload-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cp -r sample-project "$scratch/sample"
cp -r "$mono" "$scratch/mono"
printf '' >"$scratch/settings.toml"

python3 - "$bin" "$scratch" "${WRITES:-20}" <<'PY' | tee "$results"
import os, statistics, subprocess, sys, time

BIN, SCRATCH, WRITES = sys.argv[1], sys.argv[2], int(sys.argv[3])
POLL = 0.010
TICK = os.sysconf("SC_CLK_TCK")

def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout

def pane(name):
    return tmux("capture-pane", "-p", "-t", name)

def wait(name, text, deadline=30.0):
    start = time.perf_counter()
    while True:
        if text in pane(name):
            return time.perf_counter() - start
        if time.perf_counter() - start > deadline:
            sys.exit(f"waited {deadline} s for {text!r}:\n{pane(name)}")
        time.sleep(POLL)

def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime

def idle(pid, seconds=10):
    before = cpu_ticks(pid)
    time.sleep(seconds)
    return cpu_ticks(pid) - before

def write_plain(path, text):
    with open(path, "w") as f:
        f.write(text)

def write_renamed(path, text):
    temp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temp, "w") as f:
        f.write(text)
    os.replace(temp, path)

def stalls(name, files, path, text, seconds=2.0):
    """Rewrites every file, then presses `?` until `seconds` have passed,
    timing each press until the help opens or closes: the key answers."""
    start = time.perf_counter()
    for other in files:
        with open(other, "a") as f:
            f.write("\n")
    write_plain(path, text)
    answers, shown = [], False
    while time.perf_counter() - start < seconds or shown:
        pressed = time.perf_counter()
        tmux("send-keys", "-t", name, "?")
        shown = not shown
        while ("this help" in pane(name)) != shown:
            time.sleep(0.002)
            if time.perf_counter() - pressed > 10:
                sys.exit(f"`?` was not answered in 10 s:\n{pane(name)}")
        answers.append((time.perf_counter() - pressed) * 1000)
    return answers

def run(label, root, set_name, rel, line, values, burst=False):
    name = f"envlens-reload-bench-{os.getpid()}-{label}"
    env = f"ENVLENS_CONFIG={SCRATCH}/settings.toml TERM=xterm-256color"
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "40",
         "sh", "-c", f"{env} exec {BIN} {root} --set {set_name}")
    try:
        opened = wait(name, "watching")
        pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        idle_before = idle(pid)
        path = os.path.join(root, rel)
        text = open(path).read()
        current = line.format(values[0])
        assert current in text, (current, path)
        results = {}
        for mode, write in (("plain write", write_plain), ("write + rename", write_renamed)):
            times = []
            for i in range(WRITES):
                value = values[1] + (0 if mode == "plain write" else 100) + i
                new = line.format(value)
                text = text.replace(current, new)
                current = new
                start = time.perf_counter()
                write(path, text)
                while str(value) not in pane(name):
                    if time.perf_counter() - start > 10:
                        sys.exit(f"{label}: {value} never showed:\n{pane(name)}")
                    time.sleep(POLL)
                times.append((time.perf_counter() - start) * 1000)
            results[mode] = times
        if burst:
            # A `git checkout` of every file: one reload of what changed.
            files = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
                     if f != ".done" and os.path.join(d, f) != path]
            times = []
            for i in range(3):
                value = values[1] + 200 + i
                new = line.format(value)
                text = text.replace(current, new)
                current = new
                start = time.perf_counter()
                for other in files:
                    with open(other, "a") as f:
                        f.write("\n")  # whitespace: valid in every format
                write_plain(path, text)
                wrote = time.perf_counter() - start
                while str(value) not in pane(name):
                    if time.perf_counter() - start > 30:
                        sys.exit(f"{label}: {value} never showed after a burst:\n{pane(name)}")
                    time.sleep(POLL)
                times.append(((time.perf_counter() - start) * 1000, wrote * 1000))
            results[f"burst of {len(files) + 1}"] = [t for t, _ in times]
            burst_writes = statistics.median(w for _, w in times)
            value = values[1] + 300
            new = line.format(value)
            text, current = text.replace(current, new), new
            answers = stalls(name, files, path, text)
            while str(value) not in pane(name):
                time.sleep(POLL)
        # Marks of the last change end after 4 s; then nothing may wake it.
        time.sleep(5)
        idle_after = idle(pid)
        print(f"{label}: {root} --set {set_name} (shown {opened * 1000:.0f} ms after start)")
        for mode, times in results.items():
            print(f"  {mode:15} median {statistics.median(times):6.1f} ms   "
                  f"min {min(times):6.1f}   max {max(times):6.1f}   ({len(times)} writes)")
        if burst:
            print(f"  (a burst's own writes took {burst_writes:.0f} ms of that)")
            print(f"  key answered during a burst: longest {max(answers):6.1f} ms   "
                  f"median {statistics.median(answers):6.1f}   ({len(answers)} presses in 2 s)")
        print(f"  idle CPU: {idle_before} ticks in 10 s before the writes, "
              f"{idle_after} ticks in 10 s after ({TICK} ticks = 1 s)")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)

run("sample", f"{SCRATCH}/sample", "config", "config_prod.yaml",
    "  name: {}", ("churn-forecast", 70000))
run("monorepo", f"{SCRATCH}/mono", "services/svc_002/config", "services/svc_002/config_prod.yaml",
    "  ttl_seconds: {}", (2000, 91000), burst=True)
PY
