#!/usr/bin/env bash
# The main job on a bundled default, from nothing: installs the dependencies, builds l3slice
# (Release), predicts the L3 slice of the shared real scans (../shared/data) with the bundled
# default model (a spine atlas; no training) and measures body composition on the real CT; then
# shows training: generates synthetic phantom cohorts, trains a small L3 classifier (ResNet18, a
# few minutes on 2 CPU cores), and compares it with the default on the held-out phantoms.
# Outputs go to demo-output/ (or $L3SLICE_DEMO_OUT). Re-running resumes/reuses what is done.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${L3SLICE_DEMO_OUT:-$root/demo-output}
shared=${L3SLICE_SHARED_DATA:-$root/../shared/data}

bash scripts/install-deps.sh
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DL3SLICE_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
cmake --build build-release --target l3slice_cli -j"$(nproc)"
l3slice=$root/build-release/bin/l3slice
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "1. the L3 slice of the shared real scans with the bundled default model (models/spine-atlas-s0328.l3a, no training)"
if [ -f "$shared/totalseg-example/ct.nii.gz" ]; then
  "$l3slice" predict "$shared/totalseg-example/ct.nii.gz" "$shared/totalseg-example/ct-upper-abdomen.nii.gz" \
    "$shared/real-negatives/lidc-idri-0001-chest" "$shared/real-negatives/acrin-flt-breast-001-headneck" \
    --out "$out/predictions" --redo
  cat "$out/predictions/summary.csv"
  echo "(truth: ct has its L3 vertebral body at slices 69-79, middle 74; the other three scans have no L3)"
  slice=$(awk -F, '$1=="ct" && $3!="" {print $3}' "$out/predictions/summary.csv")
  step "2. body composition on the predicted slice of the real CT (or the true middle, 74, if none was found)"
  "$l3slice" bodycomp "$shared/totalseg-example/ct.nii.gz" --slice "${slice:-74}" --out "$out/bodycomp"
else
  echo "shared data not found at $shared: skipping the real-CT steps"
fi

step "3. synthetic phantom cohorts (training: 48 cases, held-out: 16 cases; 3 mm slices)"
[ -f "$out/phantoms-train/manifest.csv" ] || "$l3slice" phantom --out "$out/phantoms-train" --count 48 --seed 1000 --slice-mm 3
[ -f "$out/phantoms-test/manifest.csv" ] || "$l3slice" phantom --out "$out/phantoms-test" --count 16 --seed 9000 --slice-mm 3

step "4. train a ResNet18 L3 classifier on the training phantoms (the published method; truth: L3 vertebral body, label 22)"
resume=()  # an interrupted training continues from its checkpoint
[ -f "$out/model.l3m.ckpt" ] && resume=(--resume)
[ -f "$out/model.l3m" ] || "$l3slice" train --manifest "$out/phantoms-train/manifest.csv" --out "$out/model.l3m" \
  --arch resnet18 --input-size 96 --fov-mm 400 --epochs 6 --batch 32 --oversample 2 --class-weight 2 --seed 1 "${resume[@]}"

step "5. the trained classifier and the default spine atlas side by side on the held-out phantoms"
"$l3slice" evaluate --manifest "$out/phantoms-test/manifest.csv" --model "$out/model.l3m" \
  --model "$root/models/spine-atlas-s0328.l3a" --out "$out/evaluation"
printf '\nDone. Outputs in %s (QC pictures: predictions/*/qc.png, bodycomp/*.png)\n' "$out"
