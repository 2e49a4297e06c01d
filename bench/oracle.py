#!/usr/bin/env python3
"""Independent check of `envlens diff`: flattens every config file of a
generated project with Python's own parsers (PyYAML with the YAML 1.2 core
schema's booleans, tomllib, json, a small dotenv reader), computes each key's
status by the contract's rules (§3, §4), and compares with
`envlens diff --all --format json`. Prints the mismatches; exits 1 on any.

    python3 bench/oracle.py PROJECT ENVLENS_JSON
"""
import json
import re
import sys
import tomllib
from pathlib import Path

import yaml


class Core12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1; narrow booleans and drop timestamps to 1.2 core."""


Core12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Core12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def quote(key):
    if key == "" or re.search(r'[.\[\]"\s]', key):
        return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return key


def flatten(node, path, out):
    if isinstance(node, dict) and node:
        for k, v in node.items():
            flatten(v, f"{path}.{quote(str(k))}" if path else quote(str(k)), out)
    elif isinstance(node, list) and node:
        for i, v in enumerate(node):
            flatten(v, f"{path}[{i}]", out)
    elif path:
        out[path] = node


def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if v is None:
        return "null"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "list"
    return "string"


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, float) and isinstance(b, float):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return False  # int 1 and float 1.0 differ
    return a == b


def dotenv(text):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:]
        k, _, v = line.partition("=")
        v = v.strip()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
            v = v[1:-1]
            if line.split("=", 1)[1].strip().startswith('"'):
                v = v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        else:
            v = re.split(r"\s#", v)[0].strip()
        out[quote(k.strip())] = v
    return out


def load(path):
    text = path.read_text()
    if path.name.startswith(".env."):
        return dotenv(text)
    if path.suffix in (".yaml", ".yml"):
        doc = yaml.load(text, Loader=Core12Loader)
    elif path.suffix == ".json":
        doc = json.loads(text)
    else:
        doc = tomllib.loads(text)
    out = {}
    flatten(doc, "", out)
    return out


def status(values):
    if any(v is MISSING for v in values):
        return "missing"
    kinds = {kind(v) for v in values}
    if len(kinds) > 1:
        return "type_changed"
    first = values[0]
    return "same" if all(same(first, v) for v in values[1:]) else "differs"


MISSING = object()


def main():
    root, report = Path(sys.argv[1]), json.load(open(sys.argv[2]))
    mismatches, keys = 0, 0
    for s in report["sets"]:
        envs = s["envs"]
        flat = [load(root / s["files"][e]) for e in envs]
        expected = {}
        for f in flat:
            for k in f:
                expected.setdefault(k, status([g.get(k, MISSING) for g in flat]))
        got = {k["key"]: k["status"] for k in s["keys"]}
        keys += len(expected)
        for k in sorted(set(expected) | set(got)):
            if expected.get(k) != got.get(k):
                mismatches += 1
                if mismatches <= 20:
                    print(f"{s['name']}: {k}: envlens {got.get(k)}, oracle {expected.get(k)}")
        if list(got) != list(expected):
            if sorted(got) == sorted(expected):
                print(f"{s['name']}: same keys, different order")
    print(f"oracle: {len(report['sets'])} sets, {keys} keys, {mismatches} mismatches")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
