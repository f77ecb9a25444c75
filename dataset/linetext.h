#pragma once

// The text of one record for a viewer: read from its offset (a problem's `offset`) up to the end
// of its line, and indented when it is JSON.

#include <cstdint>
#include <string>
#include <string_view>

namespace dataset {

//! The line starting at `offset` (without its line ending), at most maxBytes of it; empty when
//! the file cannot be read. Opens the file read-only.
std::string readLineAt(const std::string &path, uint64_t offset, std::size_t maxBytes = 1 << 20);
//! `json` indented by two spaces; the text unchanged (and *ok false) when it is not JSON.
std::string indentJson(std::string_view json, bool *ok = nullptr);

} // namespace dataset
