#!/usr/bin/env bash
# Trains the body-composition U-Net on phantoms and compares it with the classical method on the
# real reference (30 slices of ct-upper-abdomen.nii.gz against TotalSegmentator's tissue masks) and
# on 12 held-out phantoms: the table in README "Body composition on real CT". The real CT is never
# trained on. Resumable by steps: an existing phantom set or model is reused.
# Usage: scripts/bodycomp-unet.sh [work folder (default build-release/bodycomp-unet)]
# About 25 minutes on 2 cores (phantoms 4 min, training 20 min).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-build-release/bodycomp-unet}
bin=build-release/bin
shared=$(realpath "${L3SLICE_SHARED_DATA:-../shared/data}")
cmake --build build-release --target l3slice_cli bench_bodycomp_reference >/dev/null
mkdir -p "$work"
if [ ! -f "$work/phantoms/tissue-manifest.csv" ]; then
  "$bin/l3slice" phantom --count 96 --seed 2000 --matrix 256 --scanner-variety --crowded-abdomen --out "$work/phantoms"
fi
if [ ! -f "$work/unet.l3u" ]; then
  "$bin/l3slice" train-bodycomp -m "$work/phantoms/tissue-manifest.csv" -l phantom -o "$work/unet.l3u" \
    --epochs 20 --levels 5 --base-channels 8 --seed 1
fi
"$bin/bench_bodycomp_reference" "$shared" "$work/unet.l3u"
