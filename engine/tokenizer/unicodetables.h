#pragma once

// Unicode data the tokenizer needs (generated into unicodetables.cpp by gen_unicode_tables.py).

#include <cstddef>
#include <cstdint>

namespace engine::detail {

struct CodepointRange
{
    char32_t first;
    char32_t last;
};
//! General categories, in the order of GeneralCategory.
struct CategoryRange
{
    char32_t first;
    char32_t last;
    std::uint8_t category;
};
struct CombiningClass
{
    char32_t cp;
    std::uint8_t ccc;
};
//! Canonical decomposition of cp into one or two code points (second is 0 for singletons).
struct Decomposition
{
    char32_t cp;
    char32_t first;
    char32_t second;
};
//! Canonical composition first + second -> composed (composition exclusions removed).
struct Composition
{
    char32_t first;
    char32_t second;
    char32_t composed;
};

extern const CategoryRange kCategoryRanges[];
extern const std::size_t kCategoryRangesCount;
extern const CodepointRange kSpaceRanges[];
extern const std::size_t kSpaceRangesCount;
extern const CombiningClass kCombiningClasses[];
extern const std::size_t kCombiningClassCount;
extern const Decomposition kDecompositions[];
extern const std::size_t kDecompositionCount;
extern const Composition kCompositions[];
extern const std::size_t kCompositionCount;

} // namespace engine::detail
