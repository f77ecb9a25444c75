#pragma once

// engine::Tokenizer: loads a Hugging Face tokenizer.json (byte-level BPE as in Llama 3 and Qwen,
// SentencePiece-style BPE with byte fallback as in Llama 2 and Mistral) and encodes/decodes
// text the way transformers does. engine::StreamingDetokenizer turns generated ids into text
// pieces for streaming output.

#include <engine/common/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

namespace detail {
struct TokenizerData;
}

//! A loaded tokenizer; immutable and safe to share between threads.
class Tokenizer
{
public:
    //! Loads modelDir/tokenizer.json and, when present, modelDir/tokenizer_config.json.
    static Result<std::shared_ptr<const Tokenizer>> load(const std::string &modelDir);
    //! Builds a tokenizer from the text of tokenizer.json (and optionally tokenizer_config.json).
    static Result<std::shared_ptr<const Tokenizer>>
    fromJson(std::string_view tokenizerJson, std::string_view tokenizerConfigJson = {});

    ~Tokenizer();

    //! Token ids for text (UTF-8); addSpecialTokens applies the post-processor (BOS etc.).
    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = true) const;
    //! Text for ids; unknown ids are skipped; invalid UTF-8 comes out as U+FFFD.
    std::string decode(std::span<const int32_t> ids, bool skipSpecialTokens = false) const;
    //! One past the largest id of the vocabulary and the added tokens.
    int32_t vocabSize() const;
    std::optional<int32_t> tokenId(std::string_view token) const;
    std::string tokenText(int32_t id) const; // the raw vocabulary string
    bool isSpecial(int32_t id) const;
    std::optional<int32_t> bosId() const; // from tokenizer_config.json / added tokens
    std::optional<int32_t> eosId() const;
    std::string bosToken() const; // text, "" if none
    std::string eosToken() const; // text, "" if none

    //! Whether decode() cleans up spaces before punctuation (tokenizer_config.json
    //! clean_up_tokenization_spaces); the streaming detokenizer needs to know.
    bool cleansUpSpaces() const;

private:
    friend class StreamingDetokenizer;
    Tokenizer();
    //! decode() before invalid UTF-8 is replaced and spaces are cleaned up.
    std::string decodeBytes(std::span<const int32_t> ids, bool skipSpecialTokens) const;
    std::string finishDecode(std::string bytes) const;

    std::unique_ptr<detail::TokenizerData> d; // owned
};

//! Turns a stream of ids into text pieces; never emits half a UTF-8 character. The pieces
//! concatenated equal decode() of all ids pushed so far once finish() has been called.
class StreamingDetokenizer
{
public:
    explicit StreamingDetokenizer(std::shared_ptr<const Tokenizer> tokenizer,
                                  bool skipSpecialTokens = true);
    //! Text that became final with this id (may be empty while a character is incomplete).
    std::string push(int32_t id);
    //! Whatever is still held back; the detokenizer starts over afterwards.
    std::string finish();

private:
    std::shared_ptr<const Tokenizer> m_tokenizer;
    bool m_skipSpecial = true;
    std::vector<int32_t> m_ids;   // ids from m_prefixOffset on, as pushed
    std::size_t m_readOffset = 0; // ids before this (in m_ids) have been emitted
};

} // namespace engine
