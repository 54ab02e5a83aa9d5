#!/usr/bin/env python3
"""Writes the progressive, orientation and damaged-file fixtures with Pillow, and Pillow's
decode of each (dev-time only; needs Pillow 13 and numpy, and the training photos that
make_decoder_fixtures.py uses):
    python3 Tests/JPEGCodecTests/Fixtures/make_progressive_fixtures.py [TRAIN_PNG_DIR]
Outputs, in progressive/ next to this script:
  NAME.jpg + NAME.ppm/.pgm/.fnv   as in make_decoder_fixtures.py (reference = Pillow's decode;
                                  for truncated files with ImageFile.LOAD_TRUNCATED_IMAGES)
  MANIFEST.tsv                    name, kind, twin, note
      kind: progressive | baseline-twin | oriented (reference is ImageOps.exif_transpose
            of the decode) | truncated (reference decoded with LOAD_TRUNCATED_IMAGES)
      twin: for a progressive file saved from the same pixels at the same quality and
            subsampling as a baseline file, that file's name (their quantized coefficients
            must be equal), else -
"""
import io
import os
import sys

from PIL import Image, ImageFile, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_decoder_fixtures as base  # noqa: E402  (photo(), write_reference())

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "progressive")
SUB = {"444": 0, "422": 1, "420": 2}


def save(im, name, manifest, kind="progressive", twin="-", note="", **kw):
    path = os.path.join(OUT, name + ".jpg")
    im.save(path, "JPEG", **kw)
    ref = Image.open(path)
    ref.load()
    if kind == "oriented":
        ref = ImageOps.exif_transpose(ref)
    base.write_reference(os.path.join(OUT, name), ref)
    manifest.append((name, kind, twin, note))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    manifest = []
    # Qualities × subsamplings at two sizes.
    for q in (50, 75, 85, 95):
        for s, code in SUB.items():
            for (w, h, idx) in ((33, 17, 3), (100, 75, 4)):
                im = base.photo(idx, w, h, 40, 30)
                save(im, f"prog_{w}x{h}_q{q}_{s}", manifest, quality=q, subsampling=code,
                     progressive=True)
    # Tiny and odd sizes.
    for (w, h) in ((1, 1), (7, 9), (2, 31)):
        for s, code in SUB.items():
            save(base.photo(5, w, h, 10, 10), f"prog_{w}x{h}_q85_{s}", manifest, quality=85,
                 subsampling=code, progressive=True)
    # Restart intervals (in MCU blocks and in MCU rows).
    im = base.photo(6, 100, 75, 20, 20)
    save(im, "prog_100x75_q85_420_rst3", manifest, quality=85, subsampling=2, progressive=True,
         restart_marker_blocks=3)
    save(im, "prog_100x75_q85_444_rst1", manifest, quality=85, subsampling=0, progressive=True,
         restart_marker_blocks=1)
    save(im, "prog_100x75_q75_422_rstrow", manifest, quality=75, subsampling=1, progressive=True,
         restart_marker_rows=1)
    # Grayscale.
    save(im.convert("L"), "prog_gray_100x75_q85", manifest, quality=85, progressive=True)
    save(im.convert("L"), "prog_gray_33x17_q50_rst2", manifest, quality=50, progressive=True,
         restart_marker_blocks=2)
    # Baseline twins: same pixels, quality and subsampling → equal coefficients.
    for (w, h, q, s, idx) in ((100, 75, 85, "420", 7), (257, 190, 85, "420", 8), (64, 48, 95, "444", 9)):
        im = base.photo(idx, w, h, 0, 0)
        b = f"twin_{w}x{h}_q{q}_{s}_baseline"
        save(im, b, manifest, kind="baseline-twin", quality=q, subsampling=SUB[s])
        save(im, f"twin_{w}x{h}_q{q}_{s}_progressive", manifest, twin=b, quality=q,
             subsampling=SUB[s], progressive=True)
    # A bigger one (reference is a hash).
    save(base.photo(10, 400, 300, 0, 0), "prog_400x300_q85_420", manifest, quality=85,
         subsampling=2, progressive=True)
    # EXIF orientation 1…8 (a 33×17 photo so that transposes show).
    for o in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = o
        save(base.photo(11, 33, 17, 5, 5), f"orient_{o}_33x17_q85_420", manifest, kind="oriented",
             note=f"orientation {o}", quality=85, subsampling=2, progressive=(o % 2 == 0),
             exif=exif.tobytes())
    # Truncated files: the data stops inside a scan (no EOI); libjpeg fills the rest.
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    im = base.photo(12, 100, 75, 0, 0)
    for name, kw, frac in (("trunc_baseline_100x75_q85_420", {}, 0.6),
                           ("trunc_baseline_100x75_q85_420_rst2", {"restart_marker_blocks": 2}, 0.5),
                           ("trunc_prog_100x75_q85_420", {"progressive": True}, 0.7),
                           ("trunc_prog_100x75_q85_420_early", {"progressive": True}, 0.1),
                           ("trunc_prog_100x75_q85_444_rst4", {"progressive": True, "restart_marker_blocks": 4}, 0.8)):
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85, subsampling=0 if "444" in name else 2, **kw)
        data = buf.getvalue()
        sos = data.index(b"\xff\xda")
        data = data[:max(int(len(data) * frac), sos + 100)]
        with open(os.path.join(OUT, name + ".jpg"), "wb") as f:
            f.write(data)
        ref = Image.open(io.BytesIO(data))
        ref.load()
        base.write_reference(os.path.join(OUT, name), ref)
        manifest.append((name, "truncated", "-", f"first {frac:.0%} of the file (at least 100 bytes after the first SOS)"))
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with open(os.path.join(OUT, "MANIFEST.tsv"), "w") as f:
        f.write("name\tkind\ttwin\tnote\n")
        for row in manifest:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(manifest)} fixtures")


if __name__ == "__main__":
    main()
