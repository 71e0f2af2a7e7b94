#!/usr/bin/env bash
# Runs every FlowRuntime test on a fresh machine: installs what the tests need (Debian packages, npm
# packages, NuGet restore), starts what they need (a private PostgreSQL cluster, the designer build),
# runs each test project once, and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

log() { printf '\n== %s\n' "$*" >&2; }

# --- Debian packages the tests drive for real ------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "apt-get install ${need[*]} failed" >&2; exit 1; }
fi

# --- PostgreSQL: a private cluster on a loopback port, removed on exit ------------------------------
source "$ROOT/tests/postgres.sh"
start_postgres || { echo "could not start PostgreSQL" >&2; exit 1; }
trap stop_postgres EXIT

# --- Build once (restores NuGet packages; the host build also builds the designer) -----------------
log "building"
dotnet tool restore >/dev/null
dotnet build FlowRuntime.sln -c Release -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

# --- Front-end unit tests --------------------------------------------------------------------------
status=0
if [ -f designer/package.json ]; then
  log "designer unit tests"
  (cd designer && npx vitest run --reporter=junit --outputFile="$RESULTS/designer.junit.xml" >/dev/null 2>"$RESULTS/designer.log") || status=1
fi

# --- .NET test projects ----------------------------------------------------------------------------
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  log "$name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" -- RunConfiguration.TreatNoTestsAsError=true || status=1
done

# --- Totals from the result files, not from dotnet test's summary -----------------------------------
read -r passed failed < <(python3 "$ROOT/tests/count-results.py" "$RESULTS")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a run that crashed before writing results
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
