#pragma once

// UTF-8 and Unicode helpers for the tokenizer: decoding, category tests, NFC.

#include <cstdint>
#include <string>
#include <string_view>

namespace engine::detail {

//! Decodes one code point at s[pos], advancing pos; invalid bytes decode as U+FFFD (1 byte).
char32_t decodeUtf8(std::string_view s, std::size_t &pos);
void appendUtf8(std::string &out, char32_t cp);
//! Length in bytes of the UTF-8 sequence starting with lead byte c (1 for invalid lead bytes).
std::size_t utf8SequenceLength(unsigned char c);
//! Replaces invalid UTF-8 with U+FFFD the way TextDecoder / from_utf8_lossy do.
std::string sanitizeUtf8(std::string_view bytes);
//! Number of trailing bytes that form an incomplete (but so far valid) UTF-8 sequence.
std::size_t incompleteUtf8Tail(std::string_view bytes);

//! Unicode general categories, in the order gen_unicode_tables.py writes them.
enum class GeneralCategory : std::uint8_t {
    Cn,
    Lu,
    Ll,
    Lt,
    Lm,
    Lo,
    Mn,
    Mc,
    Me,
    Nd,
    Nl,
    No,
    Pc,
    Pd,
    Ps,
    Pe,
    Pi,
    Pf,
    Po,
    Sm,
    Sc,
    Sk,
    So,
    Zs,
    Zl,
    Zp,
    Cc,
    Cf,
    Cs,
    Co
};
GeneralCategory generalCategory(char32_t cp);
bool isLetter(char32_t cp);
bool isNumber(char32_t cp);
bool isWhiteSpace(char32_t cp);

//! Unicode Normalization Form C.
std::string nfc(std::string_view text);

} // namespace engine::detail
