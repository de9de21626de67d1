#pragma once
// The mid-L3 slice that `l3slice predict` chose, from its prediction.json, so body composition can
// run on a prediction without copying numbers by hand.
#include <filesystem>

#include "l3slice/core/slice_run.h"

namespace l3 {

// Accepts the prediction.json file or the case folder that holds it. Throws InputError naming the
// file if it is unreadable or says L3 was not found.
int slice_from_prediction(const std::filesystem::path& path);

// The L3 vertebral body's slices (first..last) from the same file.
SliceRun l3_run_from_prediction(const std::filesystem::path& path);

}  // namespace l3
