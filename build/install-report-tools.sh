#!/usr/bin/env bash
# Installs from Debian, when missing and we are root, what the report tests need beyond the .NET SDK: Chromium
# (/usr/bin/chromium, for the headless browser test of report.html) and a font (fonts-dejavu-core, without which Skia
# draws charts with no text). Idempotent and quiet; it never fails the set-up: when it cannot install, it prints why and
# the browser test skips with a reason.
# Usage: bash build/install-report-tools.sh
set -uo pipefail

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if [[ ! -d /usr/share/fonts ]] || [[ -z "$(find /usr/share/fonts -name '*.ttf' -print -quit 2>/dev/null)" ]]; then
    missing+=(fonts-dejavu-core)
fi
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "chromium and fonts are installed"
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "setup: ${missing[*]} missing and not root, so not installed; the report browser test will skip (install them with apt-get as root)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: ${missing[*]} missing and there is no apt-get; the report browser test will skip"
    exit 0
fi
echo "installing ${missing[*]} with apt-get"
log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >"$log" 2>&1 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    echo "installed ${missing[*]}"
else
    echo "setup: installing ${missing[*]} failed; the report browser test will skip. apt-get said:"
    tail -n 5 "$log"
fi
rm -f "$log"
exit 0
