#!/usr/bin/env bash
# Builds the fully static, stripped `unjpeg` (no shared library at all, not even libc) and
# installs it with its model under a prefix:
#   PREFIX/bin/unjpeg
#   PREFIX/share/unjpeg/default.unjm   (found by the binary as ../share/unjpeg/default.unjm)
# Usage: Scripts/install_static.sh [PREFIX]        (default /usr/local)
# UNJPEG_TARGET_CPU (default here: haswell, any AVX2 CPU) chooses the CPU the code is built
# for; see README "Building for a CPU".
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
export UNJPEG_TARGET_CPU="${UNJPEG_TARGET_CPU:-haswell}"
swift build -c release -Xswiftc -static-executable -Xlinker -s --scratch-path .build/static
binary=.build/static/release/unjpeg
install -d "$prefix/bin" "$prefix/share/unjpeg"
install -m 755 "$binary" "$prefix/bin/unjpeg"
install -m 644 Models/default.unjm "$prefix/share/unjpeg/default.unjm"
echo "installed $prefix/bin/unjpeg ($(du -h "$binary" | cut -f1), $(ldd "$binary" 2>&1 | tr -d '\t')) and $prefix/share/unjpeg/default.unjm"
