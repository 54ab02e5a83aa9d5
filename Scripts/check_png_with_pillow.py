#!/usr/bin/env python3
"""Dev-time cross-check: PNGs written by our PNGWriter must decode with Pillow (an
independent decoder: Pillow's own PNG code on zlib-ng) to exactly the samples we encoded.

It runs the Swift test `CrossCheckCorpusTests` with UNJPEG_PNG_CROSSCHECK_DIR set, which
writes the corpus (every pixel format x every compression level x 5 sizes, some with an
iCCP chunk) and each image's samples, then decodes every PNG with Pillow and compares:
8-bit formats and 16-bit gray exactly; 16-bit RGB, which Pillow only loads as 8-bit RGB,
against the high bytes (v >> 8). Also checks that Pillow sees the ICC profile. Exit status
0 if every file matches.

Usage (from the package root): python3 Scripts/check_png_with_pillow.py [--dir DIR] [--no-build]
  --no-build   use PNGs already in DIR instead of running swift test
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

CHANNELS = {"gray8": 1, "grayAlpha8": 2, "rgb8": 3, "rgba8": 4, "gray16": 1, "rgb16": 3}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    out = args.dir or tempfile.mkdtemp(prefix="png_crosscheck_")
    os.makedirs(out, exist_ok=True)
    if not args.no_build:
        env = dict(os.environ, UNJPEG_PNG_CROSSCHECK_DIR=out)
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        r = subprocess.run(["swift", "test", "--filter", "CrossCheckCorpusTests"], cwd=root, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            print(r.stdout[-3000:])
            sys.exit("swift test failed")
    names = sorted(f[:-4] for f in os.listdir(out) if f.endswith(".png"))
    if not names:
        sys.exit(f"no PNG files in {out}")
    bad = 0
    for name in names:
        fmt, _level, size = name.split("_")
        w, h = map(int, size.split("x"))
        ch = CHANNELS[fmt]
        raw = open(os.path.join(out, name + ".samples"), "rb").read()
        if fmt.endswith("16"):
            expected = np.frombuffer(raw, ">u2").reshape(h, w, ch).astype(np.int64)
        else:
            expected = np.frombuffer(raw, np.uint8).reshape(h, w, ch).astype(np.int64)
        im = Image.open(os.path.join(out, name + ".png"))
        im.load()
        got = np.asarray(im).astype(np.int64).reshape(h, w, -1)
        if fmt == "rgb16":
            expected = expected >> 8
        ok = got.shape == expected.shape and (got == expected).all()
        if w == 97 and im.info.get("icc_profile") != b"A" * 500:
            ok = False
        if not ok:
            bad += 1
            print(f"MISMATCH {name}: Pillow mode {im.mode}, shape {got.shape}")
    print(f"{len(names) - bad} of {len(names)} PNGs decode with Pillow {Image.__version__} to the encoded samples "
          f"(16-bit RGB compared on high bytes); files in {out}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
