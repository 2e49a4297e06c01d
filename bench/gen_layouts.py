#!/usr/bin/env python3
"""Write a deterministic project holding every layout of §10, many times.

Each of --projects folders (OUT/p_NNN/) holds one sample of each preset:
dotenv, spring (YAML and .properties), dotnet, node-config, helm, compose,
kustomize, rails, dynaconf and terraform, with about --keys leaves per env
and a little drift between envs, so that `envlens diff OUT` has every
preset's detection and merge to do. The same arguments give the same files.

    python3 bench/gen_layouts.py --out /tmp/w_layouts --projects 50 --keys 200
"""

import argparse
import json
import random
from pathlib import Path

ENVS = ["dev", "staging", "prod"]


def tree(rng, keys, depth=0):
    """A nested dict of about `keys` leaves."""
    out = {}
    count = 0
    while count < keys:
        name = f"k{rng.randrange(10_000)}"
        if name in out:
            continue
        if depth < 3 and keys - count > 8 and rng.random() < 0.3:
            size = rng.randrange(2, 9)
            out[name] = tree(rng, size, depth + 1)
            count += size
        else:
            out[name] = rng.choice([rng.randrange(1000), f"v{rng.randrange(1000)}", True])
            count += 1
    return out


def drift(rng, base, share=0.05):
    """A copy of some leaves of `base` with changed values (an env's overrides)."""
    out = {}
    for key, value in base.items():
        if isinstance(value, dict):
            sub = drift(rng, value, share)
            if sub:
                out[key] = sub
        elif rng.random() < share:
            out[key] = f"x{rng.randrange(1000)}"
    return out


def flat(data, prefix=""):
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from flat(value, path + ".")
        else:
            yield path, value


def yaml(data, indent=0):
    lines = []
    for key, value in data.items():
        pad = "  " * indent
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(yaml(value, indent + 1))
        else:
            text = str(value).lower() if isinstance(value, bool) else value
            lines.append(f"{pad}{key}: {text}")
    return "\n".join(line for line in lines if line)


def toml_tables(data, prefix):
    """TOML with each nested dict a [prefix.key] table."""
    scalars = [(k, v) for k, v in data.items() if not isinstance(v, dict)]
    out = [f"[{prefix}]"] if prefix else []
    for key, value in scalars:
        text = str(value).lower() if isinstance(value, bool) else json.dumps(value)
        out.append(f"{key} = {text}")
    for key, value in data.items():
        if isinstance(value, dict):
            out.append(toml_tables(value, f"{prefix}.{key}" if prefix else key))
    return "\n".join(out)


def hcl(data):
    lines = []
    for key, value in data.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")


def project(root, rng, keys):
    envs = {}

    def layers(n=keys):
        base = tree(rng, n)
        return base, {env: drift(rng, base) for env in ENVS}

    base, over = layers()
    write(root / "web/.env", "\n".join(f"{k.upper().replace('.', '_')}={v}" for k, v in flat(base)))
    for env in ENVS:
        write(root / f"web/.env.{env}",
              "\n".join(f"{k.upper().replace('.', '_')}={v}" for k, v in flat(over[env])))
    write(root / "web/package.json", "{}")

    base, over = layers()
    res = root / "java/src/main/resources"
    write(root / "java/pom.xml", "<project/>")
    write(res / "application.yml", yaml(base))
    for env in ENVS:
        write(res / f"application-{env}.properties",
              "\n".join(f"{k}={v}" for k, v in flat(over[env])))

    base, over = layers()
    write(root / "dotnet/appsettings.json", json.dumps(base, indent=2))
    for env in ENVS:
        write(root / f"dotnet/appsettings.{env.title()}.json", json.dumps(over[env], indent=2))

    base, over = layers()
    write(root / "node/package.json", "{}")
    write(root / "node/config/default.json", json.dumps(base, indent=2))
    for env in ENVS:
        write(root / f"node/config/{env}.json", json.dumps(over[env], indent=2))

    base, over = layers()
    write(root / "chart/Chart.yaml", "name: chart")
    write(root / "chart/values.yaml", yaml(base))
    for env in ENVS:
        write(root / f"chart/values-{env}.yaml", yaml(over[env]) or "{}")

    base, over = layers()
    write(root / "compose/compose.yaml", yaml({"services": {"app": base}}))
    for env in ENVS:
        write(root / f"compose/compose.{env}.yaml", yaml({"services": {"app": over[env]}}))

    base, over = layers()
    k8s = root / "k8s"
    write(k8s / "base/kustomization.yaml", "resources:\n  - config.yaml")
    write(k8s / "base/config.yaml", yaml(base))
    for env in ENVS:
        write(k8s / f"overlays/{env}/kustomization.yaml", "resources:\n  - ../../base")
        write(k8s / f"overlays/{env}/config.yaml", yaml(over[env]) or "{}")

    base, over = layers()
    write(root / "rails/config/application.rb", "module App; end")
    sections = {"default": base, **{env: over[env] for env in ENVS}}
    write(root / "rails/config/database.yml", yaml(sections))

    base, over = layers()
    body = [toml_tables(base, "default")] + [toml_tables(over[env], env) for env in ENVS]
    write(root / "py/settings.toml", "\n".join(body))

    base, over = layers()
    tf = root / "infra"
    write(tf / "main.tf", 'resource "null_resource" "x" {}')
    write(tf / "variables.tf", "\n".join(
        f'variable "{k.replace(".", "_")}" {{\n  default = {json.dumps(v)}\n}}'
        for k, v in flat(base)))
    for env in ENVS:
        write(tf / f"{env}.tfvars",
              hcl({k.replace(".", "_"): v for k, v in flat(over[env])}) or "")
    return envs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--seed", default="1")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    for i in range(args.projects):
        project(out / f"p_{i:03d}", rng, args.keys)
    print(f"{args.projects} projects x 10 layouts under {out}")


if __name__ == "__main__":
    main()
