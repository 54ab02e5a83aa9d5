#!/usr/bin/env python3
"""Build real-UI-screenshot training and validation sets from Debian documentation packages.

Reads Scripts/screenshot_packages.tsv (package, pinned version, role, cap, include regex, licence),
downloads each package with `apt-get download` into a temporary folder (nothing is installed),
extracts its PNGs with dpkg-deb, and writes clean RGB PNGs named screen_<package>_<name>.png to
<out>/train/ and <out>/valid/ with a SOURCES.md table (image -> package, version, path, licence) and
each package's copyright file under <out>/<role>/licences/.

Per image, in this order (the first failing test names the rejection):
  unreadable / odd mode -> rejected (other)
  smaller than 200x150 (icons, buttons) -> rejected (other)
  alpha flattened over white (how a screenshot is seen), converted to RGB
  more than 97 % of pixels one colour -> rejected (other)
  under 15 % of horizontally adjacent pixel pairs equal (a photo, not a UI) -> rejected (other)
  same size and same pixels as an image already taken (any package, any role) -> rejected (other)
  8x8 JPEG history -> rejected (jpeg); see jpeg_history() for the test
  larger than 2.5 MP -> central crop of <= 2.5 MP with the same aspect ratio (never resized)
Survivors of a package are sorted by path and, past the package's cap, an evenly spaced subset is
kept. Everything is deterministic; a second run rewrites nothing that is already identical and
removes screen_*.png files that are no longer selected.

Usage: python3 Scripts/build_screenshot_sets.py [--out /work/data/screens] [--cache DIR]
Needs Python 3, Pillow, numpy, apt-get and dpkg-deb (Debian). Run `apt-get update` first if
apt-get cannot find a pinned version.
"""
import argparse
import csv
import fnmatch
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

Image.MAX_IMAGE_PIXELS = 200_000_000

RESERVED = ("lomiri-wallpapers*", "freedombox-doc-*", "gimp-help-*")
MIN_W, MIN_H = 200, 150
MAX_PIXELS = 2_500_000
ONE_COLOUR = 0.97
MIN_EQUAL_PAIRS = 0.15  # photos / dithered renders: almost no two neighbours equal
# JPEG-history test thresholds (see jpeg_history()).
GHOST_QUALITIES = (50, 70, 80, 90, 95, 98)
GHOST_ALIGNED_MAX = 0.80
GHOST_ANY_QUALITIES = (80, 92)
GHOST_ANY_MAX = 0.72
GHOST_WINDOW = 640
# The gradient rule from issue 16, reported for information only (see Notes/screenshot-data.md).
GRADIENT_RULE = 1.15

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*a):
    print(*a, flush=True)


def read_packages(path):
    rows = []
    with open(path, newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        name = r["package"]
        if any(fnmatch.fnmatch(name, pat) for pat in RESERVED):
            sys.exit(f"refusing reserved package {name} (reserved for independent evaluation)")
        if r["role"] not in ("train", "valid"):
            sys.exit(f"{name}: role must be train or valid, not {r['role']!r}")
        rows.append(dict(package=name, version=r["version"], role=r["role"], cap=int(r["cap"]),
                         include=re.compile(r["include"]), licence=r["licence"]))
    roles = {}
    for r in rows:
        roles.setdefault(r["package"], set()).add(r["role"])
    both = [p for p, s in roles.items() if len(s) > 1]
    if both:
        sys.exit(f"packages in both roles: {both}")
    return rows


def fetch(pkg, version, cache):
    """Download pkg=version into cache (if not there yet); return the .deb path."""
    os.makedirs(cache, exist_ok=True)
    for f in sorted(os.listdir(cache)):
        if f.endswith(".deb") and f.split("_")[0] == pkg:
            deb = os.path.join(cache, f)
            if deb_field(deb, "Version") == version:
                return deb
    r = subprocess.run(["apt-get", "download", f"{pkg}={version}"], cwd=cache,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"apt-get download {pkg}={version} failed (run apt-get update? version gone?):\n"
                 f"{r.stderr.strip()}")
    for f in sorted(os.listdir(cache)):
        if f.endswith(".deb") and f.split("_")[0] == pkg:
            deb = os.path.join(cache, f)
            if deb_field(deb, "Version") == version:
                return deb
    sys.exit(f"{pkg}: downloaded no .deb of version {version}")


def deb_field(deb, field):
    return subprocess.run(["dpkg-deb", "-f", deb, field], capture_output=True, text=True,
                          check=True).stdout.strip()


def extract(deb, dest):
    """Extract the package's PNG files (only those) into dest."""
    os.makedirs(dest, exist_ok=True)
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", dest, "--wildcards", "--no-same-owner",
                    "*.png", "*.PNG"], stdin=tar.stdout,
                   stderr=subprocess.DEVNULL)
    tar.stdout.close()
    tar.wait()


def list_pngs(root, include):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            if not f.lower().endswith(".png") or os.path.islink(p):
                continue
            rel = os.path.relpath(p, root)
            if include.search(rel):
                out.append(rel)
    return sorted(out)


def to_rgb(im):
    """RGB array of a PNG as a viewer shows it: transparency flattened over white."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        a = np.asarray(im).astype(np.float64)
        hi = 65535.0 if a.max() > 255 else 255.0
        a = np.clip(np.rint(a * 255.0 / hi), 0, 255).astype(np.uint8)
        im = Image.fromarray(a, "L")
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info:
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        bg.alpha_composite(im)
        im = bg
    return np.asarray(im.convert("RGB"))


def top_colour_share(a):
    flat = a.reshape(-1, 3).astype(np.uint32)
    packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    _, counts = np.unique(packed, return_counts=True)
    return counts.max() / packed.size


def gradient_rule(a):
    """Issue 16's suggested test: mean |luma gradient| across columns 8k+7 -> 8k+8 over the mean
    elsewhere, and the same for rows. Returns (horizontal, vertical) ratios."""
    y = a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114
    out = []
    for axis in (1, 0):
        d = np.abs(np.diff(y, axis=axis))
        b = (np.arange(d.shape[axis]) % 8) == 7
        if b.sum() == 0 or (~b).sum() == 0:
            out.append(1.0)
            continue
        mb = d.compress(b, axis=axis).mean()
        mo = d.compress(~b, axis=axis).mean()
        out.append(float(mb / mo) if mo > 0 else (9.99 if mb > 0 else 1.0))
    return tuple(out)


def _roundtrip_mse(g, q):
    buf = io.BytesIO()
    Image.fromarray(g).save(buf, "JPEG", quality=q)
    r = np.asarray(Image.open(buf), dtype=np.float32)
    return float(((r - g.astype(np.float32)) ** 2).mean())


def jpeg_history(a):
    """Detects an 8x8 JPEG history by re-compression ("JPEG ghost"): an image that went through
    JPEG once changes much less when it is JPEG-compressed again on the same 8x8 grid than on a
    shifted grid; a never-compressed image changes about as much on either grid.

    1. Aligned grid: over qualities 50..98, min of mse(grid at 0,0) / mse(grid shifted by 4,4),
       on the luma of the central <= 1 MP region. Below 0.80 -> JPEG history.
    2. Any grid (the image was cropped after JPEG): on the <= 640x640 luma window with the most
       non-zero steps, mse at each of the 64 grid offsets for q 80 and 92; min / median below 0.72
       -> JPEG history. Weaker than 1. (sparse clean drawings reach 0.73-0.75 by chance; a q90 JPEG
       cropped off-grid scores 0.25-0.80, median 0.55), so its threshold is lower.
    Returns (aligned ratio, any-offset ratio, offset (dy, dx) of the minimum)."""
    g = np.asarray(Image.fromarray(a).convert("L"))
    H, W = g.shape
    # 1. aligned
    h = min(H, 1024 + 8)
    w = min(W, 1024 + 8)
    y0 = (H - h) // 2 // 8 * 8
    x0 = (W - w) // 2 // 8 * 8
    h8 = (h - 4) // 8 * 8
    w8 = (w - 4) // 8 * 8
    al = np.ascontiguousarray(g[y0:y0 + h8, x0:x0 + w8])
    sh = np.ascontiguousarray(g[y0 + 4:y0 + 4 + h8, x0 + 4:x0 + 4 + w8])
    aligned = min((_roundtrip_mse(al, q) + 0.01) / (_roundtrip_mse(sh, q) + 0.01)
                  for q in GHOST_QUALITIES)
    if aligned < GHOST_ALIGNED_MAX:
        return aligned, None, (0, 0)
    # 2. any offset, on the busiest window (most non-zero luma steps), not just the centre
    h = min(H, GHOST_WINDOW + 8)
    w = min(W, GHOST_WINDOW + 8)
    busy = np.zeros((H, W), np.float64)
    busy[:, 1:] += np.diff(g.astype(np.int16), axis=1) != 0
    busy[1:, :] += np.diff(g.astype(np.int16), axis=0) != 0
    ii = np.pad(busy.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    best_score, y0, x0 = -1.0, 0, 0
    for yy in sorted(set(list(range(0, H - h + 1, 64)) + [H - h])):
        for xx in sorted(set(list(range(0, W - w + 1, 64)) + [W - w])):
            sc = ii[yy + h, xx + w] - ii[yy, xx + w] - ii[yy + h, xx] + ii[yy, xx]
            if sc > best_score:
                best_score, y0, x0 = sc, yy, xx
    win = g[y0:y0 + h, x0:x0 + w]
    h8 = (h - 8) // 8 * 8
    w8 = (w - 8) // 8 * 8
    ratios, offsets = [], []
    for q in GHOST_ANY_QUALITIES:
        e = np.empty((8, 8))
        for dy in range(8):
            for dx in range(8):
                e[dy, dx] = _roundtrip_mse(np.ascontiguousarray(win[dy:dy + h8, dx:dx + w8]), q) + 0.01
        iy, ix = np.unravel_index(int(e.argmin()), e.shape)
        ratios.append(float(e.min() / np.median(e)))
        offsets.append((int((y0 + iy) % 8), int((x0 + ix) % 8)))
    best = min(ratios)
    where = offsets[int(np.argmin(ratios))]
    return aligned, best, where


def central_crop(a):
    H, W = a.shape[:2]
    if H * W <= MAX_PIXELS:
        return a, None
    s = (MAX_PIXELS / (H * W)) ** 0.5
    w = min(W, int(W * s))
    h = min(H, int(H * s))
    while w * h > MAX_PIXELS:
        h -= 1
    y0 = (H - h) // 2
    x0 = (W - w) // 2
    return a[y0:y0 + h, x0:x0 + w], (x0, y0, w, h)


def out_name(pkg, rel, used):
    parts = rel[:-4].split("/")
    for k in range(1, len(parts) + 1):
        stem = "_".join(parts[-k:])
        name = "screen_" + re.sub(r"[^A-Za-z0-9._+-]+", "-", f"{pkg}_{stem}").strip("-") + ".png"
        if name not in used:
            return name
    return f"screen_{pkg}_{hashlib.sha1(rel.encode()).hexdigest()[:10]}.png"


def png_bytes(a):
    buf = io.BytesIO()
    Image.fromarray(a, "RGB").save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def write_if_changed(path, data):
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def evenly(items, cap):
    n = len(items)
    if n <= cap:
        return list(items)
    return [items[(2 * i + 1) * n // (2 * cap)] for i in range(cap)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="/work/data/screens", help="output folder (train/ and valid/ inside)")
    ap.add_argument("--packages", default=os.path.join(HERE, "screenshot_packages.tsv"))
    ap.add_argument("--cache", help="keep downloaded .deb files here (default: a temporary folder)")
    ap.add_argument("--only", help="comma-separated packages to process (for testing; writes nothing)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    try:
        os.nice(10)
    except OSError:
        pass

    rows = read_packages(args.packages)
    if args.only:
        keep = set(args.only.split(","))
        rows = [r for r in rows if r["package"] in keep]
    tmp = tempfile.mkdtemp(prefix="screenshot-sets-")
    cache = args.cache or os.path.join(tmp, "debs")
    seen = {}          # (w, h, sha) -> output name, across packages and roles
    selected = {"train": [], "valid": []}
    summary = []
    try:
        for r in rows:
            pkg = r["package"]
            deb = fetch(pkg, r["version"], cache)
            root = os.path.join(tmp, "x", pkg)
            extract(deb, root)
            cands = list_pngs(root, r["include"])
            st = dict(found=len(cands), jpeg=0, small=0, one_colour=0, photo=0, duplicate=0, unreadable=0,
                      over_cap=0, kept=0, gradient_rule=0, cropped=0)
            survivors = []
            for rel in cands:
                try:
                    with Image.open(os.path.join(root, rel)) as im:
                        im.load()
                        w, h = im.size
                        if w < MIN_W or h < MIN_H:
                            st["small"] += 1
                            continue
                        a = to_rgb(im)
                except Exception as e:  # noqa: BLE001 - any decoding problem rejects the file
                    log(f"  {pkg}: unreadable {rel}: {e}")
                    st["unreadable"] += 1
                    continue
                a = np.ascontiguousarray(a)
                if top_colour_share(a) > ONE_COLOUR:
                    st["one_colour"] += 1
                    continue
                if np.all(a[:, 1:] == a[:, :-1], axis=2).mean() < MIN_EQUAL_PAIRS:
                    st["photo"] += 1
                    continue
                key = (w, h, hashlib.sha256(a.tobytes()).hexdigest())
                if key in seen:
                    st["duplicate"] += 1
                    continue
                seen[key] = f"{pkg}/{rel}"
                gh, gv = gradient_rule(a)
                if gh > GRADIENT_RULE or gv > GRADIENT_RULE:
                    st["gradient_rule"] += 1
                aligned, anyoff, where = jpeg_history(a)
                if aligned < GHOST_ALIGNED_MAX or (anyoff is not None and anyoff < GHOST_ANY_MAX):
                    st["jpeg"] += 1
                    log(f"  {pkg}: JPEG history {rel} (aligned {aligned:.3f}, any "
                        f"{'-' if anyoff is None else f'{anyoff:.3f}'} at {where})")
                    continue
                survivors.append(dict(rel=rel, a=None, size=(w, h), aligned=aligned, anyoff=anyoff,
                                      grad=(gh, gv)))
            chosen = evenly(survivors, r["cap"])
            st["over_cap"] = len(survivors) - len(chosen)
            st["kept"] = len(chosen)
            for c in chosen:
                with Image.open(os.path.join(root, c["rel"])) as im:
                    im.load()
                    a = to_rgb(im)
                a, crop = central_crop(np.ascontiguousarray(a))
                if crop:
                    st["cropped"] += 1
                c.update(a=np.ascontiguousarray(a), crop=crop, package=pkg, version=r["version"],
                         licence=r["licence"])
                selected[r["role"]].append(c)
            summary.append((pkg, r["role"], st))
            log(f"{pkg:22s} {r['role']:5s} found {st['found']:4d}  kept {st['kept']:3d}  "
                f"jpeg-history {st['jpeg']:3d}  other {st['small'] + st['one_colour'] + st['photo'] + st['duplicate'] + st['unreadable']:4d} "
                f"(small {st['small']}, one-colour {st['one_colour']}, photo {st['photo']}, duplicate {st['duplicate']}, "
                f"unreadable {st['unreadable']})  over-cap {st['over_cap']}")
            if args.only:
                for c in selected[r["role"]]:
                    c["a"] = None
            shutil.rmtree(root, ignore_errors=True)
        if args.only:
            return
        write_sets(args.out, rows, selected, summary, deb_dir=cache, tmp=tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_totals(summary)


def write_sets(out, rows, selected, summary, deb_dir, tmp):
    for role in ("train", "valid"):
        folder = os.path.join(out, role)
        lic = os.path.join(folder, "licences")
        os.makedirs(lic, exist_ok=True)
        used, written, unchanged = set(), 0, 0
        table = []
        for c in selected[role]:
            name = out_name(c["package"], c["rel"], used)
            used.add(name)
            if write_if_changed(os.path.join(folder, name), png_bytes(c["a"])):
                written += 1
            else:
                unchanged += 1
            h, w = c["a"].shape[:2]
            crop = "full" if c["crop"] is None else "crop x%d y%d %dx%d" % c["crop"]
            table.append((name, c["package"], c["version"], "/" + c["rel"], c["licence"],
                          f"{c['size'][0]}x{c['size'][1]}", crop,
                          f"{c['aligned']:.2f}/{'-' if c['anyoff'] is None else format(c['anyoff'], '.2f')}"))
        removed = 0
        for f in sorted(os.listdir(folder)):
            if f.startswith("screen_") and f.endswith(".png") and f not in used:
                os.remove(os.path.join(folder, f))
                removed += 1
        # Copyright files: extract again just the copyright file of each package used in this role.
        pkgs = [r for r in rows if r["role"] == role]
        for r in pkgs:
            deb = [os.path.join(deb_dir, f) for f in sorted(os.listdir(deb_dir))
                   if f.endswith(".deb") and f.split("_")[0] == r["package"]]
            if not deb:
                continue
            data = copyright_of(deb[0], r["package"])
            if data is not None:
                write_if_changed(os.path.join(lic, f"{r['package']}.copyright"), data)
        with open(os.path.join(folder, "SOURCES.md.tmp"), "w") as f:
            f.write(sources_md(role, table, [s for s in summary if s[1] == role], pkgs))
        os.replace(os.path.join(folder, "SOURCES.md.tmp"), os.path.join(folder, "SOURCES.md"))
        log(f"{folder}: {len(table)} images ({written} written, {unchanged} unchanged, "
            f"{removed} stale removed)")


def copyright_of(deb, pkg):
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    r = subprocess.run(["tar", "-x", "-O", f"./usr/share/doc/{pkg}/copyright"], stdin=tar.stdout,
                       capture_output=True)
    tar.stdout.close()
    tar.wait()
    return r.stdout if r.returncode == 0 and r.stdout else None


def sources_md(role, table, summary, pkgs):
    lines = [
        f"# Real UI screenshots: {role}",
        "",
        "Built by `Scripts/build_screenshot_sets.py` from `Scripts/screenshot_packages.tsv` (Debian bookworm",
        "packages, versions pinned). PNG screenshots from the packages' documentation, converted to RGB",
        "(transparency flattened over white), at least 200x150, larger than 2.5 MP cropped to a central",
        "region (never resized); mostly-one-colour images, exact duplicates and images with an 8x8 JPEG",
        "history (re-compression test, see the script) and photo-like images rejected. Each package's copyright file is in",
        "`licences/`. Column 'ghost' = JPEG-history test ratios (aligned / any offset; lower = more",
        "JPEG-like; rejected below 0.80 / 0.72).",
        "",
        "## Packages",
        "",
        "| package | version | licence | found | kept | rejected: JPEG history | rejected: other | over cap |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    byname = {r["package"]: r for r in pkgs}
    for pkg, _, st in summary:
        other = st["small"] + st["one_colour"] + st["photo"] + st["duplicate"] + st["unreadable"]
        lines.append(f"| {pkg} | {byname[pkg]['version']} | {byname[pkg]['licence']} | {st['found']} | "
                     f"{st['kept']} | {st['jpeg']} | {other} | {st['over_cap']} |")
    lines += ["", "## Images", "",
              "| file | package | version | path in package | licence | original size | region | ghost |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for t in table:
        lines.append("| " + " | ".join(t) + " |")
    return "\n".join(lines) + "\n"


def print_totals(summary):
    for role in ("train", "valid"):
        s = [st for _, ro, st in summary if ro == role]
        tot = {k: sum(x[k] for x in s) for k in s[0]} if s else {}
        if not tot:
            continue
        log(f"TOTAL {role}: found {tot['found']}, kept {tot['kept']}, rejected for JPEG history "
            f"{tot['jpeg']}, rejected other {tot['small'] + tot['one_colour'] + tot['photo'] + tot['duplicate'] + tot['unreadable']} "
            f"(small {tot['small']}, one-colour {tot['one_colour']}, photo {tot['photo']}, duplicate {tot['duplicate']}, "
            f"unreadable {tot['unreadable']}), over cap {tot['over_cap']}, cropped {tot['cropped']}; "
            f"the 1.15 gradient rule would have flagged {tot['gradient_rule']} of the "
            f"{tot['found'] - tot['small'] - tot['one_colour'] - tot['photo'] - tot['duplicate'] - tot['unreadable']} tested")


if __name__ == "__main__":
    main()
