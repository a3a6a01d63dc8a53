#!/usr/bin/env bash
# Regenerates each library's PublicAPI.Unshipped.txt from its current public surface.
#
# The public-API analyzer (RS0016) fails the build when a public symbol is missing from PublicAPI.Shipped.txt /
# PublicAPI.Unshipped.txt, and (RS0017) when a listed symbol no longer exists. After an intended API change, run this
# script, review the diff of the Unshipped files, and commit them with the change. It empties the Unshipped files,
# builds the libraries with analyzer warnings left as warnings, and writes back every symbol RS0016 reported.
# Symbols in PublicAPI.Shipped.txt (released) are never touched: removing one of those is a breaking change to make
# by hand.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
log_file="$(mktemp "${TMPDIR:-/tmp}/runengine-publicapi.XXXXXX")"
trap 'rm -f "$log_file"' EXIT

libraries=(src/*/PublicAPI.Unshipped.txt)
for unshipped in "${libraries[@]}"; do
    printf '#nullable enable\n' >"$unshipped"
done

# Rebuild: an up-to-date compilation would not report the diagnostics again. The libraries are built alone (not the
# solution): only the libraries carry the analyzer, so nothing else needs building.
for provider in src/*/*.csproj; do
    dotnet build "$provider" -c Release -t:Rebuild -p:TreatWarningsAsErrors=false >>"$log_file" 2>&1 \
        || { tail -n 40 "$log_file" >&2; echo "update-public-api.sh: build of $provider failed" >&2; exit 1; }
done

for unshipped in "${libraries[@]}"; do
    project_dir="$(dirname "$unshipped")"
    project="$project_dir/$(basename "$project_dir").csproj"
    # Lines look like: <file>(l,c): warning RS0016: Symbol '<entry>' is not part of the declared public API (<link>) [<project>...]
    {
        printf '#nullable enable\n'
        grep -F "warning RS0016:" "$log_file" | grep -F "[$repo_root/$project" \
            | sed -E "s/.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/" \
            | LC_ALL=C sort -u
    } >"$unshipped"
    echo "update-public-api.sh: $unshipped: $(($(wc -l <"$unshipped") - 1)) entries" >&2
done
