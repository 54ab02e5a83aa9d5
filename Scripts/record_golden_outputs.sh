#!/usr/bin/env bash
# Records the expected outputs of Tests/unjpegTests/GoldenOutputTests.swift: `unjpeg clean` on
# the golden inputs with both bundled models, without the network, and with the classical
# steps off, the GEMM kernel pinned to the portable one (so the outputs hold on any CPU).
# Run it only to re-record after a deliberate change of the pipeline's output, and say why in
# the commit. Usage: Scripts/record_golden_outputs.sh [path/to/unjpeg]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/unjpeg}"
golden=Tests/unjpegTests/Fixtures/golden
fixtures=Tests/JPEGCodecTests/Fixtures
export UNJPEG_GEMM_KERNEL=portable
# name | input | options (must match GoldenOutputTests.cases)
while IFS='|' read -r name input options; do
  [ -z "$name" ] && continue
  # shellcheck disable=SC2086
  "$bin" clean "$input" -o "$golden/$name.png" $options
  echo "recorded $golden/$name.png"
done < "$golden/CASES.txt"
