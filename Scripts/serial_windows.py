#!/usr/bin/env python3
"""Where a multi-threaded run leaves a core idle: the single-threaded windows of a perf profile.

Dev-time measuring instrument (Notes/throughput.md, twenty-first round). Record the command with
call graphs, then feed `perf script` to this script:

    perf record -g -F 2999 -o /tmp/p.data .build/release/unjpeg clean --threads 2 IN.jpg -o /tmp/out.png
    perf script -i /tmp/p.data -F tid,time,ip,sym | python3 Scripts/serial_windows.py [--window 0.01] [--top 25]

The samples are binned into windows of `--window` seconds; a window in which only one thread was
sampled counts as single-threaded (the other core idle or busy elsewhere). For those samples the
script prints the first project function on the stack (module.Type.function, from the Swift
mangled name), marked `[pf]` when the sample is inside a page fault. Needs only Python 3.
"""
import argparse
import collections
import re
import sys

HEADER = re.compile(r'^\s*(\d+)\s+(\d+\.\d+):')
MODULES = ('Cleaner', 'JPEGCodec', 'LZ77', 'Linalg', 'Net', 'PNGWriter', 'unjpeg')


def identifiers(mangled, count):
    """The first `count` length-prefixed identifiers of a Swift mangled name after `$s`
    (module, type, member: `$s4LZ775CRC32V6update…` gives LZ77, CRC32, update); a one-letter
    kind (V struct, O enum, C class) may sit between them."""
    names, i = [], mangled.find('$s') + 2
    while len(names) < count and i < len(mangled):
        if mangled[i] in 'VOC' and names:
            i += 1
        m = re.match(r'\d+', mangled[i:])
        if not m:
            break
        n, start = int(m.group(0)), i + len(m.group(0))
        names.append(mangled[start:start + n])
        i = start + n
    return names


def label(stack):
    """The first project frame that is not the parallel-for itself, else the innermost frame."""
    for frame in stack:
        if '$s' not in frame:
            continue
        names = identifiers(frame.split()[0], 3)
        if names and names[0] in MODULES and 'parallelFor' not in names:
            return '.'.join(names)
    return stack[0][:40] if stack else '?'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--window', type=float, default=0.01, help='window length in seconds')
    parser.add_argument('--top', type=int, default=25, help='functions to list')
    args = parser.parse_args()
    samples = []
    for line in sys.stdin:
        m = HEADER.match(line)
        if m:
            samples.append((int(m.group(1)), float(m.group(2)), []))
        elif line.strip() and samples:
            parts = line.strip().split(None, 1)
            if len(parts) > 1:
                samples[-1][2].append(parts[1])
    if not samples:
        sys.exit('no samples: pipe `perf script -F tid,time,ip,sym` of a `perf record -g` run')
    t0 = min(t for _, t, _ in samples)
    busy = collections.defaultdict(set)
    for tid, t, _ in samples:
        busy[int((t - t0) / args.window)].add(tid)
    single = collections.Counter()
    faults = 0
    for tid, t, stack in samples:
        if len(busy[int((t - t0) / args.window)]) != 1:
            continue
        name = label(stack)
        if any('page_fault' in f for f in stack):
            name = '[pf] ' + name
            faults += 1
        single[name] += 1
    n, ns = len(samples), sum(single.values())
    span = max(t for _, t, _ in samples) - t0
    print(f'{n} samples over {span:.2f} s; single-threaded windows hold {ns} ({100 * ns / n:.1f} %), '
          f'{faults} of them in page faults')
    for name, count in single.most_common(args.top):
        print(f'{count:6d} {100 * count / n:5.2f} %  {name}')


if __name__ == '__main__':
    main()
