#include "l3slice/core/failures.h"

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"

namespace l3 {

void write_failures(const std::filesystem::path& dir, const std::vector<CaseFailure>& failures) {
  const std::filesystem::path path = dir / "failures.csv";
  if (failures.empty()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return;
  }
  std::string text = csv_line({"case_id", "input", "error"});
  for (const auto& f : failures) text += csv_line({f.case_id, f.input, f.error});
  write_text_atomically(path, text);
}

}  // namespace l3
