#!/usr/bin/env bash
# Builds the libFuzzer targets of UnJPEG and runs each for a given time, one after another.
#
#   Fuzz/run.sh [seconds-per-target] [target ...]      (default: 60 s; all targets)
#   targets: jpeg png inflate model args
#
# Needs only the Swift toolchain (swiftc with -sanitize=fuzzer,address). Each target is one
# binary: the library module's sources compiled together with its harness from
# Fuzz/Harness (so the harness sees internals), linked against the modules it imports.
# Everything goes to $FUZZ_OUT (default .build/fuzz): bin/, corpus/<target>/ (grows from run
# to run), seeds/<target>/, artifacts/ (crashing inputs), logs/<target>.log, and
# summary.tsv (target, executions, seconds, coverage, features, corpus size, findings).
#
# Environment: FUZZ_OUT; FUZZ_JOBS (parallel fuzz processes per target via -fork, default 1);
# FUZZ_ARGS (extra libFuzzer flags); FUZZ_BUILD_ONLY=1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${FUZZ_OUT:-$ROOT/.build/fuzz}"
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(jpeg png inflate model args)
JOBS="${FUZZ_JOBS:-1}"

SWIFTC="${SWIFTC:-swiftc}"
FLAGS=(-O -g -sanitize=fuzzer,address -parse-as-library -wmo -D LINALG_PORTABLE_KERNEL -I "$OUT/mod")
mkdir -p "$OUT/mod" "$OUT/obj" "$OUT/bin" "$OUT/logs" "$OUT/artifacts"

sources() { ls "$ROOT/Sources/$1"/*.swift | grep -v '/main\.swift$'; }

# Newer than the file $1? (any of the remaining paths)
stale() {
    local target="$1"; shift
    [ -e "$target" ] || return 0
    [ -n "$(find "$@" -newer "$target" -print -quit)" ]
}

# build_module NAME: an instrumented object and .swiftmodule of Sources/NAME.
build_module() {
    local name="$1" srcs
    mapfile -t srcs < <(sources "$name")
    if stale "$OUT/obj/$name.o" "${srcs[@]}"; then
        echo "== building module $name"
        "$SWIFTC" "${FLAGS[@]}" -module-name "$name" -emit-module -emit-module-path "$OUT/mod/$name.swiftmodule" \
            -c "${srcs[@]}" -o "$OUT/obj/$name.o"
    fi
}

# build_target TARGET MODULE HARNESS DEPENDENCIES...: the module's sources plus the harness,
# linked with the dependencies' objects.
build_target() {
    local target="$1" module="$2" harness="$3"; shift 3
    local deps=("$@") srcs objs=()
    for d in "${deps[@]}"; do build_module "$d"; objs+=("$OUT/obj/$d.o"); done
    mapfile -t srcs < <(sources "$module")
    srcs+=("$ROOT/Fuzz/Harness/$harness")
    if stale "$OUT/bin/$target" "${srcs[@]}" "${objs[@]}"; then
        echo "== building fuzz target $target"
        "$SWIFTC" "${FLAGS[@]}" -module-name "$module" -c "${srcs[@]}" -o "$OUT/obj/fuzz-$target.o"
        "$SWIFTC" -sanitize=fuzzer,address "$OUT/obj/fuzz-$target.o" "${objs[@]}" -lm -o "$OUT/bin/$target" \
            2> >(grep -v 'Cannot export local symbol' >&2)
    fi
}

# copy_seeds TARGET MAXBYTES DIR PATTERN...: files matching PATTERNs under DIR, up to MAXBYTES each.
copy_seeds() {
    local target="$1" max="$2" dir="$3"; shift 3
    [ -d "$dir" ] || { echo "   (no seed folder $dir)"; return 0; }
    local pattern
    for pattern in "$@"; do
        find "$dir" -type f -name "$pattern" -size -"$max"c -print0 |
            while IFS= read -r -d '' f; do
                cp "$f" "$OUT/seeds/$target/$(echo "$f" | cksum | cut -d' ' -f1)-$(basename "$f")"
            done
    done
}

CRASHTEST="$ROOT/../shared/conformance/jpeg/jpeg-decoder/crashtest"
[ -d "$CRASHTEST" ] || CRASHTEST="${UNJPEG_CRASHTEST:-/work/shared/conformance/jpeg/jpeg-decoder/crashtest}"
PNGSUITE="$ROOT/Tests/PNGReaderTests/Fixtures/pngsuite"

prepare_seeds() {
    local target="$1"
    rm -rf "$OUT/seeds/$target"; mkdir -p "$OUT/seeds/$target" "$OUT/corpus/$target"
    case "$target" in
        jpeg)
            # Small files only: libFuzzer's speed falls with the input size.
            copy_seeds jpeg 16384 "$ROOT/Tests/JPEGCodecTests/Fixtures" '*.jpg' '*.jpeg'  # + fuzz-regressions/
            copy_seeds jpeg 65536 "$CRASHTEST" '*.jpg' '*.jpeg' ;;
        png)
            copy_seeds png 65536 "$PNGSUITE" '*.png'   # includes the corrupt x* files
            copy_seeds png 65536 "$ROOT/Tests/PNGReaderTests/Fixtures/generated" '*.png'
            copy_seeds png 65536 "$ROOT/Tests/PNGReaderTests/Fixtures/fuzz-regressions" '*' ;;
        inflate)
            UNJPEG_FUZZ_SEEDS="$OUT/seeds/inflate" UNJPEG_FUZZ_PNGS="$PNGSUITE" \
                "$OUT/bin/inflate" -runs=0 "$OUT/seeds/inflate" >/dev/null 2>&1 ;;
        model)
            UNJPEG_FUZZ_SEEDS="$OUT/seeds/model" "$OUT/bin/model" -runs=0 "$OUT/seeds/model" >/dev/null 2>&1
;;
        args)
            UNJPEG_FUZZ_SEEDS="$OUT/seeds/args" "$OUT/bin/args" -runs=0 "$OUT/seeds/args" >/dev/null 2>&1 ;;
    esac
    echo "   seeds: $(ls "$OUT/seeds/$target" | wc -l) files"
}

for t in "${TARGETS[@]}"; do
    case "$t" in
        jpeg)    build_target jpeg JPEGCodec JPEGDecoderFuzz.swift ;;
        png)     build_target png PNGReader PNGReaderFuzz.swift ;;
        inflate) build_target inflate PNGReader InflateFuzz.swift ;;
        model)   build_target model Net ModelFileFuzz.swift Linalg ;;
        args)    build_target args unjpeg ArgumentsFuzz.swift JPEGCodec PNGWriter PNGReader Linalg Net Cleaner ;;
        *) echo "unknown target '$t' (jpeg png inflate model args)" >&2; exit 64 ;;
    esac
done
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

# libFuzzer, not the Swift runtime, should handle a trap (the Swift backtracer confuses ASan).
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
SUMMARY="$OUT/summary.tsv"
[ -e "$SUMMARY" ] || printf 'date\ttarget\texecutions\tseconds\tcov\tft\tcorpus\tfindings\n' > "$SUMMARY"
status=0
for t in "${TARGETS[@]}"; do
    echo "== fuzzing $t for ${SECONDS_EACH}s"
    prepare_seeds "$t"
    log="$OUT/logs/$t.log"
    before=$(ls "$OUT/artifacts" | grep -c "^$t-" || true)
    set +e
    # Allocation ceilings: the model and inflate inputs are a few KB, so a loader that
    # allocates more than its input can hold (64 MB) is a finding; the image targets are
    # capped at 4 MP by their harnesses.
    case "$t" in model|inflate|args) malloc_limit=64 ;; *) malloc_limit=1024 ;; esac
    parallel=()
    [ "$JOBS" -gt 1 ] && parallel=(-fork="$JOBS")
    (cd "$OUT/logs" && exec "$OUT/bin/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb="$malloc_limit" \
        "${parallel[@]}" -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-" ${FUZZ_ARGS:-} \
        "$OUT/corpus/$t" "$OUT/seeds/$t") > "$log" 2>&1
    rc=$?
    set -e
    after=$(ls "$OUT/artifacts" | grep -c "^$t-" || true)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
    last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 || true)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | awk '{print $2}')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | awk '{print $2}')
    corp=$(ls "$OUT/corpus/$t" | wc -l)
    findings=$((after - before))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$execs" "$SECONDS_EACH" "${cov:-?}" "${ft:-?}" "$corp" "$findings" >> "$SUMMARY"
    echo "   executions $execs, cov ${cov:-?}, ft ${ft:-?}, corpus $corp, new findings $findings (exit $rc)"
    if [ "$rc" -ne 0 ] || [ "$findings" -gt 0 ]; then
        status=1
        grep -E 'ERROR|SUMMARY|Fatal error|deadly signal|Test unit written' "$log" | head -20 || true
    fi
done
echo "== summary: $SUMMARY"
{ column -t -s $'\t' "$SUMMARY" 2>/dev/null || cat "$SUMMARY"; } | tail -n $(( ${#TARGETS[@]} + 1 ))
exit $status
