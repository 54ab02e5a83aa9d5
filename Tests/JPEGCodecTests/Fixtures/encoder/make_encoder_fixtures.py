#!/usr/bin/env python3
"""Dev-time generator of the encoder fixtures (not needed to build or test).

Saves small clean images as binary PPM (RGB) / PGM (gray) and Pillow's JPEG of each under
a representative set of options, and writes MANIFEST.txt, one fixture per line:

    jpeg  input  quality  subsampling  optimize  restart_blocks  restart_rows  icc  qtables

subsampling is Pillow's (0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0, - for gray); icc/qtables name a
file in this folder or are "-". EncoderTests.swift encodes every input with the same
options and requires byte equality with the JPEG.

Usage: python3 make_encoder_fixtures.py [PHOTO_DIR]   (default ../../../../../shared/data/train
relative to the repository, i.e. /work/shared/data/train)
"""
import glob, io, os, sys
import numpy as np
from PIL import Image, features

HERE = os.path.dirname(os.path.abspath(__file__))
PHOTOS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/train"


def save_input(name, im):
    ext = "ppm" if im.mode == "RGB" else "pgm"
    path = os.path.join(HERE, f"{name}.{ext}")
    im.save(path)  # Pillow writes binary P6/P5 with maxval 255
    return os.path.basename(path)


def synthetic_text(w, h, seed):
    """Dark strokes on white, like rendered text: sharp edges, flat background."""
    rng = np.random.default_rng(seed)
    a = np.full((h, w, 3), 255, np.uint8)
    y = 3
    while y + 7 < h:
        x = 2
        while x + 4 < w:
            gw = int(rng.integers(2, 5))
            glyph = rng.random((7, gw)) < 0.45
            color = rng.integers(0, 90, 3)
            a[y:y + 7, x:x + gw][glyph] = color
            x += gw + 1 + int(rng.integers(0, 3) == 0) * 2
        y += 10
    return Image.fromarray(a, "RGB")


def gradient(w, h, gray=False):
    yy, xx = np.mgrid[0:h, 0:w]
    r = (xx * 255 // max(w - 1, 1)).astype(np.uint8)
    g = (yy * 255 // max(h - 1, 1)).astype(np.uint8)
    b = ((xx + yy) * 255 // max(w + h - 2, 1)).astype(np.uint8)
    if gray:
        return Image.fromarray(((r.astype(int) + g) // 2).astype(np.uint8), "L")
    return Image.fromarray(np.stack([r, g, b], -1), "RGB")


def main():
    for f in glob.glob(os.path.join(HERE, "*")):
        if not f.endswith(".py"):
            os.remove(f)
    photos = sorted(glob.glob(os.path.join(PHOTOS, "photo_*.png")))
    p0 = Image.open(photos[0]).convert("RGB")
    p1 = Image.open(photos[7]).convert("RGB")
    p2 = Image.open(photos[21]).convert("RGB")

    rgb = {
        "photo64x48": p0.crop((200, 150, 264, 198)),
        "photo37x29": p1.crop((101, 77, 138, 106)),
        "text83x41": synthetic_text(83, 41, 1),
        "white16x16": Image.new("RGB", (16, 16), (255, 255, 255)),
        "gradient33x17": gradient(33, 17),
        "pixel1x1": Image.new("RGB", (1, 1), (200, 30, 90)),
        "photo7x9": p1.crop((300, 200, 307, 209)),
        # Even height that is not a whole number of 4:2:0 MCU rows: the chroma rows below
        # the image repeat the last chroma row (an average of two image rows).
        "photo45x22": p0.crop((400, 300, 445, 322)),
        # Full-range noise: large coefficients, long Huffman codes, many 0xFF bytes.
        "noise24x18": Image.fromarray(np.random.default_rng(3).integers(0, 256, (18, 24, 3), dtype=np.uint8), "RGB"),
    }
    gray = {
        "grayphoto40x24": p2.crop((50, 60, 90, 84)).convert("L"),
        "graytext45x30": synthetic_text(45, 30, 2).convert("L"),
        "graygradient23x31": gradient(23, 31, gray=True),
        "graypixel1x1": Image.new("L", (1, 1), 77),
        "grayphoto7x9": p2.crop((10, 10, 17, 19)).convert("L"),
        "graynoise20x14": Image.fromarray(np.random.default_rng(4).integers(0, 256, (14, 20), dtype=np.uint8), "L"),
    }
    big = p2.crop((0, 0, 771, 517)) if p2.size[0] >= 771 and p2.size[1] >= 517 else \
        p2.resize((771, 517), Image.LANCZOS)

    with open(os.path.join(HERE, "icc_small.bin"), "wb") as f:
        f.write(bytes((i * 37 + 11) % 256 for i in range(300)))
    with open(os.path.join(HERE, "icc_large.bin"), "wb") as f:
        f.write(bytes((i * 13 + 5) % 251 for i in range(70000)))  # 2 APP2 chunks
    custom = [[(i * 7) % 60 + 1 for i in range(64)], [(i * 11) % 90 + 2 for i in range(64)]]
    with open(os.path.join(HERE, "qtables_two.txt"), "w") as f:
        for t in custom:
            f.write(" ".join(map(str, t)) + "\n")
    with open(os.path.join(HERE, "qtables_one.txt"), "w") as f:
        f.write(" ".join(map(str, custom[0])) + "\n")
    # Luma entries above 255: 16-bit DQT and an SOF1 frame.
    with open(os.path.join(HERE, "qtables_wide.txt"), "w") as f:
        f.write(" ".join(str(300 + 5 * i) for i in range(64)) + "\n")
        f.write(" ".join(["2"] * 64) + "\n")

    lines = []

    def emit(name, im, input_name, quality=None, sub=None, opt=False, rb=0, rr=0, icc=None,
             qtables=None, tag=""):
        kw = {"optimize": opt}
        parts = [name]
        if quality is not None:
            kw["quality"] = quality
            parts.append(f"q{quality}")
        if sub is not None:
            kw["subsampling"] = sub
            parts.append(f"s{sub}")
        if opt:
            parts.append("opt")
        if rb:
            kw["restart_marker_blocks"] = rb
            parts.append(f"rb{rb}")
        if rr:
            kw["restart_marker_rows"] = rr
            parts.append(f"rr{rr}")
        if icc:
            kw["icc_profile"] = open(os.path.join(HERE, icc), "rb").read()
            parts.append(icc.split(".")[0])
        if qtables:
            kw["qtables"] = [list(map(int, l.split())) for l in open(os.path.join(HERE, qtables))]
            parts.append(qtables.split(".")[0])
        if tag:
            parts.append(tag)
        out = "_".join(parts) + ".jpg"
        buf = io.BytesIO()
        im.save(buf, "JPEG", **kw)
        data = buf.getvalue()
        with open(os.path.join(HERE, out), "wb") as f:
            f.write(data)
        # Sanity: Pillow decodes its own file close to the source.
        dec = np.asarray(Image.open(io.BytesIO(data)).convert(im.mode), np.float64)
        mse = np.mean((dec - np.asarray(im, np.float64)) ** 2)
        assert mse < (6000 if name.startswith(("noise", "graynoise")) else 2000), (out, mse)
        lines.append(" ".join(map(str, [
            out, input_name, quality if quality is not None else 75,
            sub if sub is not None else ("-" if im.mode == "L" else 2),
            int(opt), rb, rr, icc or "-", qtables or "-"])))

    for name, im in rgb.items():
        inp = save_input(name, im)
        for q in (50, 75, 85, 95, 100):
            for sub in (0, 1, 2):
                for opt in (False, True):
                    emit(name, im, inp, q, sub, opt)
    for name, im in gray.items():
        inp = save_input(name, im)
        for q in (50, 75, 85, 95, 100):
            for opt in (False, True):
                emit(name, im, inp, q, None, opt)
    # Defaults (quality 75, 4:2:0), low qualities (scale 5000/q), restarts, ICC, tables.
    emit("photo64x48", rgb["photo64x48"], "photo64x48.ppm")
    emit("graytext45x30", gray["graytext45x30"], "graytext45x30.pgm")
    for q in (1, 10, 25):
        emit("photo37x29", rgb["photo37x29"], "photo37x29.ppm", q, 2, q == 10)
        emit("grayphoto40x24", gray["grayphoto40x24"], "grayphoto40x24.pgm", q, None, q == 25)
    for opt in (False, True):
        emit("text83x41", rgb["text83x41"], "text83x41.ppm", 85, 2, opt, rb=3)
        emit("photo64x48", rgb["photo64x48"], "photo64x48.ppm", 85, 1, opt, rr=1)
        emit("photo37x29", rgb["photo37x29"], "photo37x29.ppm", 90, 0, opt, rb=1)
        emit("graytext45x30", gray["graytext45x30"], "graytext45x30.pgm", 85, None, opt, rb=5)
        emit("grayphoto40x24", gray["grayphoto40x24"], "grayphoto40x24.pgm", 75, None, opt, rr=2)
    emit("photo64x48", rgb["photo64x48"], "photo64x48.ppm", 85, 2, False, icc="icc_small.bin")
    emit("gradient33x17", rgb["gradient33x17"], "gradient33x17.ppm", 85, 2, True, icc="icc_large.bin")
    emit("photo37x29", rgb["photo37x29"], "photo37x29.ppm", None, 2, False, qtables="qtables_two.txt")
    emit("photo37x29", rgb["photo37x29"], "photo37x29.ppm", None, 0, True, qtables="qtables_one.txt")
    emit("grayphoto40x24", gray["grayphoto40x24"], "grayphoto40x24.pgm", None, None, False,
         qtables="qtables_one.txt")
    emit("photo37x29", rgb["photo37x29"], "photo37x29.ppm", None, 1, False, qtables="qtables_wide.txt")
    # The big odd-sized image: few variants.
    inp = save_input("photo771x517", big)
    emit("photo771x517", big, inp, 85, 2, False)
    emit("photo771x517", big, inp, 75, 0, True)
    emit("photo771x517", big, inp, 95, 1, False, rr=2)
    emit("photo45x22", rgb["photo45x22"], "photo45x22.ppm", 85, 2, True, rb=2)

    with open(os.path.join(HERE, "MANIFEST.txt"), "w") as f:
        f.write(f"# Pillow {Image.__version__ if hasattr(Image, '__version__') else ''} "
                f"libjpeg-turbo {features.version('libjpeg_turbo')}\n")
        f.write("\n".join(lines) + "\n")
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(HERE, "*")))
    print(f"{len(lines)} fixtures, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
