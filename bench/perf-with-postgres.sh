#!/usr/bin/env bash
# Runs the perf runner with a throwaway PostgreSQL cluster: initdb into a temporary folder (as the `postgres` OS user
# when run as root), default settings, trust authentication, 127.0.0.1 on a free port only. The cluster is stopped and
# its folder deleted on exit, also when the runner fails or is interrupted.
#
#   bench/perf-with-postgres.sh [runner options]      e.g.  bench/perf-with-postgres.sh --json perf.json
#
# Without PostgreSQL server binaries (initdb, pg_ctl, postgres on PATH or under /usr/lib/postgresql/<version>/bin)
# the runner runs on SQLite alone.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_dir=""
pg_bin=""
pg_os_user=""

# From /: the tools start in the caller's directory, which the cluster's user may not enter (root's home).
as_pg_user() { if [[ -n "$pg_os_user" ]]; then (cd / && runuser -u "$pg_os_user" -- "$@"); else "$@"; fi; }

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$pg_dir" ]]; then
        if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
            as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
        fi
        rm -rf "$pg_dir"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

find_pg_bin() {
    local path dir
    if path="$(command -v initdb 2>/dev/null)"; then
        dir="$(dirname "$(readlink -f "$path")")"
        [[ -x "$dir/pg_ctl" && -x "$dir/postgres" ]] && { echo "$dir"; return 0; }
    fi
    while IFS= read -r dir; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]] && { echo "$dir"; return 0; }
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k4,4 -V -r)
    return 1
}

postgres_args=()
if [[ -z "${RUNENGINE_TEST_POSTGRES:-}" ]] && pg_bin="$(find_pg_bin)"; then
    pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/runengine-perf-pg.XXXXXX")"
    if [[ "$(id -u)" == "0" ]]; then
        pg_os_user="postgres"
        id -u "$pg_os_user" >/dev/null 2>&1 || { echo "perf: PostgreSQL needs a non-root OS user named postgres" >&2; exit 1; }
        chown "$pg_os_user" "$pg_dir"
        chmod 700 "$pg_dir"
    fi
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    as_pg_user "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir" start >/dev/null
    postgres_args=(--postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres")
    echo "perf: throwaway PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
fi

cd "$repo_root"
dotnet run -c Release --project bench/RunEngine.Data.Perf -- "${postgres_args[@]}" "$@"
