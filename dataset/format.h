#pragma once

// The dataset formats of platform-api.md §5 and how a file is recognised as one of them: every
// row adds to an Evidence tally, and detectFormat() decides from the tally, so the user sees
// why: 12,000 lines have "messages"; 40 also have "tools" (plain quotes: the wizard shows it
// as plain text, where Markdown backticks would show as they are).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dataset {

enum class Format { Unknown, SftChat, SftVision, Dpo, Rft, Batch };

//! "sft", "vision", "dpo", "rft", "batch" (command line, JSON); "unknown".
std::string_view formatId(Format format);
std::optional<Format> formatFromId(std::string_view id);
//! "SFT chat", "SFT vision", "DPO", "RFT / evaluation", "batch inference".
std::string_view formatDisplayName(Format format);
//! Training formats need at least 3 rows and count against rows × epochs.
bool isTrainingFormat(Format format);

//! How many rows show each sign of a format.
struct Evidence
{
    uint64_t objects = 0;           //!< rows that are JSON objects
    uint64_t messages = 0;          //!< have `messages`
    uint64_t tools = 0;             //!< have `tools` (top level or in `input`)
    uint64_t toolCalls = 0;         //!< an assistant message has `tool_calls`
    uint64_t images = 0;            //!< a message has an `image_url` part
    uint64_t endsWithAssistant = 0; //!< `messages` ends with an assistant message
    uint64_t endsWithOther = 0;     //!< `messages` ends with a user/system/tool message
    uint64_t groundTruth = 0;       //!< have `ground_truth`
    uint64_t dpo = 0;               //!< have `input`, `preferred_output` or `non_preferred_output`
    uint64_t batch = 0;             //!< have `custom_id` or `body`
    uint64_t rowWeight = 0;         //!< have a row `weight`

    Evidence &operator+=(const Evidence &other);
};

//! Why detectFormat() decided as it did: the one rule, so that a page can say it in words.
enum class FormatReason {
    NoKnownKey,  //!< no row has messages, DPO keys or batch keys
    BatchKeys,   //!< most rows have `custom_id` / `body`
    DpoKeys,     //!< most rows have `input` / `preferred_output` / `non_preferred_output`
    Images,      //!< a message has an image part
    GroundTruth, //!< more than half the rows with messages have `ground_truth`
    MorePrompts, //!< more rows end with a prompt than with an assistant answer
    MoreAnswers, //!< at least as many rows end with an assistant answer as with a prompt
};

//! The format most rows show; Unknown when no row shows any. A file that mixes chat examples
//! and prompt-only rows is taken for what most of its rows are (ties go to SFT chat): the
//! platform's pages do not say how it classifies such a file, so the wizard says which rule
//! it applied (FormatReason) and the user may check the file as the other format.
Format detectFormat(const Evidence &evidence);
//! The rule of detectFormat() that decided for `evidence`.
FormatReason formatReason(const Evidence &evidence);
//! 12,000 lines have "messages"; 40 also have "tools"; … (only the counts that are not 0).
//! `unit` is what a record of the source is called: "line" (JSONL), "row" (CSV), "element".
std::string describeEvidence(const Evidence &evidence, std::string_view unit = "line");
//! 12000 → "12,000".
std::string groupThousands(uint64_t n);

} // namespace dataset
