#!/usr/bin/env python3
"""Runs the shell steps of a composite GitHub Action the way the runner
does, for tests/ci_setup.rs: inputs with their defaults, `${{ … }}`
expressions over inputs, github.action_path, runner.os and earlier steps'
outputs, each step's `if:`, its env, `bash --noprofile --norc -eo pipefail`,
and $GITHUB_OUTPUT. A `uses:` step is not run: it is printed with its
`with:` values, so a test can check what would be uploaded.

Usage: run_action.py ACTION_YML WORKDIR [name=value ...]
Prints one line per step (`step <name>: ran, exit 0`, `step <name>: skipped`,
`step <name>: uses <action> with <json>`) and exits with the first failing
step's code, or 0.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def lookup(path, ctx):
    value = ctx
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    return value


def evaluate(expr, ctx):
    """The expressions this action uses: `a.b == 'x'` joined by `&&`, or a path."""
    expr = expr.strip()
    if "&&" in expr:
        return all(evaluate(part, ctx) for part in expr.split("&&"))
    match = re.fullmatch(r"([\w.-]+)\s*==\s*'([^']*)'", expr)
    if match:
        return str(lookup(match.group(1), ctx)) == match.group(2)
    match = re.fullmatch(r"[\w.-]+", expr)
    if match:
        return lookup(expr, ctx)
    raise SystemExit(f"run_action.py cannot evaluate `{expr}`")


def substitute(text, ctx):
    return EXPR.sub(lambda m: str(evaluate(m.group(1), ctx)), str(text))


def condition(step, ctx):
    text = step.get("if")
    if text is None:
        return True
    text = str(text).strip()
    inner = EXPR.fullmatch(text)
    return bool(evaluate(inner.group(1) if inner else text, ctx))


def main():
    action_path, workdir, *pairs = sys.argv[1:]
    action = yaml.safe_load(open(action_path))
    assert action["runs"]["using"] == "composite", "not a composite action"
    inputs = {name: str(spec.get("default", "")) for name, spec in action.get("inputs", {}).items()}
    for pair in pairs:
        name, value = pair.split("=", 1)
        if name not in inputs:
            raise SystemExit(f"the action has no input `{name}`")
        inputs[name] = value
    ctx = {
        "inputs": inputs,
        "github": {"action_path": os.path.dirname(os.path.abspath(action_path))},
        "runner": {"os": "Linux"},
        "steps": {},
    }
    for step in action["runs"]["steps"]:
        name = step.get("name", step.get("id", "?"))
        if not condition(step, ctx):
            print(f"step {name}: skipped", flush=True)
            continue
        if "uses" in step:
            given = {k: substitute(v, ctx) for k, v in step.get("with", {}).items()}
            print(f"step {name}: uses {step['uses']} with {json.dumps(given)}", flush=True)
            continue
        assert step.get("shell") == "bash", f"step {name}: only bash steps are run here"
        env = dict(os.environ)
        env.update({k: substitute(v, ctx) for k, v in step.get("env", {}).items()})
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "step.sh")
            output = os.path.join(tmp, "output")
            open(script, "w").write(substitute(step["run"], ctx))
            open(output, "w").close()
            env["GITHUB_OUTPUT"] = output
            code = subprocess.call(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=workdir, env=env
            )
            outputs = {}
            for line in open(output):
                if "=" in line:
                    key, value = line.rstrip("\n").split("=", 1)
                    outputs[key] = value
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs}
        print(f"step {name}: ran, exit {code}", flush=True)
        if code != 0:
            sys.exit(code)


if __name__ == "__main__":
    main()
