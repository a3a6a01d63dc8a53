#!/usr/bin/env bash
# Inspects the packed packages: usage: scripts/check-packages.sh [folder]   (default: artifacts/packages)
#
# Pack first: dotnet pack -c Release -o artifacts/packages
# Checks, for RunEngine.Data, RunEngine.Data.Sqlite, RunEngine.Data.PostgreSql and RunEngine.Data.HealthChecks (newest
# version in the folder):
# the nuspec has id, version, description, MIT licence expression, tags, repository url and commit, readme (and the
# readme file is in the package); lib/net10.0 holds the assembly and its XML docs; the .snupkg beside it holds the
# .pdb; the providers and the health check depend on the core at exactly their own version ("[x]"); no other package
# is in the folder.
# Prints one line per package and exits non-zero on the first folder with problems (all problems are listed).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
folder="${1:-$repo_root/artifacts/packages}"

exec python3 - "$folder" <<'PY'
import os, re, sys, zipfile
import xml.etree.ElementTree as ET

folder = sys.argv[1]
expected = ["RunEngine.Data", "RunEngine.Data.Sqlite", "RunEngine.Data.PostgreSql", "RunEngine.Data.HealthChecks"]
# Built against the core's internals: each must depend on exactly its own version of the core.
providers = {"RunEngine.Data.Sqlite", "RunEngine.Data.PostgreSql", "RunEngine.Data.HealthChecks"}
problems = []

def version_key(v):
    # Semantic-version order is enough here: numeric parts, then a release sorts after its pre-releases.
    core, _, pre = v.partition("-")
    nums = tuple(int(x) for x in core.split("."))
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return (nums, 0 if pre else 1, parts)

if not os.path.isdir(folder):
    sys.exit(f"check-packages: {folder} does not exist (run: dotnet pack -c Release -o artifacts/packages)")

found = {}
for name in os.listdir(folder):
    m = re.fullmatch(r"(.+?)\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg", name)
    if m:
        found.setdefault(m.group(1), []).append(m.group(2))
for pid in sorted(set(found) - set(expected)):
    problems.append(f"unexpected package {pid} in {folder} (only the {len(expected)} libraries are packable)")

def child(md, ns, tag):
    e = md.find(f"{ns}{tag}")
    return e.text.strip() if e is not None and e.text else ""

for pid in expected:
    if pid not in found:
        problems.append(f"{pid}: no .nupkg in {folder}")
        continue
    version = max(found[pid], key=version_key)
    nupkg = os.path.join(folder, f"{pid}.{version}.nupkg")
    snupkg = os.path.join(folder, f"{pid}.{version}.snupkg")
    own = []
    with zipfile.ZipFile(nupkg) as z:
        names = z.namelist()
        nuspec_name = next((n for n in names if n.endswith(".nuspec") and "/" not in n), None)
        if nuspec_name is None:
            problems.append(f"{pid}: no nuspec"); continue
        root = ET.fromstring(z.read(nuspec_name))
        ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        md = root.find(f"{ns}metadata")
        if child(md, ns, "id") != pid: own.append(f"id is '{child(md, ns, 'id')}'")
        if child(md, ns, "version") != version: own.append(f"version is '{child(md, ns, 'version')}', file says {version}")
        if not child(md, ns, "description"): own.append("no description")
        if not child(md, ns, "tags"): own.append("no tags")
        lic = md.find(f"{ns}license")
        if lic is None or lic.get("type") != "expression" or (lic.text or "").strip() != "MIT":
            own.append("licence is not the expression MIT")
        repo = md.find(f"{ns}repository")
        if repo is None or not (repo.get("url") or "").startswith("https://") or repo.get("type") != "git":
            own.append("no https git repository url")
        if repo is None or not re.fullmatch(r"[0-9a-f]{40}", repo.get("commit") or ""):
            own.append("no repository commit")
        readme = child(md, ns, "readme")
        if not readme: own.append("no readme")
        elif readme not in names: own.append(f"readme {readme} is not in the package")
        else:
            text = z.read(readme).decode("utf-8")
            # Relative links break on the package page.
            for link in re.findall(r"\]\(([^)]+)\)", text):
                if not re.match(r"https?://|#", link): own.append(f"readme has a relative link: {link}")
        for ext in ("dll", "xml"):
            if f"lib/net10.0/{pid}.{ext}" not in names: own.append(f"no lib/net10.0/{pid}.{ext}")
        deps = {d.get("id"): d.get("version") for d in md.iter(f"{ns}dependency")}
        if pid in providers:
            if deps.get("RunEngine.Data") != f"[{version}]":
                own.append(f"depends on RunEngine.Data '{deps.get('RunEngine.Data')}', expected exactly [{version}]")
        dep_text = ", ".join(f"{k} {v}" for k, v in deps.items()) or "none"
    if not os.path.isfile(snupkg):
        own.append("no .snupkg")
    else:
        with zipfile.ZipFile(snupkg) as z:
            if f"lib/net10.0/{pid}.pdb" not in z.namelist(): own.append(f"no lib/net10.0/{pid}.pdb in the .snupkg")
    problems += [f"{pid} {version}: {p}" for p in own]
    status = "ok" if not own else "FAILED"
    print(f"check-packages: {status}: {pid} {version} (+ .snupkg); repository {repo.get('url') if repo is not None else '-'}"
          f" @ {(repo.get('commit') or '-')[:12] if repo is not None else '-'}; dependencies: {dep_text}")

for p in problems:
    print(f"check-packages: problem: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"check-packages: {len(expected)} packages and their symbol packages are complete")
PY
