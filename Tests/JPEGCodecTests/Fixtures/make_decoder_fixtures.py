#!/usr/bin/env python3
"""Writes the decoder fixtures: small JPEGs made with Pillow (and cjpeg, when installed)
and Pillow's decode of each.

Run from anywhere (dev-time only; needs Pillow 13 and numpy; cjpeg from libjpeg-turbo-progs
for the sampling factors and scan layouts Pillow cannot write):

    python3 Tests/JPEGCodecTests/Fixtures/make_decoder_fixtures.py [TRAIN_PNG_DIR] [CONFORMANCE_DIR]

Outputs, next to this script:
  decoder/NAME.jpg      the JPEG
  decoder/NAME.ppm      Pillow's decode (binary PPM; .pgm for grayscale; .fnv = size and
                        FNV-1a 64 hash of the samples when they exceed 100 kB), the reference
  decoder/MANIFEST.tsv  name, expected orientation, expected ICC length (or -), note
  conformance/...       copies of conformance JPEGs plus references made from their
                        .pillow.png files, and conformance/MANIFEST.tsv (the copied rows)
  coefficients.txt      hand-derived DC values of the flat-block files (see below)
  coefficients_photo_100x75_q85_420_rst3.txt
                        every quantized coefficient of that file, from the small Python
                        baseline decoder in this script
"""
import csv
import io
import os
import shutil
import struct
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def find_shared():
    """The project's sibling `shared` folder (../shared from the repository root, or further up
    for a worktree checkout)."""
    d = HERE
    while d != os.path.dirname(d):
        d = os.path.dirname(d)
        if os.path.isdir(os.path.join(d, "shared", "conformance")):
            return os.path.join(d, "shared")
    return os.path.join(HERE, "../../../../shared")


SHARED = find_shared()
TRAIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SHARED, "data/train")
CONF = sys.argv[2] if len(sys.argv) > 2 else os.path.join(SHARED, "conformance/jpeg")
OUT = os.path.join(HERE, "decoder")
COUT = os.path.join(HERE, "conformance")


ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34,
          27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37,
          44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]


def baseline_coefficients(data):
    """A small, independent baseline decoder (T.81 F.2.2) that stops at the quantized
    coefficients: one interleaved scan, Huffman tables from DHT, restart intervals.
    Returns [(component id, blocks wide, blocks high, [coefficients, natural order])]."""
    tables, comps, dri = {}, [], 0
    i = 2
    while True:
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        body = data[i + 4:i + 2 + length]
        if marker == 0xC4:
            j = 0
            while j < len(body):
                tc, th = body[j] >> 4, body[j] & 15
                counts = body[j + 1:j + 17]
                symbols = body[j + 17:j + 17 + sum(counts)]
                codes, code, k = {}, 0, 0
                for bits in range(1, 17):
                    for _ in range(counts[bits - 1]):
                        codes[(bits, code)] = symbols[k]
                        code += 1
                        k += 1
                    code <<= 1
                tables[(tc, th)] = codes
                j += 17 + sum(counts)
        elif marker == 0xC0:
            height, width = struct.unpack(">HH", body[1:5])
            for c in range(body[5]):
                cid, hv = body[6 + 3 * c], body[7 + 3 * c]
                comps.append({"id": cid, "h": hv >> 4, "v": hv & 15})
        elif marker == 0xDD:
            dri = struct.unpack(">H", body[:2])[0]
        elif marker == 0xDA:
            n = body[0]
            for c in range(n):
                sel = body[2 + 2 * c]
                comps[c]["dc"], comps[c]["ac"] = tables[(0, sel >> 4)], tables[(1, sel & 15)]
            start = i + 2 + length
            break
        i += 2 + length
    # Split the entropy-coded data at RST markers and remove the stuffing.
    intervals, cur, j = [], bytearray(), start
    while True:
        b = data[j]
        if b == 0xFF:
            nxt = data[j + 1]
            if nxt == 0x00:
                cur.append(0xFF)
                j += 2
                continue
            if 0xD0 <= nxt <= 0xD7:
                intervals.append(bytes(cur))
                cur = bytearray()
                j += 2
                continue
            intervals.append(bytes(cur))
            break
        cur.append(b)
        j += 1
    hmax, vmax = max(c["h"] for c in comps), max(c["v"] for c in comps)
    mcux, mcuy = -(-width // (8 * hmax)), -(-height // (8 * vmax))
    for c in comps:
        c["bw"], c["bh"] = mcux * c["h"], mcuy * c["v"]
        c["coef"] = [0] * (c["bw"] * c["bh"] * 64)

    class Bits:
        def __init__(self, b):
            self.b, self.pos = b, 0

        def bit(self):
            byte = self.b[self.pos >> 3] if (self.pos >> 3) < len(self.b) else 0
            self.pos += 1
            return (byte >> (7 - ((self.pos - 1) & 7))) & 1

        def get(self, n):
            v = 0
            for _ in range(n):
                v = (v << 1) | self.bit()
            return v

        def symbol(self, codes):
            code = 0
            for bits in range(1, 17):
                code = (code << 1) | self.bit()
                if (bits, code) in codes:
                    return codes[(bits, code)]
            raise ValueError("bad code")

    def extend(v, s):
        return v - (1 << s) + 1 if s and v < (1 << (s - 1)) else v

    mcus_per_interval = dri if dri else mcux * mcuy
    for m in range(mcux * mcuy):
        if m % mcus_per_interval == 0:
            reader = Bits(intervals[m // mcus_per_interval])
            pred = [0] * len(comps)
        my, mx = divmod(m, mcux)
        for ci, c in enumerate(comps):
            for by in range(c["v"]):
                for bx in range(c["h"]):
                    base = ((my * c["v"] + by) * c["bw"] + mx * c["h"] + bx) * 64
                    s = reader.symbol(c["dc"])
                    pred[ci] += extend(reader.get(s), s)
                    c["coef"][base] = pred[ci]
                    k = 1
                    while k < 64:
                        rs = reader.symbol(c["ac"])
                        r, s = rs >> 4, rs & 15
                        if s:
                            k += r
                            c["coef"][base + ZIGZAG[k]] = extend(reader.get(s), s)
                        elif r != 15:
                            break
                        else:
                            k += 15
                        k += 1
    return [(c["id"], c["bw"], c["bh"], c["coef"]) for c in comps]


def write_reference(path_noext, im):
    """Pillow's decode as binary PGM (L) or PPM (RGB); for references over 100 kB only the
    FNV-1a 64-bit hash of the raw samples (width, height, channels, hash in a .fnv file),
    to keep the repository small."""
    if im.mode != "L":
        im = im.convert("RGB")
    raw = im.tobytes()
    if len(raw) > 100_000:
        with open(path_noext + ".fnv", "w") as f:
            f.write(f"{im.width} {im.height} {len(im.getbands())} {fnv1a64_fast(raw):016x}\n")
        return
    im.save(path_noext + (".pgm" if im.mode == "L" else ".ppm"))


def fnv1a64_fast(data):
    """FNV-1a, 64-bit: h = (h XOR byte) * 0x100000001B3 mod 2^64, from 0xCBF29CE484222325."""
    h = 0xCBF29CE484222325
    prime = 0x100000001B3
    mask = 0xFFFFFFFFFFFFFFFF
    for b in data:
        h = ((h ^ b) * prime) & mask
    return h


manifest = []


def emit(name, data, note, orientation=1, icc=None):
    with open(os.path.join(OUT, name + ".jpg"), "wb") as f:
        f.write(data)
    im = Image.open(io.BytesIO(data))
    im.load()
    if im.mode not in ("L", "RGB"):
        raise SystemExit(f"{name}: unexpected mode {im.mode}")
    write_reference(os.path.join(OUT, name), im)
    manifest.append((name, str(orientation), str(len(icc)) if icc else "-", note))


def encode(im, **kw):
    b = io.BytesIO()
    im.save(b, "JPEG", **kw)
    return b.getvalue()


def photo(index, w, h, x=0, y=0):
    names = sorted(n for n in os.listdir(TRAIN) if n.startswith("photo_"))
    im = Image.open(os.path.join(TRAIN, names[index])).convert("RGB")
    return im.crop((x, y, x + w, y + h))


def text_like(w, h, seed=1):
    """Black glyph-like strokes on white with a coloured banner: sharp edges for ringing."""
    rng = np.random.default_rng(seed)
    a = np.full((h, w, 3), 250, np.uint8)
    a[: max(1, h // 6), :, :] = (30, 90, 200)
    for row in range(h // 6 + 2, h - 6, 9):
        x = 2
        while x < w - 6:
            gw = int(rng.integers(2, 6))
            a[row:row + 6, x:x + gw, :] = (20, 20, 20)
            a[row + 2:row + 3, x:x + gw + 1, :] = (200, 30, 30) if rng.random() < 0.1 else (20, 20, 20)
            x += gw + int(rng.integers(1, 4))
    return Image.fromarray(a, "RGB")


def replace_app0_with_adobe(data, transform):
    """Drops JFIF APP0 segments and inserts an Adobe APP14 with the given transform."""
    assert data[:2] == b"\xff\xd8"
    out = bytearray(b"\xff\xd8")
    adobe = b"Adobe" + bytes([0, 100, 0, 0, 0, 0, transform])
    out += b"\xff\xee" + struct.pack(">H", len(adobe) + 2) + adobe
    i = 2
    while True:
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xDA:
            out += data[i:]
            return bytes(out)
        if marker != 0xE0:
            out += data[i:i + 2 + length]
        i += 2 + length


def strip_segments(data, marker):
    """Removes every marker segment of the given type before the first scan."""
    out = bytearray(data[:2])
    i = 2
    while True:
        m = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if m == 0xDA:
            out += data[i:]
            return bytes(out)
        if m != marker:
            out += data[i:i + 2 + length]
        i += 2 + length


def insert_segment(data, segment):
    return data[:2] + segment + data[2:]


def exif_big_endian(orientation):
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHI", 0x0112, 3, 1) + struct.pack(">HH", orientation, 0) + struct.pack(">I", 0)
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))

    # Qualities, 4:2:0, photo crop 100x75.
    p = photo(0, 100, 75, 300, 200)
    for q in (10, 50, 75, 85, 95, 100):
        emit(f"photo_100x75_q{q}_420", encode(p, quality=q, subsampling=2), f"quality {q}")
    # Subsamplings x sizes, q85.
    for (w, h) in ((1, 1), (7, 9), (33, 17), (100, 75)):
        src = photo(3, w, h, 200, 150)
        for ss, tag in ((0, "444"), (1, "422"), (2, "420")):
            emit(f"photo_{w}x{h}_q85_{tag}", encode(src, quality=85, subsampling=ss), f"{tag} {w}x{h}")
    for (w, h) in ((2, 2), (3, 5), (4, 4), (5, 3), (16, 16), (17, 9)):
        emit(f"photo_{w}x{h}_q75_420", encode(photo(5, w, h, 100, 100), quality=75, subsampling=2), "tiny 4:2:0 edges")
    # Text-like content.
    t = text_like(100, 75)
    for ss, tag in ((0, "444"), (2, "420")):
        emit(f"text_100x75_q50_{tag}", encode(t, quality=50, subsampling=ss), "synthetic text")
    # Big ones (kept to two).
    emit("photo_771x517_q85_420", encode(photo(7, 771, 517, 20, 10), quality=85, subsampling=2), "large 4:2:0")
    emit("text_301x203_q75_422", encode(text_like(301, 203, 3), quality=75, subsampling=1), "text 4:2:2")
    # Restart intervals.
    emit("photo_100x75_q85_420_rst3", encode(p, quality=85, subsampling=2, restart_marker_blocks=3), "DRI 3 MCUs")
    emit("photo_100x75_q85_444_rst1", encode(p, quality=85, subsampling=0, restart_marker_blocks=1), "DRI 1 MCU")
    emit("photo_33x17_q75_422_rstrow", encode(photo(3, 33, 17, 200, 150), quality=75, subsampling=1,
                                               restart_marker_rows=1), "DRI one MCU row")
    # Grayscale.
    g = p.convert("L")
    for q in (50, 95):
        emit(f"gray_100x75_q{q}", encode(g, quality=q), "grayscale")
    emit("gray_7x9_q85", encode(photo(3, 7, 9, 200, 150).convert("L"), quality=85), "grayscale tiny")
    emit("gray_33x17_q75_rst2", encode(photo(3, 33, 17, 9, 9).convert("L"), quality=75, restart_marker_blocks=2),
         "grayscale with restarts")
    # Adobe APP14 transform 0: RGB samples stored as they are. Pillow writes a "YCbCr" image
    # without conversion, so handing it RGB data as YCbCr stores R, G, B; then the JFIF
    # marker is swapped for an Adobe one so libjpeg reads the components as RGB.
    rgb = photo(9, 48, 40, 50, 60)
    raw = encode(Image.merge("YCbCr", rgb.split()), quality=90, subsampling=0)
    emit("adobe_rgb_48x40_q90", replace_app0_with_adobe(raw, 0), "Adobe transform 0 (RGB)")
    raw = encode(Image.merge("YCbCr", rgb.split()), quality=90, subsampling=2)
    emit("adobe_rgb_48x40_q90_420", replace_app0_with_adobe(raw, 0), "Adobe transform 0 (RGB), subsampled")
    emit("adobe_ycc_48x40_q90", replace_app0_with_adobe(encode(rgb, quality=90), 1), "Adobe transform 1 (YCbCr)")
    # Motion-JPEG style: Pillow writes the Annex K tables; without the DHT segments libjpeg
    # (and we) must fall back to exactly those tables.
    emit("nodht_100x75_q85_420", strip_segments(encode(p, quality=85, subsampling=2), 0xC4), "no DHT (standard tables)")
    # EXIF orientation, both byte orders, and a multi-chunk ICC profile.
    exif = Image.Exif()
    exif[0x0112] = 6
    emit("exif_le_orientation6", encode(photo(2, 24, 16), quality=80, exif=exif.tobytes()), "Exif II", orientation=6)
    emit("exif_be_orientation8", insert_segment(encode(photo(2, 24, 16), quality=80), exif_big_endian(8)),
         "Exif MM", orientation=8)
    icc = bytes((i * 7 + 3) % 256 for i in range(70_000))
    emit("icc_2chunks", encode(photo(2, 16, 16), quality=80, icc_profile=icc), "ICC in 2 APP2 chunks", icc=icc)

    # Sampling factors and scan layouts Pillow cannot write, via libjpeg-turbo's cjpeg
    # (Debian: libjpeg-turbo-progs); skipped when cjpeg is missing.
    if shutil.which("cjpeg"):
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src.ppm")
            scans = os.path.join(tmp, "scans.txt")
            with open(scans, "w") as f:
                f.write("0;\n1;\n2;\n")  # one non-interleaved scan per component
            photo(10, 61, 47, 120, 80).save(src)
            jobs = [
                ("cjpeg_61x47_q85_440", ["-sample", "1x2,1x1,1x1"], "4:4:0 (h1v2 fancy)"),
                ("cjpeg_61x47_q85_411", ["-sample", "4x1,1x1,1x1"], "4:1:1 (int upsampling)"),
                ("cjpeg_61x47_q85_410", ["-sample", "4x2,1x1,1x1"], "4:1:0 (int upsampling)"),
                ("cjpeg_61x47_q85_2x1_1x2", ["-sample", "2x2,2x1,1x2"], "mixed h2v1 and h1v2 chroma"),
                ("cjpeg_61x47_q85_3x1", ["-sample", "3x1,1x1,1x1"], "3:1 horizontal (int upsampling)"),
                ("cjpeg_61x47_q85_noninterleaved_444", ["-sample", "1x1,1x1,1x1", "-scans", scans],
                 "three non-interleaved scans"),
                ("cjpeg_61x47_q85_noninterleaved_420", ["-sample", "2x2,1x1,1x1", "-scans", scans, "-restart", "2B"],
                 "non-interleaved 4:2:0 scans with restarts"),
                ("cjpeg_61x47_q85_420_rst5", ["-sample", "2x2,1x1,1x1", "-restart", "5B"], "DRI 5"),
                ("cjpeg_61x47_q50_16bitdqt", ["-quality", "50", "-sample", "1x1,1x1,1x1", "-qtables", "QT16"],
                 "16-bit DQT"),
            ]
            with open(os.path.join(tmp, "QT16"), "w") as f:
                # Two tables with entries above 255, so cjpeg writes 16-bit DQT segments.
                f.write(" ".join(str(300 + i) for i in range(64)) + "\n")
                f.write(" ".join(str(2 + i) for i in range(64)) + "\n")
            for name, args, note in jobs:
                args = [a if a != "QT16" else os.path.join(tmp, "QT16") for a in args]
                out = os.path.join(tmp, name + ".jpg")
                cmd = ["cjpeg"] + (["-quality", "85"] if "-quality" not in args else []) + args + ["-outfile", out, src]
                subprocess.run(cmd, check=True)
                emit(name, open(out, "rb").read(), note + " (cjpeg)")
    else:
        print("cjpeg not found: the cjpeg_* fixtures were not made")

    # Coefficients: a 16x16 grayscale image of four flat 8x8 quadrants. libjpeg's integer
    # FDCT of a flat block of value v gives DC = 64 * (v - 128) and AC = 0; quantization
    # divides by 8 * q with rounding half away from zero (jcdctmgr.c), so the quantized DC
    # is round(8 * (v - 128) / q). At quality 100 every q is 1.
    values = [[100, 150], [200, 37]]
    a = np.zeros((16, 16), np.uint8)
    for by in range(2):
        for bx in range(2):
            a[by * 8:(by + 1) * 8, bx * 8:(bx + 1) * 8] = values[by][bx]
    flat = Image.fromarray(a, "L")
    lines = []
    for q, qdc in ((100, 1), (50, 16)):
        name = f"flat_blocks_q{q}"
        emit(name, encode(flat, quality=q), "four flat blocks")
        dcs = []
        for by in range(2):
            for bx in range(2):
                raw = 64 * (values[by][bx] - 128)
                mag = (abs(raw) + 4 * qdc) // (8 * qdc)
                dcs.append(mag if raw >= 0 else -mag)
        lines.append(name + " " + " ".join(map(str, dcs)) + f" qdc={qdc}")
    with open(os.path.join(HERE, "coefficients.txt"), "w") as f:
        f.write("# file, quantized DC of blocks (0,0) (0,1) (1,0) (1,1); all AC are 0\n")
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    # Every quantized coefficient of one real photo file with restarts, from the small
    # Python decoder above: component id, blocks wide, blocks high, then 64 values per block.
    name = "photo_100x75_q85_420_rst3"
    with open(os.path.join(OUT, name + ".jpg"), "rb") as f:
        comps = baseline_coefficients(f.read())
    with open(os.path.join(HERE, "coefficients_" + name + ".txt"), "w") as f:
        for cid, bw, bh, coef in comps:
            f.write(f"{cid} {bw} {bh} " + " ".join(map(str, coef)) + "\n")

    with open(os.path.join(OUT, "MANIFEST.tsv"), "w") as f:
        f.write("name\torientation\ticc_bytes\tnote\n")
        for row in manifest:
            f.write("\t".join(row) + "\n")

    # Conformance copies: every SOF0/SOF1/SOF2 exact row under 200 kB (libjpeg warnings
    # included), plus the unsupported and error rows under 60 kB.
    if os.path.isdir(CONF):
        if os.path.isdir(COUT):
            shutil.rmtree(COUT)
        os.makedirs(COUT)
        rows = list(csv.DictReader(open(os.path.join(CONF, "MANIFEST.tsv")), delimiter="\t"))
        keep = []
        for r in rows:
            exact = r["expected"] == "exact" and r["sof"] in ("SOF0", "SOF1", "SOF2")
            small = int(r["bytes"]) < 200_000
            refused = r["expected"] in ("unsupported", "error") or (r["expected"] == "exact" and r["sof"] == "SOF2")
            if (exact and small) or (refused and int(r["bytes"]) < 60_000):
                keep.append(r)
        for r in rows:
            dst = os.path.join(COUT, r["file"])
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if r in keep:
                shutil.copyfile(os.path.join(CONF, r["file"]), dst)
            # References for every exact 1- or 3-component file, also those too big to copy
            # (their references are hashes), so the full shared suite can be checked too.
            # Progressive rows and rows libjpeg recovers with a warning are included: the
            # decoder is expected to recover them the same way.
            if (r["expected"] == "exact" and r["reference"] != "-" and r["components"] in ("1", "3", "4")
                    and r["sof"] in ("SOF0", "SOF1", "SOF2")):
                ref = Image.open(os.path.join(os.path.dirname(os.path.join(CONF, r["file"])), r["reference"]))
                write_reference(os.path.splitext(dst)[0], ref)
        with open(os.path.join(COUT, "MANIFEST.tsv"), "w") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter="\t", lineterminator="\n")
            w.writeheader()
            for r in keep:
                w.writerow(r)
        print(f"copied {len(keep)} conformance files")


if __name__ == "__main__":
    main()
