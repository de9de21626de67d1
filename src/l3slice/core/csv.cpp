#include "l3slice/core/csv.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

int CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (lower(header[i]) == lower(name)) return static_cast<int>(i);
  return -1;
}

CsvTable parse_csv(const std::string& text, const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false, field_quoted = false, any = false;
  int line = 1;
  auto end_field = [&] {
    fields.push_back(field_quoted ? field : trim(field));
    field.clear();
    field_quoted = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && trim(field).empty()) {
      in_quotes = field_quoted = any = true;
      field.clear();
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\n') {
      end_field();
      const bool blank = fields.size() == 1 && fields[0].empty() && !any;
      if (!blank) records.push_back(std::move(fields));
      fields.clear();
      any = false;
      ++line;
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (in_quotes) throw InputError(path, "unterminated quote at line " + std::to_string(line));
  if (any || !field.empty()) {
    end_field();
    records.push_back(std::move(fields));
  }
  if (records.empty()) throw InputError(path, "empty CSV file (expected a header line)");

  CsvTable table;
  table.header = std::move(records.front());
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header.size())
      throw InputError(path, "row " + std::to_string(r + 1) + " has " + std::to_string(records[r].size()) +
                                 " fields, the header has " + std::to_string(table.header.size()));
    table.rows.push_back(std::move(records[r]));
  }
  return table;
}

CsvTable read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path);
}

std::string csv_escape(const std::string& f) {
  if (f.find_first_of(",\"\n\r") == std::string::npos) return f;
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_escape(fields[i]);
  }
  return out + "\n";
}

}  // namespace l3
