# Sourced by the scripts: make .venv with Python >= 3.11 and install the project into it.
#   EXTRAS=dev to install the test and lint tools too.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    PYTHON=""
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            PYTHON=$candidate
            break
        fi
    done
    [ -n "$PYTHON" ] || { echo "eventschema needs Python 3.11 or newer" >&2; exit 1; }
    "$PYTHON" -m venv "$VENV"
fi
SPEC="$ROOT"
[ -n "${EXTRAS:-}" ] && SPEC="$ROOT[$EXTRAS]"
STAMP="$VENV/.installed-${EXTRAS:-base}"
# Reinstall only when the project's metadata changed since the last install.
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$SPEC"
    touch "$STAMP"
fi
