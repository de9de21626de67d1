#pragma once
// A fingerprint of an input, so a result is reused only for the very input it was made from:
// a file: its size and the CRC32 of its bytes; a folder (DICOM series): the CRC32 of every file's
// relative path and size, in sorted order (reading every byte of a large series would cost more
// than the work it saves). Format: "file:<size>:<crc32 hex>" or "folder:<files>:<bytes>:<crc32 hex>".
#include <filesystem>
#include <string>

namespace l3 {

// Throws InputError naming `path` if it cannot be read.
std::string input_fingerprint(const std::filesystem::path& path);

}  // namespace l3
