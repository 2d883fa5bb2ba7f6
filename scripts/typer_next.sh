#!/usr/bin/env bash
# The suite on the next Typer, past the pin in pyproject.toml (not run by CI: it installs a
# second environment, and takes as long again as the suite).
#
#   scripts/typer_next.sh                      # Typer 0.29.*, in a throwaway environment
#   TYPER_NEXT="typer==0.30.*" scripts/typer_next.sh -k help   # another Typer; pytest options
#
# It installs every dependency and test extra from pyproject.toml, with the typer line
# replaced by $TYPER_NEXT, then infuse itself without its dependencies (the pin would refuse
# the newer Typer). docs/cli.md and man/infuse.1 are made with the pinned Typer; on another
# one their tests compare the words of each command's help, not Typer's layout of them.
set -euo pipefail
cd "$(dirname "$0")/.."

next="${TYPER_NEXT:-typer==0.29.*}"
venv="$(mktemp -d "${TMPDIR:-/tmp}/infuse-typer-next.XXXXXX")"
trap 'rm -rf "$venv"' EXIT

python3 -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python - "$next" >"$venv/requirements.txt" <<'EOF'
import re
import sys
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    print(sys.argv[1] if name.lower() == "typer" else requirement)
EOF
pip install -q -r "$venv/requirements.txt"
pip install -q --no-deps -e .
echo "infuse on $(python -c 'import typer; print("typer", typer.__version__)')" >&2
python -m pytest -p no:cacheprovider "$@"
