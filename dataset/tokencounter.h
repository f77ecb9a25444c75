#pragma once

// Counts every example's tokens the way training sees them: the model folder's chat template
// (engine::ChatTemplate, the Jinja interpreter with transformers' settings) renders the
// messages, and the model's tokenizer.json (engine::Tokenizer) encodes the text without
// adding special tokens again, as transformers' apply_chat_template(tokenize=True) does.
// Records stream from disk; worker threads (both cores by default) render and encode.

#include <dataset/format.h>
#include <dataset/problem.h>
#include <dataset/recordreader.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dataset {

struct TokenCountOptions
{
    std::string modelDir;         //!< tokenizer.json + tokenizer_config.json (+ config.json)
    std::optional<Format> format; //!< default: detected from the first records
    SourceKind source = SourceKind::Auto;
    CsvMapping csv;
    int threads = 0;              //!< 0: every core
    int maxContext = 0;           //!< examples longer are reported; 0: the model's context length
    std::size_t maxListed = 1000; //!< over-length examples and failures kept with their line
    const std::atomic<bool> *cancel = nullptr;
    std::function<void(uint64_t done, uint64_t total)> progress;
};

struct TokenStats
{
    std::string error; //!< the model folder could not be used; nothing was counted
    Format format = Format::Unknown;
    int modelContextLength = 0; //!< config.json max_position_embeddings; 0 when unknown
    int maxContext = 0;         //!< the limit examples were compared with (0: none)
    uint64_t examples = 0;      //!< non-blank records
    uint64_t failed = 0;        //!< not JSON, no messages, or the template refused them
    uint64_t totalTokens = 0;
    uint32_t minTokens = 0;
    uint32_t maxTokens = 0;
    uint32_t p50 = 0, p95 = 0, p99 = 0;
    //! Tokens of every counted example and its line, in file order.
    std::vector<uint32_t> tokens;
    std::vector<uint64_t> lines;
    //! A CSV source's row of each counted example as a spreadsheet numbers it (Problem::row);
    //! 0 for other sources.
    std::vector<uint64_t> rows;
    struct Example
    {
        uint64_t line = 0;
        uint32_t tokens = 0;
        uint64_t row = 0; //!< a CSV row's number (Problem::row); 0 for other sources
    };
    uint64_t overLength = 0;       //!< examples longer than maxContext
    std::vector<Example> longest;  //!< the over-length ones, in file order (maxListed)
    std::vector<Problem> failures; //!< why examples could not be counted (maxListed)
    bool cancelled = false;
    double seconds = 0;
    uint64_t bytes = 0;

    double meanTokens() const { return tokens.empty() ? 0 : double(totalTokens) / tokens.size(); }
    //! Counts per bin of `binWidth` tokens, from 0 to maxTokens.
    std::vector<uint64_t> histogram(uint32_t binWidth) const;
    //! Compares the counted examples with another limit (0: none): sets maxContext and
    //! recomputes overLength and longest (at most maxListed) without counting again.
    void compareWith(int limit, std::size_t maxListed = 1000);
};

TokenStats countTokens(const std::string &path, const TokenCountOptions &options);

} // namespace dataset
