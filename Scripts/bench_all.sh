#!/usr/bin/env bash
# Runs every `unjpeg bench` beside the reference tool that anchors it, on the same inputs, in
# one session, and prints both tables. Dev-time measuring instrument: needs Python 3 with numpy,
# Pillow and threadpoolctl, and Debian's libjpeg-turbo-progs for the cjpeg/djpeg rows.
#
#   Scripts/bench_all.sh [SHARED_DIR] [WORK_DIR]
#
# Run it on an idle machine: the 2-thread rows mean nothing when another process is busy.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
work=${2:-/tmp/unjpeg-bench}
mkdir -p "$work"
swift build -c release --product unjpeg >/dev/null
bin=.build/release/unjpeg
tools="$shared/tools"
blas_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

if [ ! -f "$work/mosaic.ppm" ]; then
  python3 "$tools/make_test_image.py" "$work/mosaic" "$shared"/data/train/photo_*.png >/dev/null
fi
if [ ! -f "$work/mosaic_q85.jpg" ]; then
  python3 - "$work" <<'PY'
import sys
from PIL import Image
w = sys.argv[1]
im = Image.open(f"{w}/mosaic.ppm")
im.save(f"{w}/mosaic_q85.jpg", quality=85, subsampling=2)
im.save(f"{w}/mosaic_q85_progressive.jpg", quality=85, subsampling=2, progressive=True)
PY
fi

echo "## JPEG decode and encode (12 MP, q85 4:2:0)"
"$bin" bench decode "$work/mosaic_q85.jpg" "$work/mosaic_q85_progressive.jpg" || true
"$bin" bench encode "$work/mosaic.ppm"
python3 "$tools/jpeg_bench.py" "$work/mosaic.ppm" --workdir "$work"

echo "## PNG (12 MP photo mosaic)"
"$bin" bench png "$work/mosaic.png"
python3 "$tools/png_bench.py" "$work/mosaic.png"

echo "## GEMM"
"$bin" bench gemm --threads 1,2
"${blas_env[@]}" python3 "$tools/sgemm_bench.py"

echo "## MLP training and inference"
"$bin" bench train --threads 1,2
"$bin" bench infer --threads 1,2
"${blas_env[@]}" python3 "$tools/mlp_numpy_bench.py" --threads 1
"${blas_env[@]}" python3 "$tools/mlp_numpy_bench.py" --threads 2

echo "## Cleaning cost (CPU-seconds per megapixel; q85 4:2:0 validation images)"
for name in photo_02 screen_02 screen_04; do
  [ -f "$work/$name.jpg" ] || python3 -c "from PIL import Image; Image.open('$shared/data/valid/$name.png').convert('RGB').save('$work/$name.jpg', quality=85, subsampling=2)"
done
files=("$work/photo_02.jpg" "$work/screen_02.jpg" "$work/screen_04.jpg")
echo "### default model (128 wide)"; "$bin" bench clean --threads 1,2 "${files[@]}"
echo "### large model (1024 wide)";   "$bin" bench clean --threads 1,2 --model Models/large.unjm "${files[@]}"
echo "### classical steps only";       "$bin" bench clean --threads 1 --no-network "${files[@]}"
