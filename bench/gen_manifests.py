#!/usr/bin/env python3
"""Write a deterministic Kubernetes manifest stream per env (§12 speed check).

Each env gets OUT/config_<env>.yaml: N objects (Deployments with two
containers, env lists and ports; Services; ConfigMaps; Secrets), with a few
percent drift between envs, env items shuffled in some objects and one
object only in the last env. Count its keys with
`envlens diff OUT --format json --all` (5,000 objects: 56,524 keys) to
generate a plain-YAML workload of the same size with gen_configs.py
(`--single --keys N --formats yaml`).
"""

import argparse
import base64
import os
import random


def deployment(i, env, rng, drift):
    replicas = 2 if env == "dev" else 6
    level = "debug" if env == "dev" else "info"
    env_items = [
        ("LOG_LEVEL", level),
        ("DB_HOST", f"db-{i}.{env}.internal"),
        ("CACHE_TTL", str(60 + (i % 7))),
        ("FEATURE_X", "on" if rng.random() < 0.5 else "off"),
    ]
    if rng.random() < drift:
        env_items.append(("EXTRA_FLAG", "1"))
    if env != "dev" and i % 5 == 0:
        rng.shuffle(env_items)
    lines = [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        f"  name: svc-{i}",
        "  labels:",
        f"    app: svc-{i}",
        "    team: platform",
        "spec:",
        f"  replicas: {replicas}",
        "  selector:",
        "    matchLabels:",
        f"      app: svc-{i}",
        "  template:",
        "    metadata:",
        "      labels:",
        f"        app: svc-{i}",
        "    spec:",
        "      containers:",
        "        - name: app",
        f"          image: registry.example/svc-{i}:1.{i % 9}.{0 if env == 'dev' else 1}",
        "          ports:",
        "            - containerPort: 8080",
        "              name: http",
        "          env:",
    ]
    for name, value in env_items:
        lines += [f"            - name: {name}", f"              value: \"{value}\""]
    lines += [
        "          resources:",
        "            limits:",
        f"              cpu: {'500m' if env == 'dev' else '2'}",
        "              memory: 512Mi",
        "        - name: sidecar",
        "          image: envoy:1.29",
        "          volumeMounts:",
        "            - mountPath: /etc/envoy",
        "              name: envoy-config",
        "      volumes:",
        "        - name: envoy-config",
        "          configMap:",
        f"            name: envoy-{i}",
    ]
    return "\n".join(lines)


def service(i):
    return "\n".join([
        "apiVersion: v1", "kind: Service", "metadata:", f"  name: svc-{i}", "spec:",
        "  selector:", f"    app: svc-{i}", "  ports:", "    - port: 80", "      targetPort: 8080",
    ])


def config_map(i, env):
    return "\n".join([
        "apiVersion: v1", "kind: ConfigMap", "metadata:", f"  name: cfg-{i}", "data:",
        f"  MODE: {env}", "  app.yaml: |", "    server:", f"      workers: {4 if env == 'dev' else 16}",
        "      port: 8080",
    ])


def secret(i, env):
    value = base64.b64encode(f"fake-{env}-{i}".encode()).decode()
    return "\n".join([
        "apiVersion: v1", "kind: Secret", "metadata:", f"  name: sec-{i}", "type: Opaque",
        "data:", f"  TOKEN: {value}",
    ])


def objects(n, env, rng, drift, last):
    kinds = [lambda i: deployment(i, env, rng, drift), service, lambda i: config_map(i, env),
             lambda i: secret(i, env)]
    docs = [kinds[i % 4](i // 4) for i in range(n)]
    if last:
        docs.append(service(10 ** 6))
    return docs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--objects", type=int, default=5000)
    parser.add_argument("--envs", default="dev,prod")
    parser.add_argument("--drift", type=float, default=0.05)
    parser.add_argument("--seed", default="1")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    envs = args.envs.split(",")
    for n, env in enumerate(envs):
        rng = random.Random(f"{args.seed}-{env}")
        docs = objects(args.objects, env, rng, args.drift, n == len(envs) - 1)
        with open(os.path.join(args.out, f"config_{env}.yaml"), "w") as f:
            f.write("\n---\n".join(docs) + "\n")


if __name__ == "__main__":
    main()
