#pragma once
// Training manifests from public datasets laid out as they are distributed:
//  - TotalSegmentator: <root>/sXXXX/ct.nii.gz + <root>/sXXXX/segmentations/vertebrae_L3.nii.gz
//    (a binary whole-vertebra mask per structure; label value 1; an empty mask = L3 not in view);
//  - VerSe: <root>/rawdata/sub-*/[ses-*/]<name>_ct.nii.gz + <root>/derivatives/sub-*/[ses-*/]
//    <name>_seg-vert_msk.nii.gz (VerSe numbering, L3 = 22); patient_id = the sub-* folder.
// Paths in the manifest are relative to the manifest's folder when they can be.
#include <filesystem>
#include <vector>

#include "l3slice/core/manifest.h"

namespace l3 {

// Throws InputError naming `root` when it has no case in that layout; cases with a CT but no
// label file are left out and counted in `*skipped` (if given).
std::vector<ManifestEntry> totalsegmentator_manifest(const std::filesystem::path& root, int* skipped = nullptr);
std::vector<ManifestEntry> verse_manifest(const std::filesystem::path& root, int* skipped = nullptr);

// The same entries with paths relative to `manifest_dir` (absolute where no relative path exists).
std::vector<ManifestEntry> relative_to(std::vector<ManifestEntry> entries, const std::filesystem::path& manifest_dir);

}  // namespace l3
