#pragma once

// The pieces of a tokenizer.json pipeline: normalizers, pre-tokenizers and decoders. Each is
// built from its JSON object; errors name the JSON path of the offending field.

#include "regex.h"

#include <engine/common/result.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace engine::detail {

//! A text -> text step applied to each section between added tokens.
class Normalizer
{
public:
    virtual ~Normalizer() = default;
    virtual std::string normalize(std::string text) const = 0;
    //! Builds from JSON at path (for messages); null JSON gives a null normalizer.
    static Result<std::unique_ptr<Normalizer>> fromJson(const nlohmann::json &j,
                                                        const std::string &path);
};

//! Splits pieces of text into smaller pieces (and may rewrite them, as ByteLevel does).
class PreTokenizer
{
public:
    virtual ~PreTokenizer() = default;
    //! sectionIndex: index of the section between added tokens (Metaspace "first").
    virtual std::vector<std::string> split(const std::vector<std::string> &pieces,
                                           std::size_t sectionIndex) const = 0;
    static Result<std::unique_ptr<PreTokenizer>> fromJson(const nlohmann::json &j,
                                                          const std::string &path);
};

//! A step of the decoder chain: token strings in, token strings out. Byte decoders leave
//! invalid UTF-8 as it is; Tokenizer::decode replaces it once at the end, which gives the same
//! text as replacing per run (a valid token never starts with a continuation byte) and lets the
//! streaming detokenizer tell an unfinished character from a broken one.
class Decoder
{
public:
    virtual ~Decoder() = default;
    //! addedTokens: contents of added tokens, which ByteLevel passes through unchanged.
    virtual std::vector<std::string>
    decodeChain(std::vector<std::string> tokens,
                const std::unordered_set<std::string> &addedTokens) const = 0;
    static Result<std::unique_ptr<Decoder>> fromJson(const nlohmann::json &j,
                                                     const std::string &path);
};

//! The GPT-2 byte <-> printable character mapping of ByteLevel.
const std::string &byteToUnicode(unsigned char byte);
//! Inverse of byteToUnicode; -1 if cp is not one of the 256 characters.
int unicodeToByte(char32_t cp);

//! Helpers shared by the loaders: JSON type checks that name the field.
Error jsonError(const std::string &path, const std::string &what);
Result<std::string> jsonString(const nlohmann::json &obj, const char *key, const std::string &path);

} // namespace engine::detail
