#!/usr/bin/env bash
# Renders an `unjpeg eval --report` page with headless Chromium, to look at it as a browser
# shows it (from disk, no server, no network).
#
#   Scripts/render_report.sh REPORT_DIR [OUT.png] [WIDTHxHEIGHT]
#
# REPORT_DIR holds index.html; OUT.png defaults to REPORT_DIR/screenshot.png, the window to
# 1280x2400 (the screenshot is the window: make it tall enough for what you want to see).
# Needs Debian's chromium (apt-get install -y chromium). Runs with --no-sandbox, which is
# needed as root in a container; the page is our own file.
set -euo pipefail
dir=${1:?usage: render_report.sh REPORT_DIR [OUT.png] [WIDTHxHEIGHT]}
out=${2:-$dir/screenshot.png}
size=${3:-1280x2400}
page=$(cd "$dir" && pwd)/index.html
[ -f "$page" ] || { echo "no index.html in $dir" >&2; exit 1; }
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not found (apt-get install -y chromium)" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size="${size/x/,}" --screenshot="$out" "file://$page" 2>/dev/null
echo "$out"
