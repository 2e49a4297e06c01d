#!/usr/bin/env python3
"""Rewrites a generated project's config_<env>.json files in one of the
formats of the contract's section 11, beside them in another folder, so
workload (b) can be timed in each: jsonc, json5, properties, ini, tfvars.
The same keys and values as the JSON; comments above every fifth key.

    python3 bench/to_format.py SRC_DIR DST_DIR FORMAT
"""
import json
import os
import re
import sys


def leaves(value, path=""):
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    elif not isinstance(value, (dict, list)):
        yield path, value


def scalar(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def jsonc(value):
    out = []
    for n, line in enumerate(json.dumps(value, indent=2).split("\n")):
        if n % 5 == 0 and line.lstrip().startswith('"'):
            out.append(line[: len(line) - len(line.lstrip())] + f"// note {n}")
        out.append(line)
    return "\n".join(out) + "\n"


def json5(value, indent=0):
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        items = []
        for n, (key, item) in enumerate(value.items()):
            name = key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key)
            comment = f"{pad}// {key}\n" if n % 5 == 0 else ""
            items.append(f"{comment}{pad}{name}: {json5(item, indent + 1)},\n")
        return "{\n" + "".join(items) + "  " * indent + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json5(i, indent + 1) for i in value) + "]"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return json.dumps(value)


def properties(value):
    out = []
    for n, (path, leaf) in enumerate(leaves(value)):
        if n % 5 == 0:
            out.append(f"# note {n}")
        text = scalar(leaf).replace("\\", "\\\\").replace("\n", "\\n")
        text = "".join(c if ord(c) < 128 else "\\u%04x" % ord(c) for c in text)
        out.append(f"{path}={text}")
    return "\n".join(out) + "\n"


def ini(value):
    out = []
    for section, inner in value.items():
        out.append(f"[{section}]")
        for n, (path, leaf) in enumerate(leaves(inner)):
            if n % 5 == 0:
                out.append(f"; note {n}")
            out.append(f"{path or 'value'} = {scalar(leaf)}")
        out.append("")
    return "\n".join(out) + "\n"


def hcl(value, indent=0):
    pad = "  " * (indent + 1)
    if isinstance(value, dict) and value:
        body = "".join(f"{pad}{json.dumps(k)} = {hcl(v, indent + 1)}\n" for k, v in value.items())
        return "{\n" + body + "  " * indent + "}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(i, indent + 1) for i in value) + "]"
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    return "{}" if isinstance(value, dict) else json.dumps(value)


def tfvars(value):
    out = []
    for n, (key, item) in enumerate(value.items()):
        if n % 5 == 0:
            out.append(f"# {key}")
        out.append(f"{key} = {hcl(item)}")
    return "\n".join(out) + "\n"


WRITERS = {"jsonc": jsonc, "json5": json5, "properties": properties, "ini": ini, "tfvars": tfvars}


def main():
    src, dst, fmt = sys.argv[1:4]
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if name.startswith("config_") and name.endswith(".json"):
            with open(os.path.join(src, name), encoding="utf-8") as f:
                value = json.load(f)
            out = os.path.join(dst, name[: -len(".json")] + "." + fmt)
            with open(out, "w", encoding="utf-8") as f:
                f.write(WRITERS[fmt](value))


if __name__ == "__main__":
    main()
