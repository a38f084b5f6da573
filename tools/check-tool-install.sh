#!/usr/bin/env bash
# The dotnet tool as a user gets it: packs minix318emu into a temporary folder, installs it from
# that folder alone (a NuGet config that clears every other source, so nothing is fetched) into a
# temporary tool path, and runs `minix318emu --version` and a `trace` of the bundled guest from
# outside the repository. .ci/run calls it; one line on success, the failing step's log otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "tool check failed: $1"
    [ -f "$2" ] && tail -n 20 "$2"
    exit 1
}

dotnet pack tools/Minix318Emu.Cli -c Release -o "$tmp/feed" >"$tmp/pack.log" 2>&1 || fail "dotnet pack" "$tmp/pack.log"
# minix318emu.VERSION.nupkg names the per-platform packages (minix318emu.RID.VERSION.nupkg) that
# dotnet tool install chooses from; this machine's is the one installed.
package=$(ls "$tmp/feed"/minix318emu.[0-9]*.nupkg 2>/dev/null | head -n 1)
[ -n "$package" ] || fail "dotnet pack wrote no minix318emu package" "$tmp/pack.log"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)
platform=$(ls "$tmp/feed"/minix318emu."$rid".[0-9]*.nupkg 2>/dev/null | head -n 1)
[ -n "$platform" ] || fail "dotnet pack wrote no minix318emu package for $rid" "$tmp/pack.log"
cat >"$tmp/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$tmp/feed" />
  </packageSources>
</configuration>
XML
dotnet tool install --tool-path "$tmp/tools" --configfile "$tmp/nuget.config" minix318emu >"$tmp/install.log" 2>&1 \
    || fail "dotnet tool install from $tmp/feed" "$tmp/install.log"
version=$("$tmp/tools/minix318emu" --version 2>"$tmp/version.log") || fail "minix318emu --version exited with $?" "$tmp/version.log"
[[ $version == "minix318emu "[0-9]* ]] || fail "minix318emu --version printed '$version'" /dev/null
mkdir "$tmp/work"
(cd "$tmp/work" && "$tmp/tools/minix318emu" trace --out out >"$tmp/trace.log" 2>&1) || fail "minix318emu trace" "$tmp/trace.log"
grep -q "trace and reports written to out" "$tmp/trace.log" || fail "minix318emu trace printed no summary" "$tmp/trace.log"
for f in trace.m318 report.json report.html summary.txt; do
    [ -s "$tmp/work/out/$f" ] || fail "minix318emu trace wrote no $f" "$tmp/trace.log"
done
calls=$(grep -oE "^trace: profile minix318, [0-9]+ calls" "$tmp/trace.log" | grep -oE "[0-9]+ calls")
echo "tool check: $(basename "$package") with $(basename "$platform") ($(( $(stat -c %s "$platform") / 1000000 )) MB) installed from its own folder; '$version'; trace of the bundled guest: $calls"
