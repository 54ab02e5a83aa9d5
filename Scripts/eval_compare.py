#!/usr/bin/env python3
"""Compares two `unjpeg eval --json` runs (A, then B) image by image and group by group, at
every grid point they share: gain over the plain decode for A and B, B − A, and the images
worse than the plain decode. Usage: eval_compare.py A.jsonl B.jsonl [label A] [label B]"""
import json
import sys
from collections import defaultdict


def load(path):
    points = defaultdict(dict)
    for line in open(path):
        if not line.strip().startswith("{"):
            continue
        r = json.loads(line)
        key = (r.get("quality", ""), r.get("subsampling", ""), r.get("double", ""))
        points[key][r["image"]] = r
    return points


a, b = load(sys.argv[1]), load(sys.argv[2])
la = sys.argv[3] if len(sys.argv) > 3 else "A"
lb = sys.argv[4] if len(sys.argv) > 4 else "B"
print(f"| point | group | {la} | {lb} | {lb} − {la} | worse than decode ({la} / {lb}) | {lb} better on |")
print("| --- | --- | ---: | ---: | ---: | --- | ---: |")
for key in sorted(set(a) & set(b), key=lambda k: tuple(str(x) for x in k)):
    pa, pb = a[key], b[key]
    images = [n for n in pa if not n.startswith("mean") and n in pb]
    worse_a = sum(pa[n]["gain_db"] < 0 for n in images)
    worse_b = sum(pb[n]["gain_db"] < 0 for n in images)
    better = sum(pb[n]["gain_db"] > pa[n]["gain_db"] for n in images)
    label = " ".join(str(x) for x in key if x != "") or "–"
    label = label.replace("True", "double").replace("False", "")
    for group in [n for n in pa if n.startswith("mean") and n in pb]:
        ga, gb = pa[group]["gain_db"], pb[group]["gain_db"]
        extra = f"{worse_a} / {worse_b}" if group == "mean, all" else ""
        more = f"{better}/{len(images)}" if group == "mean, all" else ""
        print(f"| {label} | {group[6:]} | {ga:+.3f} | {gb:+.3f} | {gb - ga:+.3f} | {extra} | {more} |")
if len(a) == 1 and len(b) == 1:
    (pa,), (pb,) = a.values(), b.values()
    print(f"\n| image | {la} | {lb} | {lb} − {la} |\n| --- | ---: | ---: | ---: |")
    for n in pa:
        if n.startswith("mean") or n not in pb:
            continue
        print(f"| {n} | {pa[n]['gain_db']:+.3f} | {pb[n]['gain_db']:+.3f} | {pb[n]['gain_db'] - pa[n]['gain_db']:+.3f} |")
