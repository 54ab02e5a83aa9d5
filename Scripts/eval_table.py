#!/usr/bin/env python3
"""Summarises `unjpeg eval --json` output(s) as one Markdown table per file: per image and per
group (gain, white off, flat kept, far kept, PNG ratio). Usage: eval_table.py run.jsonl [...]"""
import json
import sys

for path in sys.argv[1:]:
    rows = [json.loads(line) for line in open(path) if line.strip().startswith("{")]
    print(f"### {path}\n")
    print("| image | jpeg dB | gain | white off jpeg→clean % | flat kept jpeg→clean | far kept jpeg→clean | PNG ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    def f(v, fmt):
        return "–" if v is None else fmt % v
    for r in rows:
        print("| %s | %.2f | %+.2f | %s → %s | %s → %s | %s → %s | %s |" % (
            r["image"], r["psnr_jpeg_db"], r["gain_db"],
            f(r["white_off_jpeg_pct"], "%.1f"), f(r["white_off_clean_pct"], "%.1f"),
            f(r["flat_kept_jpeg"], "%.3f"), f(r["flat_kept_clean"], "%.3f"),
            f(r["far_kept_jpeg"], "%.3f"), f(r["far_kept_clean"], "%.3f"),
            f(r["png_ratio"], "%.2f")))
    print()
