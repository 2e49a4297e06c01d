#!/usr/bin/env python3
"""Where the time of reading 1,000 SSM parameters (100 pages) goes: envlens
or the server.

Starts moto's SSM on a free port of 127.0.0.1 and seeds 1,000 parameters,
records moto's 100 `GetParametersByPath` answers, then serves the same
answers again from a replay server that does no work (a dict lookup by
`NextToken`, HTTP/1.1 keep-alive). One hyperfine run then times:

- envlens against moto (what a user of moto sees),
- envlens against the replay server (envlens's own cost: signing, 100
  requests, JSON parsing, the diff and its output),
- a plain Python client fetching the same 100 pages from moto (no
  signing: the floor that moto itself sets),
- envlens with `--offline` (the files alone).

It also counts the connections envlens opens to each server (strace, when
installed): moto closes every connection (`Connection: close`), the replay
server keeps them, so the count shows whether envlens reuses one.

    python3 bench/ssm_split.py [--bin target/release/envlens] [--runs 10]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0000/20250101/us-east-1/ssm/aws4_request, "
        "SignedHeaders=host, Signature=00")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, target, body):
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AmazonSSM.{target}",
               "Authorization": AUTH}
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def pages(url):
    """Every page of /api/prod/ as moto answers it, keyed by the NextToken asked with."""
    out, token = {}, None
    while True:
        body = {"Path": "/api/prod", "Recursive": True, "WithDecryption": False, "MaxResults": 10}
        if token:
            body["NextToken"] = token
        raw = call(url, "GetParametersByPath", body)
        out[token or ""] = raw
        token = json.loads(raw).get("NextToken")
        if not token:
            return out


def replay(answers):
    """A server answering each page from `answers` at once, keeping connections."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without it, and with the head and body in two writes, each answer
        # waits for the client's delayed ACK (40 ms a page on Linux).
        disable_nagle_algorithm = True

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            raw = answers[body.get("NextToken", "")]
            head = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    f"Content-Length: {len(raw)}\r\n\r\n").encode()
            self.wfile.write(head + raw)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def connections(binary, project, env):
    if not shutil.which("strace"):
        return "strace not installed"
    with tempfile.NamedTemporaryFile("r") as log:
        subprocess.run(["strace", "-f", "-e", "trace=connect", "-o", log.name, binary, "diff",
                        "--format", "json", project], env=env, capture_output=True)
        return sum(1 for line in open(log.name) if "connect(" in line and "AF_INET" in line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/envlens")
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(600):
            try:
                call(url, "PutParameter", {"Name": "/warm", "Value": "x", "Type": "String", "Overwrite": True})
                break
            except OSError:
                time.sleep(0.1)
        for i in range(1_000):
            call(url, "PutParameter",
                 {"Name": f"/api/prod/p{i:04}", "Value": f"v{i}", "Type": "String", "Overwrite": True})
        answers = pages(url)
        # moto gives a NextToken with the 100th page too: a 101st, empty, answer.
        assert len(answers) in (100, 101), len(answers)
        print(f"moto answers {len(answers)} pages for 1,000 parameters")
        fast = replay(answers)
        fast_url = f"http://127.0.0.1:{fast.server_address[1]}"

        work = tempfile.mkdtemp()
        for env in ("dev", "prod"):
            open(os.path.join(work, f"config_{env}.yaml"), "w").write("a: 1\n")
        open(os.path.join(work, ".envlens.toml"), "w").write(
            '[[source]]\nset = "config"\nkind = "ssm"\nenv = "prod"\npath = "/api/prod/"\n')
        client = os.path.join(work, "client.py")
        open(client, "w").write(
            "import json, sys, urllib.request\n"
            f"AUTH = {AUTH!r}\n"
            "url, token, n = sys.argv[1], None, 0\n"
            "while True:\n"
            "    body = {'Path': '/api/prod', 'Recursive': True, 'MaxResults': 10}\n"
            "    if token: body['NextToken'] = token\n"
            "    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={\n"
            "        'Content-Type': 'application/x-amz-json-1.1',\n"
            "        'X-Amz-Target': 'AmazonSSM.GetParametersByPath', 'Authorization': AUTH})\n"
            "    page = json.loads(urllib.request.urlopen(req).read()); n += len(page['Parameters'])\n"
            "    token = page.get('NextToken')\n"
            "    if not token: break\n"
            "assert n == 1000, n\n")
        base = dict(os.environ, AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKE0000",
                    AWS_SECRET_ACCESS_KEY="fake-secret", AWS_REGION="us-east-1")
        run = lambda target, *extra: " ".join(
            ["env", f"AWS_ENDPOINT_URL={target}", binary, "diff", "--format", "json", work, *extra])
        for target, label in ((url.rstrip("/"), "moto"), (fast_url, "replay")):
            out = subprocess.run([binary, "diff", "--format", "json", work],
                                 env=dict(base, AWS_ENDPOINT_URL=target), capture_output=True, text=True)
            keys = json.loads(out.stdout)["sets"][0]["sources"][0]["keys"]
            assert keys == 1000, (label, keys, out.stderr)
            print(f"envlens -> {label}: {connections(binary, work, dict(base, AWS_ENDPOINT_URL=target))}"
                  " TCP connections")
        os.makedirs("bench/results", exist_ok=True)
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "2", "--runs", str(a.runs), "-i",
             "--export-json", "bench/results/ssm_split.json",
             "-n", "envlens <- moto", run(url.rstrip("/")),
             "-n", "envlens <- replay", run(fast_url),
             "-n", "python client <- moto", f"python3 {client} {url}",
             "-n", "envlens --offline", run(fast_url, "--offline")],
            env=base, check=True)
        results = json.load(open("bench/results/ssm_split.json"))["results"]
        for r in results:
            print(f"{r['command']:24} median {r['median'] * 1000:7.1f} ms   "
                  f"user {r['user'] * 1000:6.1f} ms  system {r['system'] * 1000:6.1f} ms")
        fast.shutdown()
    finally:
        moto.kill()
        moto.wait()


if __name__ == "__main__":
    sys.exit(main())
