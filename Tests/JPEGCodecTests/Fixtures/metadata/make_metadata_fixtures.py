#!/usr/bin/env python3
"""Metadata fixtures, made and read by Pillow (the independent reader).

Run from anywhere (dev-time only; needs Pillow >= 11 for JPEG `xmp=`; measured with 13.0):

    python3 Tests/JPEGCodecTests/Fixtures/metadata/make_metadata_fixtures.py

Writes, next to this script:
  NAME.jpg        small JPEGs carrying EXIF, XMP and density in the ways cameras and
                  editors do (see FIXTURES below)
  EXPECTED.tsv    what Pillow reads from each: EXIF orientation, the EXIF block (hex, without
                  "Exif\\0\\0"), the XMP packet (hex), dpi ("-" when Pillow finds none)

And checks the PNG our encoder wrote (`ours.png`, written by PNGWriterTests'
`MetadataChunkTests` when UNJPEG_WRITE_FIXTURES=1; it is committed) with Pillow, writing
  ours_pillow.tsv what Pillow read from it: dpi, EXIF orientation, EXIF hex, XMP hex, ICC length
which that Swift test compares with what it asked the encoder to write.

It also prints Pillow's limit on iCCP (a profile of exactly 1 MiB opens, 1 MiB + 1 does not),
the bound behind PNGEncoder.maxICCProfileBytes.
"""
import io
import os
import struct
import sys
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def image():
    """16x8 RGB gradient (sizes a multiple of the MCU: no edge effects)."""
    im = Image.new("RGB", (16, 8))
    im.putdata([(x * 16, y * 32, 128) for y in range(8) for x in range(16)])
    return im


def xmp_packet(orientation_form):
    body = {
        "attribute": '<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
                     'tiff:Orientation="6" tiff:Make="UnJPEG"/>',
        "element": '<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/">'
                   "<tiff:Orientation>8</tiff:Orientation></rdf:Description>",
    }[orientation_form]
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' + body +
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode("utf-8")


def tiff(order, orientation, resolution, unit):
    """A hand-made TIFF block in byte order `order` ("<" for "II", ">" for "MM") whose IFD0
    holds Orientation, XResolution resolution/1 and ResolutionUnit (Pillow 13's
    Exif.tobytes() writes only "MM", so the "II" case is built by hand)."""
    short = lambda v: struct.pack(order + "HH", v, 0)
    entries = [
        (0x0112, 3, 1, short(orientation)),
        (0x011A, 5, 1, struct.pack(order + "I", 8 + 2 + 3 * 12 + 4)),  # offset of the rational
        (0x0128, 3, 1, short(unit)),
    ]
    ifd = struct.pack(order + "H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack(order + "HHI", tag, typ, count) + value
    ifd += struct.pack(order + "I", 0)
    mark = b"II\x2a\x00" if order == "<" else b"MM\x00\x2a"
    return mark + struct.pack(order + "I", 8) + ifd + struct.pack(order + "II", resolution, 1)


# name -> save() keyword arguments
FIXTURES = {
    # a phone photo: little-endian EXIF, orientation 6 and 72 dpi; XMP attribute form; JFIF
    # 300 dpi (which wins over EXIF's, as in Pillow)
    "exif6_xmp_300dpi": dict(exif=b"Exif\x00\x00" + tiff("<", 6, 72, 2), xmp=xmp_packet("attribute"),
                             dpi=(300, 300)),
    # big-endian EXIF with orientation 8 and 118 px/cm; XMP element form; no JFIF density
    # (Pillow writes JFIF units 0, 1:1), so the density comes from EXIF
    "exif8_be_dpcm_xmp": dict(exif=b"Exif\x00\x00" + tiff(">", 8, 118, 3), xmp=xmp_packet("element")),
    # an APP1 "Exif" segment whose TIFF header is garbage: left out, with an issue
    "damaged_exif": dict(exif=b"Exif\x00\x00JUNK\x00\x00\x00\x08JUNK", dpi=(72, 96)),
}


def hexbytes(b):
    return b.hex() if b else "-"


def describe_jpeg(path):
    im = Image.open(path)
    im.load()
    exif = im.info.get("exif")
    orientation = im.getexif().get(0x0112, 1) if exif and exif[6:8] in (b"II", b"MM") else 1
    dpi = im.info.get("dpi")
    return {
        "orientation": str(orientation),
        "exif_hex": hexbytes(exif[6:] if exif else None),
        "xmp_hex": hexbytes(im.info.get("xmp")),
        "dpi_x": "%.6f" % dpi[0] if dpi else "-",
        "dpi_y": "%.6f" % dpi[1] if dpi else "-",
    }


def make_jpegs():
    columns = ["name", "orientation", "dpi_x", "dpi_y", "exif_hex", "xmp_hex"]
    rows = ["\t".join(columns)]
    for name, kwargs in FIXTURES.items():
        path = os.path.join(HERE, name + ".jpg")
        image().save(path, "JPEG", quality=90, **kwargs)
        d = describe_jpeg(path)
        d["name"] = name
        rows.append("\t".join(d[c] for c in columns))
    with open(os.path.join(HERE, "EXPECTED.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def check_ours():
    path = os.path.join(HERE, "ours.png")
    if not os.path.exists(path):
        print("no ours.png yet: run UNJPEG_WRITE_FIXTURES=1 swift test --filter MetadataChunkTests")
        return
    im = Image.open(path)
    im.load()
    exif = im.info.get("exif")
    dpi = im.info.get("dpi")
    row = {
        "dpi_x": "%.6f" % dpi[0] if dpi else "-",
        "dpi_y": "%.6f" % dpi[1] if dpi else "-",
        "orientation": str(im.getexif().get(0x0112, "-")),
        "exif_hex": hexbytes(exif[6:] if exif else None),
        "xmp_hex": hexbytes(im.info.get("xmp")),
        "icc_bytes": str(len(im.info.get("icc_profile") or b"")),
        "size": "%dx%d" % im.size,
        "first_pixel": ",".join(str(v) for v in im.convert("RGB").getpixel((0, 0))),
    }
    columns = list(row)
    with open(os.path.join(HERE, "ours_pillow.tsv"), "w") as f:
        f.write("\t".join(columns) + "\n" + "\t".join(row[c] for c in columns) + "\n")
    print("ours.png as Pillow reads it:", row)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def measure_icc_limit():
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    for n in (1 << 20, (1 << 20) + 1):
        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
               chunk(b"iCCP", b"ICC Profile\x00\x00" + zlib.compress(bytes(n))) +
               chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))
        try:
            Image.open(io.BytesIO(png)).load()
            print("iCCP inflating to %d bytes: Pillow opens it" % n)
        except ValueError as e:
            print("iCCP inflating to %d bytes: Pillow refuses it (%s)" % (n, e))


if __name__ == "__main__":
    make_jpegs()
    check_ours()
    measure_icc_limit()
    sys.exit(0)
