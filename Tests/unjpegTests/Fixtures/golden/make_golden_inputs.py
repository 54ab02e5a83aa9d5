#!/usr/bin/env python3
"""Makes the inputs of the pipeline golden test (Tests/unjpegTests/GoldenOutputTests.swift).

tweet_crop.jpg: a 128x72 crop of Examples/tweet.png (text, an avatar edge, white), saved the
way Twitter does it: Pillow quality 85, 4:2:0. The other inputs are the JPEG decoder's
fixtures (a progressive colour file, a grayscale file), referenced in place.
legacy-default.unjm is Models/default.unjm as of commit f5843f0 (the first recipe format), kept
here so the test keeps proving that first-format files clean exactly as before, whatever model
is bundled later. The expected outputs are recorded by Scripts/record_golden_outputs.sh from the pipeline as it
was before the stage redesign (commit f5843f0's algorithms), with the portable GEMM kernel.
"""
from pathlib import Path
from PIL import Image

here = Path(__file__).resolve().parent
root = here.parents[3]
image = Image.open(root / "Examples" / "tweet.png").convert("RGB")
crop = image.crop((16, 16, 16 + 128, 16 + 72))
crop.save(here / "tweet_crop.jpg", quality=85, subsampling=2)
print("wrote", here / "tweet_crop.jpg")
