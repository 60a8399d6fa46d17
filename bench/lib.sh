# Shared helpers for the bench scripts: build once, read the examples' RESULT lines.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENT="$ROOT/agent/target/tuner.jar"
SEED="$ROOT/examples/target/seed-pipeline.jar"
JAVA="${JAVA:-java}"
# The JMX-contract fixture (ContractOnlyApp) lives in the integration tests' classes.
CONTRACT_CLASSES="$ROOT/integration-tests/target/test-classes"

# Builds the jars unless they exist (BUILD=1 forces it).
build_if_needed() {
  if [[ "${BUILD:-0}" == 1 || ! -f "$AGENT" || ! -f "$SEED" ]]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}

# Builds the contract fixture's classes unless they are there (BUILD=1 forces it); the jars first.
build_contract_if_needed() {
  build_if_needed
  if [[ "${BUILD:-0}" == 1 || ! -f "$CONTRACT_CLASSES/dev/tuner/it/fixture/ContractOnlyApp.class" ]]; then
    (cd "$ROOT" && mvn -B -q -o test-compile -pl integration-tests) >&2
  fi
}

# field NAME LINE: the value of NAME=value in LINE.
field() {
  grep -oE "(^| )$1=[0-9.]+" <<<"$2" | head -n1 | cut -d= -f2
}

# ratio A B: A / B with two decimals.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
