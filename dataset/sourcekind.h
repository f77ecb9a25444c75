#pragma once

// What kind of file a dataset source is (JSONL, JSON array, CSV, prompt/completion JSONL),
// guessed from its name and first bytes, and how its records are called.

#include <string>
#include <string_view>

namespace dataset {

//! PromptCompletion: JSONL lines of the completions format, {"prompt": …, "completion": …},
//! read as {"messages": [user, assistant]} (the platform trains on chat messages only).
enum class SourceKind { Auto, Jsonl, JsonArray, Csv, PromptCompletion };

//! "JSONL", "JSON array", "CSV", "JSONL prompt/completion"
std::string_view sourceKindName(SourceKind kind);
//! What one record of `kind` is called: "line" (JSONL), "element" (JSON array), "row" (CSV).
std::string_view recordNoun(SourceKind kind);
//! .csv → Csv; a file whose first non-blank byte is '[' → JsonArray; a file whose first line
//! is an object with "prompt" and "completion" and no "messages" → PromptCompletion;
//! otherwise Jsonl.
SourceKind guessSourceKind(const std::string &path);

} // namespace dataset
