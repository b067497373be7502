#!/usr/bin/env bash
# Install what `dyade spark` and tests/test_spark.py need, when it is missing: the `spark` extra
# (pyspark) in the project's venv, and a Java runtime (Spark 4 needs Java 17 or later).
# Usage: bash tools/install_spark.sh [VENV]   (default .venv; run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv}"
PY="$VENV/bin/python"
test -x "$PY" || { echo "install_spark: no $PY (run 'make test' or create the venv first)" >&2; exit 1; }

if ! "$PY" -c "import pyspark" 2>/dev/null; then
    echo "install_spark: installing the spark extra (pyspark, about 500 MB)" >&2
    # The extra's requirement as pyproject.toml states it; pandas stays below 3 (pyspark 4 needs that).
    "$PY" -m pip install -q --disable-pip-version-check "pyspark>=4,<5" "pandas<3"
fi

if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "install_spark: installing a Java runtime (openjdk-17-jre-headless)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    else
        echo "install_spark: no Java found; install Java 17+ (tests/test_spark.py will be skipped)" >&2
    fi
fi
"$PY" -c "import pyspark; print('install_spark: pyspark', pyspark.__version__)"
