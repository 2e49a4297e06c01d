#!/usr/bin/env python3
"""How long envlens takes to read stores (issue 16's speed goal: 10,000 keys
from a local etcd and 1,000 SSM parameters, 100 pages, each in 1 s or less).

Starts etcd (Debian's etcd-server) and moto's SSM on free ports of
127.0.0.1, seeds them, runs `envlens diff --format json` on a two-file
project with one source (the whole process: start, files, store, output)
RUNS times, prints the medians beside a run with `--offline` (the files
alone), and stops both servers.

    python3 bench/stores.py [--bin target/release/envlens] [--runs 7]
"""

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body, headers=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read()


def wait(url, body, headers=None):
    for _ in range(200):
        try:
            post(url, body, headers)
            return
        except Exception:
            time.sleep(0.05)
    raise SystemExit(f"no answer from {url}")


def timed(binary, project, env, args, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([binary, "diff", "--format", "json", *args, project], env=env,
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode not in (0, 1):
            raise SystemExit(out.stderr)
    return statistics.median(times), json.loads(out.stdout)


def project(kind, path):
    d = tempfile.mkdtemp()
    for env in ("dev", "prod"):
        open(os.path.join(d, f"config_{env}.yaml"), "w").write("a: 1\n")
    open(os.path.join(d, ".envlens.toml"), "w").write(
        f'[[source]]\nset = "config"\nkind = "{kind}"\nenv = "prod"\npath = "{path}"\n')
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/debug/envlens")
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    procs = []
    try:
        port, peer = free_port(), free_port()
        data = tempfile.mkdtemp()
        procs.append(subprocess.Popen(
            ["etcd", f"--data-dir={data}/etcd", f"--listen-client-urls=http://127.0.0.1:{port}",
             f"--advertise-client-urls=http://127.0.0.1:{port}",
             f"--listen-peer-urls=http://127.0.0.1:{peer}",
             f"--initial-advertise-peer-urls=http://127.0.0.1:{peer}",
             f"--initial-cluster=default=http://127.0.0.1:{peer}", "--name=default"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        etcd = f"http://127.0.0.1:{port}"
        wait(f"{etcd}/v3/kv/range", {"key": "AA=="})
        b64 = lambda s: base64.b64encode(s.encode()).decode()
        for i in range(10_000):
            post(f"{etcd}/v3/kv/put", {"key": b64(f"/api/prod/group{i % 50}/key{i:05}"), "value": b64(f"value-{i}")})

        mport = free_port()
        procs.append(subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(mport)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        moto = f"http://127.0.0.1:{mport}"
        auth = ("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0000/20250101/us-east-1/ssm/aws4_request, "
                "SignedHeaders=host, Signature=00")
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.PutParameter",
                   "Authorization": auth}
        wait(f"{moto}/", {"Name": "/warm", "Value": "x", "Type": "String", "Overwrite": True}, headers)
        for i in range(1_000):
            post(f"{moto}/", {"Name": f"/api/prod/p{i:04}", "Value": f"v{i}", "Type": "String", "Overwrite": True},
                 headers)

        env = dict(os.environ, ETCD_ENDPOINTS=etcd, AWS_ENDPOINT_URL=moto, AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKE0000",
                   AWS_SECRET_ACCESS_KEY="fake-secret", AWS_REGION="us-east-1")
        for kind, path, want in (("etcd", "/api/prod/", 10_000), ("ssm", "/api/prod/", 1_000)):
            d = project(kind, path)
            offline, _ = timed(a.bin, d, env, ["--offline"], a.runs)
            online, report = timed(a.bin, d, env, [], a.runs)
            keys = report["sets"][0]["sources"][0]["keys"]
            assert keys == want, (kind, keys)
            print(f"{kind}: {keys} keys, median {online * 1000:.0f} ms "
                  f"(files alone, --offline: {offline * 1000:.0f} ms) over {a.runs} runs")
    finally:
        for p in procs:
            p.kill()
            p.wait()


if __name__ == "__main__":
    main()
