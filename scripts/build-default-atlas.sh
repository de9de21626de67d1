#!/usr/bin/env bash
# Rebuilds the bundled default model, models/spine-atlas-s0328.l3a, from the shared data: the bone
# projection and vertebral-body levels of TotalSegmentator subject s0328 (a bone-only real CT with
# ground-truth vertebra labels), three phantom tie-breakers, and the level check
# models/level-check-phantoms.l3q (retrained by scripts/train-level-check.sh). Deterministic: the same input gives the same file (the CLI test
# RealLevels.BundledAtlasIsRebuiltExactlyFromTheSharedData checks the CRC). Takes about a second.
# Usage: scripts/build-default-atlas.sh [l3slice binary]   (default: build-release/bin/l3slice)
set -euo pipefail
cd "$(dirname "$0")/.."
l3slice=${1:-build-release/bin/l3slice}
shared=${L3SLICE_SHARED_DATA:-../shared/data}
src=$shared/totalseg-s0328-bone-only
"$l3slice" atlas "$src/s0328_ct_bone_only_ge200HU.nii.gz" --labels "$src/s0328_vertebrae_labelmap_gt.nii.gz" \
  --scheme totalsegmentator --name s0328 --out models/spine-atlas-s0328.l3a --tie-break-phantoms 3 \
  --level-check models/level-check-phantoms.l3q \
  --provenance "TotalSegmentator dataset subject s0328 (Wasserthal et al., Radiology: AI 2023; CC BY 4.0): bone-only CT (voxels < 200 HU removed) and ground-truth vertebra masks, from github.com/scottassen/totalsegdata commit aa28e8e80d579f84ab752f34bac961ee37a00608"
