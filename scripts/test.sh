#!/usr/bin/env bash
# The README's test command: builds and runs every test project of the solution in Release.
#
# When PostgreSQL's server binaries are installed and RUNENGINE_TEST_POSTGRES is not set, a throwaway cluster is
# started for the run (initdb into a temporary folder, trust authentication, a free port on 127.0.0.1 only) and its
# connection string is exported as RUNENGINE_TEST_POSTGRES. The cluster is stopped and its folder deleted on exit,
# also when tests fail or the script is interrupted.
#
# Extra arguments go to `dotnet test` (for example: --filter "FullyQualifiedName~PostgreSql").
# Skipped tests are not listed one by one (the console logger and xunit would each print every one): after the run,
# one line per distinct skip reason, with its count, is read from the TRX files. Failures are printed in full.
# The last line printed is the total over all test projects: "N passed, N failed, N skipped".
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/runengine-test.XXXXXX")"
pg_dir=""
pg_bin=""
pg_os_user=""
test_pid=""
filter_pid=""

log() { printf 'test.sh: %s\n' "$*" >&2; }

# Runs a PostgreSQL server binary as the cluster's OS user (postgres refuses to run as root). From /, because the
# tools start in the caller's directory, which that user may not enter (root's home: "could not change directory").
as_pg_user() {
    if [[ -n "$pg_os_user" ]]; then
        (cd / && runuser -u "$pg_os_user" -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$test_pid" ]] && kill -0 "$test_pid" 2>/dev/null; then
        # dotnet test runs in its own process group (see below): stop it together with its test hosts.
        kill -TERM -- "-$test_pid" 2>/dev/null || kill -TERM "$test_pid" 2>/dev/null || true
        wait "$test_pid" 2>/dev/null || true
    fi
    if [[ -n "$filter_pid" ]]; then
        # Interrupted: the output filter may still wait for its pipe's writer.
        kill "$filter_pid" 2>/dev/null || true
        wait "$filter_pid" 2>/dev/null || true
    fi
    if [[ -n "$pg_dir" ]]; then
        if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
            as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        rm -rf "$pg_dir"
    fi
    rm -rf "$work_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The directory holding initdb, pg_ctl and postgres: the one on PATH, else the newest /usr/lib/postgresql/<version>/bin.
find_pg_bin() {
    local initdb_path dir
    if initdb_path="$(command -v initdb 2>/dev/null)"; then
        dir="$(dirname "$(readlink -f "$initdb_path")")"
        if [[ -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    fi
    while IFS= read -r dir; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k4,4 -V -r)
    return 1
}

# A TCP port nothing listens on right now on 127.0.0.1.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return 0
    fi
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

start_postgres() {
    local db_user="runengine" port attempt
    if [[ "$(id -u)" == "0" ]]; then
        if id -u postgres >/dev/null 2>&1; then pg_os_user="postgres"; else pg_os_user="nobody"; fi
        # Under /tmp, not under root's TMPDIR, so that the cluster's user can reach it.
        pg_dir="$(mktemp -d /tmp/runengine-pg.XXXXXX)"
        chown "$pg_os_user" "$pg_dir"
    else
        pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/runengine-pg.XXXXXX")"
    fi
    mkdir -p "$pg_dir/sock"
    [[ -n "$pg_os_user" ]] && chown "$pg_os_user" "$pg_dir/sock"

    log "starting a throwaway PostgreSQL cluster ($("$pg_bin/postgres" --version)) in $pg_dir"
    as_pg_user "$pg_bin/initdb" -D "$pg_dir/data" -U "$db_user" --auth=trust --encoding=UTF8 --locale=C --no-sync \
        >"$work_dir/initdb.log" 2>&1 || { cat "$work_dir/initdb.log" >&2; log "initdb failed"; return 1; }

    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        # Loopback only, sockets in the temporary folder; durability is pointless for a cluster deleted after the run.
        if as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir/sock -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            break
        fi
        log "PostgreSQL did not start on port $port (attempt $attempt)"
        tail -n 20 "$pg_dir/server.log" >&2 || true
        [[ "$attempt" == 5 ]] && return 1
    done

    if [[ -x "$pg_bin/pg_isready" ]]; then
        for _ in $(seq 1 60); do
            as_pg_user "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres && break
            sleep 1
        done
        as_pg_user "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres \
            || { log "PostgreSQL is not ready"; return 1; }
    fi

    export RUNENGINE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=$db_user;Database=postgres;Timeout=30;Command Timeout=120"
    log "PostgreSQL is ready on 127.0.0.1:$port"
}

if [[ -n "${RUNENGINE_TEST_POSTGRES:-}" ]]; then
    log "using the PostgreSQL server in RUNENGINE_TEST_POSTGRES"
elif pg_bin="$(find_pg_bin)"; then
    start_postgres
else
    log "PostgreSQL server binaries not found: PostgreSQL tests will be skipped (and fail when CI=true)"
fi

results_dir="$work_dir/results"
test_status=0
# In the background, in its own process group, so that an interrupt reaches the EXIT trap at once, which then stops
# the tests (with their test hosts) before the cluster.
launcher=()
command -v setsid >/dev/null 2>&1 && launcher=(setsid)
# The console output goes through a filter that drops the per-test skip lines (the console logger's "  Skipped <test>
# [time]" and xunit's "[xUnit.net ...] <test> [SKIP]"); everything else, failures included, passes unchanged.
mkfifo "$work_dir/output"
grep --line-buffered -v -E '^[[:space:]]+Skipped [^[:space:]].* \[[^]]*\]$|\[SKIP\]$' <"$work_dir/output" &
filter_pid=$!
"${launcher[@]}" dotnet test "$repo_root/RunEngine.Data.sln" -c Release --logger trx --results-directory "$results_dir" "$@" \
    >"$work_dir/output" 2>&1 &
test_pid=$!
wait "$test_pid" || test_status=$?
test_pid=""
wait "$filter_pid" || true
filter_pid=""

# One line per distinct skip reason, with how many tests it skipped, from every TRX file.
skip_reasons() {
    find "$results_dir" -name '*.trx' -type f -exec awk '
        /<UnitTestResult / { skipped = ($0 ~ /outcome="NotExecuted"/) }
        skipped && /<Message>/ {
            line = $0
            sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
            gsub(/&apos;/, "\047", line); gsub(/&quot;/, "\"", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line)
            print line
            skipped = 0
        }' {} + 2>/dev/null | sort | uniq -c | sort -rn
}
reasons="$(skip_reasons)"
if [[ -n "$reasons" ]]; then
    echo "Skipped, by reason:"
    while read -r count reason; do
        printf '  %s: %s\n' "$count" "$reason"
    done <<<"$reasons"
fi

# Sum the counters of every project's TRX file. Skipped tests are the ones counted in total but not executed.
counter() { grep -o "[[:space:]]$1=\"[0-9]*\"" "$2" | head -n 1 | grep -o '[0-9][0-9]*' || echo 0; }
passed=0 failed=0 skipped=0 files=0
while IFS= read -r trx; do
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    [[ -z "$counters" ]] && continue
    printf '%s\n' "$counters" >"$work_dir/counters"
    files=$((files + 1))
    passed=$((passed + $(counter passed "$work_dir/counters")))
    failed=$((failed + $(counter failed "$work_dir/counters") + $(counter error "$work_dir/counters") \
        + $(counter timeout "$work_dir/counters") + $(counter aborted "$work_dir/counters")))
    skipped=$((skipped + $(counter total "$work_dir/counters") - $(counter executed "$work_dir/counters")))
done < <(find "$results_dir" -name '*.trx' -type f 2>/dev/null)

if [[ "$test_status" != 0 && "$failed" == 0 ]]; then
    log "dotnet test exited with $test_status"
    failed=1
fi
if [[ "$files" == 0 ]]; then
    log "no test results were written"
    test_status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
if [[ "$test_status" != 0 || "$failed" != 0 ]]; then
    exit 1
fi
