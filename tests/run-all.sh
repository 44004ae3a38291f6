#!/usr/bin/env bash
# Runs every test suite (type check, unit, sync, e2e) and ends with one line "N passed, N failed"
# totalling them all. Installs what the tests need that npm does not: Debian's Chromium.
# Exit status is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
passed=0
failed=0

ensure_chromium() {
	[ -x /usr/bin/chromium ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "== installing Debian's chromium (Playwright cannot download browsers here)"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		echo "chromium is missing: run 'apt-get install -y chromium' as root" >&2
		return 1
	fi
}

# count FILE: adds a JSON report's totals (vitest or Playwright) to passed/failed.
count() {
	local totals
	totals=$(node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		if (r.stats) console.log(r.stats.expected + r.stats.flaky, r.stats.unexpected);
		else console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0));
	' "$1" 2>/dev/null) || totals="0 1"
	passed=$((passed + ${totals% *}))
	failed=$((failed + ${totals#* }))
}

# gate NAME COMMAND...: a step that is one check of its own (type check, build).
gate() {
	local name=$1
	shift
	echo "== $name"
	if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!! $name failed"; fi
}

gate "type check" npm run --silent check

echo "== unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile="$results/unit.json"
count "$results/unit.json"

echo "== sync tests (real server processes on loopback)"
npx vitest run --project sync --reporter=default --reporter=json --outputFile="$results/sync.json"
count "$results/sync.json"

gate "build" npx vite build --logLevel warn

echo "== end-to-end tests (Debian Chromium)"
if ensure_chromium && [ -f build/index.html ]; then
	PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json
	count "$results/e2e.json"
else
	failed=$((failed + 1))
	echo "!! end-to-end tests not run: no chromium or no build"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
