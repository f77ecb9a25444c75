#pragma once

// A small backtracking regex engine for the pre-tokenizer patterns of tokenizer.json files
// (Oniguruma semantics: leftmost match, alternatives tried in order, greedy quantifiers).
// Supports literals, '.', classes with ranges, \p{..}/\P{..} general categories, \s \S \d \D
// \w \W, groups (capturing or not), (?i:...), (?!...), (?=...), ?, *, +, {n,m} (also lazy).

#include <engine/common/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace engine::detail {

//! A compiled pattern; findAll returns the byte ranges of all non-overlapping matches.
class Regex
{
public:
    static Result<Regex> compile(std::string_view pattern);
    std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const;

    struct ClassItem
    {
        enum class Kind : std::uint8_t { Range, Category, Letter, Number, Space, Digit, Word, Any };
        Kind kind = Kind::Range;
        bool negated = false;
        char32_t first = 0, last = 0; // Range; Category keeps its category mask in first
    };
    struct CharClass
    {
        std::vector<ClassItem> items;
        bool negated = false;
        bool matches(char32_t cp) const;
    };
    struct Inst
    {
        enum class Op : std::uint8_t { Char, Split, Jmp, NegLook, PosLook, Match };
        Op op = Op::Match;
        int x = 0, y = 0; // Split: try x then y; Jmp: x; Look: body at x, continue at y
        int cls = -1;     // Char: index into m_classes
    };

private:
    bool matchAt(const std::vector<char32_t> &cps, std::size_t start, int pc, std::size_t &end,
                 std::size_t &budget) const;

    std::vector<Inst> m_prog;
    std::vector<CharClass> m_classes;
};

} // namespace engine::detail
