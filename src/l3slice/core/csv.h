#pragma once
// Minimal RFC 4180 CSV: quoted fields, commas and quotes inside quotes. Written by hand because
// Debian has no maintained C++ CSV library and the need is small.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace l3 {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Column index by name (case-insensitive), or -1.
  int column(const std::string& name) const;
};

// Reads a CSV file whose first line is a header. Throws InputError (naming the file and line) on
// ragged rows or an unterminated quote.
CsvTable read_csv(const std::filesystem::path& path);
CsvTable parse_csv(const std::string& text, const std::filesystem::path& path_for_errors = "<text>");

std::string csv_escape(const std::string& field);
std::string csv_line(const std::vector<std::string>& fields);  // with trailing '\n'

}  // namespace l3
