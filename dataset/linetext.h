#pragma once

// The text of one record for a viewer: read from its offset (a problem's `offset`) up to the end
// of its line or of its record, and indented when it is JSON.

#include <dataset/recordreader.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace dataset {

//! The line starting at `offset` (without its line ending), at most maxBytes of it; empty when
//! the file cannot be read. Opens the file read-only.
std::string readLineAt(const std::string &path, uint64_t offset, std::size_t maxBytes = 1 << 20);
//! The whole record that starts at `offset` (a problem's `offset`), as the file has it: a JSONL
//! line; a CSV row, its quoted line breaks included (shown as \n); a JSON array's element, over
//! as many lines as it spans. At most maxBytes; empty when the file cannot be read.
std::string readRecordAt(const std::string &path, SourceKind kind, uint64_t offset,
                         std::size_t maxBytes = 1 << 20);
//! `json` indented by two spaces; the text unchanged (and *ok false) when it is not JSON.
std::string indentJson(std::string_view json, bool *ok = nullptr);

} // namespace dataset
