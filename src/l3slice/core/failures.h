#pragma once
// How every batch command (predict, evaluate, bodycomp) reports the cases it could not do: one
// <out>/failures.csv with the same columns (case_id, input, error), a summary line, and a non-zero
// exit unless the user allows partial success (--allow-failures).
#include <filesystem>
#include <string>
#include <vector>

namespace l3 {

struct CaseFailure {
  std::string case_id;
  std::string input;  // the scan (or manifest row's image) that failed
  std::string error;  // one line
};

// Writes <dir>/failures.csv atomically, or removes a stale one when there are no failures.
void write_failures(const std::filesystem::path& dir, const std::vector<CaseFailure>& failures);

}  // namespace l3
