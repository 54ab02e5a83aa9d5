"""Hostile JPEGs for timing the decoder's resource bounds (issue 14, items 8 and 9).

Not used by the tests (ResourceBoundsTests builds the same kinds of file in Swift); this
writes full-size samples for measuring a release build:

    python3 make_samples.py OUTDIR
    time .build/release/unjpeg decode OUTDIR/prog883.jpg -o /tmp/x.png

huge22000.jpg, huge8000.jpg: a 16x16 Pillow JPEG whose frame header declares 22000x22000 /
8000x8000 (the scan covers one MCU; the rest is filled with gray).
huge16000gray.jpg: the same, gray, 16000x16000 (fits the default 1 GiB budget).
prog883.jpg: a 4000x3000 gray progressive file of 883 valid scans (DC, then each AC
coefficient alone at Al=13 refined bit by bit to 0; every AC scan is end-of-band runs).
prog883dup.jpg: the same with its last scan repeated 800 times (800 warnings).
"""
import io, struct, sys
from PIL import Image
import numpy as np

class Bits:
    def __init__(s): s.out = bytearray(); s.acc = 0; s.n = 0
    def put(s, v, n):
        for i in range(n - 1, -1, -1):
            s.acc = (s.acc << 1) | ((v >> i) & 1); s.n += 1
            if s.n == 8:
                s.out.append(s.acc)
                if s.acc == 0xFF: s.out.append(0)
                s.acc = 0; s.n = 0
    def flush(s):
        while s.n: s.put(1, 1)
        return bytes(s.out)

def seg(marker, body): return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

def progressive(w, h, scans_per_coef=14, al0=13, dup=0):
    """Gray progressive: DC first, then per AC coefficient k one first scan at Al=al0 and
    refinements down to Al=0 (all coefficients zero: only end-of-band runs)."""
    out = bytearray(b"\xFF\xD8")
    out += seg(0xDB, bytes([0]) + bytes([1] * 64))
    out += seg(0xC2, struct.pack(">BHHB", 8, h, w, 1) + bytes([1, 0x11, 0]))
    dc_counts = [0, 2] + [0] * 14
    out += seg(0xC4, bytes([0x00]) + bytes(dc_counts) + bytes([0, 1]))
    ac_counts = [0, 0, 0, 15] + [0] * 12
    out += seg(0xC4, bytes([0x10]) + bytes(ac_counts) + bytes([n << 4 for n in range(15)]))
    blocks = ((w + 7) // 8) * ((h + 7) // 8)
    def sos(ss, se, ah, al): return seg(0xDA, bytes([1, 1, 0x00, ss, se, (ah << 4) | al]))
    b = Bits()
    for _ in range(blocks): b.put(0, 2)
    out += sos(0, 0, 0, 0) + b.flush()
    def eob_scan():
        b = Bits(); left = blocks
        while left > 0:
            r = min(left, 32767); n = r.bit_length() - 1
            b.put(n, 4); b.put(r - (1 << n), n); left -= r
        return b.flush()
    data = eob_scan()
    scans = []
    for k in range(1, 64):
        al = al0
        scans.append(sos(k, k, 0, al) + data)
        for r in range(scans_per_coef - 1):
            scans.append(sos(k, k, al, al - 1) + data); al -= 1
    for s in scans: out += s
    for _ in range(dup): out += scans[-1]
    out += b"\xFF\xD9"
    return bytes(out)

def huge(w, h, mode="RGB"):
    buf = io.BytesIO()
    Image.new(mode, (16, 16), (90, 120, 200) if mode == "RGB" else 100).save(buf, "JPEG", quality=85)
    b = bytearray(buf.getvalue())
    i = 2
    while True:
        m = b[i + 1]; L = b[i + 2] << 8 | b[i + 3]
        if m in (0xC0, 0xC2):
            b[i + 5:i + 9] = struct.pack(">HH", h, w); break
        i += 2 + L
    return bytes(b)

d = sys.argv[1]
open(f"{d}/huge22000.jpg", "wb").write(huge(22000, 22000))
open(f"{d}/huge8000.jpg", "wb").write(huge(8000, 8000))
open(f"{d}/huge16000gray.jpg", "wb").write(huge(16000, 16000, "L"))
open(f"{d}/prog883.jpg", "wb").write(progressive(4000, 3000))
open(f"{d}/prog883dup.jpg", "wb").write(progressive(4000, 3000, dup=800))
