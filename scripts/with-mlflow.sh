#!/usr/bin/env bash
# Runs a command with a throw-away MLflow tracking server on 127.0.0.1 and
# GARANT_TEST_MLFLOW_URI pointing at it, so the audited-run tests also run against a real server
# (runs, spans and artifacts read back over HTTP). Its backend store is a database on the
# throw-away PostgreSQL of scripts/with-postgres.sh (GARANT_TEST_DATABASE_URL) when there is one,
# SQLite otherwise; artifacts are served by the server (--serve-artifacts).
# Usage: bash scripts/with-postgres.sh bash scripts/with-mlflow.sh .venv/bin/python -m pytest
set -uo pipefail
python=${GARANT_PYTHON:-$(dirname "$0")/../.venv/bin/python}
[ -x "$python" ] || python=python3
if [ -n "${GARANT_TEST_MLFLOW_URI:-}" ] || ! "$python" -c "import mlflow.server" 2>/dev/null; then
  exec "$@"
fi
data=$(mktemp -d /tmp/garant-mlflow.XXXXXX)
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
backend="sqlite:///$data/mlflow.db"
if [ -n "${GARANT_TEST_DATABASE_URL:-}" ]; then
  backend=$("$python" - <<'PY'
import os
import psycopg
url = os.environ["GARANT_TEST_DATABASE_URL"]
with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as db:
    db.execute("DROP DATABASE IF EXISTS garant_mlflow")
    db.execute("CREATE DATABASE garant_mlflow")
print(url.rsplit("/", 1)[0] + "/garant_mlflow")
PY
  ) || exit 1
fi
server=""
cleanup() { [ -n "$server" ] && kill -- "-$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
export MLFLOW_DISABLE_TELEMETRY=true MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false
setsid "$python" -m mlflow server --backend-store-uri "$backend" --serve-artifacts \
  --artifacts-destination "$data/artifacts" --host 127.0.0.1 --port "$port" --workers 1 \
  >"$data/log" 2>&1 &
server=$!
# No wait here: the server migrates its store while the other tests run; the server test waits
# for /health (up to 300 s) before it starts, so make test does not pay the start-up serially.
export GARANT_TEST_MLFLOW_URI="http://127.0.0.1:$port" GARANT_TEST_MLFLOW_LOG="$data/log"
echo "garant: serveur MLflow de test sur $GARANT_TEST_MLFLOW_URI (stockage ${backend%%:*})" >&2
"$@"
