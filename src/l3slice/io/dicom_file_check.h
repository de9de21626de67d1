#pragma once
// Internal: a cheap structural check of a DICOM Part 10 file before GDCM parses it.
//
// Why: the Debian GDCM is built with assertions, and a file truncated inside its header makes its
// parser's recovery path abort the whole process. Walking the element lengths first lets us refuse
// such a file with a message instead. Only little-endian (explicit or implicit VR) data sets are
// walked; anything else is left to GDCM.
#include <filesystem>
#include <optional>
#include <string>

namespace l3 {

// True if the file has the "DICM" marker after a 128-byte preamble.
bool has_dicm_marker(const std::filesystem::path& path);

// What is structurally wrong with a Part 10 file (e.g. "is truncated: ..."), or nothing.
std::optional<std::string> dicom_structure_problem(const std::filesystem::path& path);

}  // namespace l3
