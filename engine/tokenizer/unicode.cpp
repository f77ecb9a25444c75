#include "unicode.h"

#include "unicodetables.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace engine::detail {

std::size_t utf8SequenceLength(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0 && c >= 0xC2)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0 && c <= 0xF4)
        return 4;
    return 1;
}

// Returns the code point and its length, or length 0 when s[pos] starts no valid sequence.
static char32_t decodeStrict(std::string_view s, std::size_t pos, std::size_t &len)
{
    const auto c = static_cast<unsigned char>(s[pos]);
    len = 0;
    if (c < 0x80) {
        len = 1;
        return c;
    }
    const std::size_t n = utf8SequenceLength(c);
    if (n == 1)
        return 0xFFFD;
    char32_t cp = c & (0x7F >> n);
    for (std::size_t i = 1; i < n; ++i) {
        if (pos + i >= s.size())
            return 0xFFFD;
        const auto t = static_cast<unsigned char>(s[pos + i]);
        if ((t & 0xC0) != 0x80)
            return 0xFFFD;
        if (i == 1) {
            // Overlong, surrogate and > U+10FFFF forms are rejected at the second byte.
            if ((c == 0xE0 && t < 0xA0) || (c == 0xED && t > 0x9F) || (c == 0xF0 && t < 0x90) ||
                (c == 0xF4 && t > 0x8F))
                return 0xFFFD;
        }
        cp = (cp << 6) | (t & 0x3F);
    }
    len = n;
    return cp;
}

char32_t decodeUtf8(std::string_view s, std::size_t &pos)
{
    std::size_t len = 0;
    const char32_t cp = decodeStrict(s, pos, len);
    if (len == 0) {
        // Skip the maximal valid prefix as one replacement character, as the WHATWG decoder does.
        const auto c = static_cast<unsigned char>(s[pos]);
        const std::size_t n = utf8SequenceLength(c);
        std::size_t i = 1;
        if (n > 1) {
            for (; i < n && pos + i < s.size(); ++i) {
                const auto t = static_cast<unsigned char>(s[pos + i]);
                if ((t & 0xC0) != 0x80)
                    break;
                if (i == 1 && ((c == 0xE0 && t < 0xA0) || (c == 0xED && t > 0x9F) ||
                               (c == 0xF0 && t < 0x90) || (c == 0xF4 && t > 0x8F)))
                    break;
            }
        }
        pos += i;
        return 0xFFFD;
    }
    pos += len;
    return cp;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string sanitizeUtf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        std::size_t len = 0;
        decodeStrict(bytes, pos, len);
        if (len > 0) {
            out.append(bytes.substr(pos, len));
            pos += len;
        } else {
            decodeUtf8(bytes, pos);
            appendUtf8(out, 0xFFFD);
        }
    }
    return out;
}

std::size_t incompleteUtf8Tail(std::string_view bytes)
{
    // A lead byte within the last 3 bytes whose sequence runs past the end, with valid
    // continuation bytes so far, is a character still being streamed.
    for (std::size_t back = 1; back <= 3 && back <= bytes.size(); ++back) {
        const auto c = static_cast<unsigned char>(bytes[bytes.size() - back]);
        if ((c & 0xC0) == 0x80)
            continue;
        const std::size_t n = utf8SequenceLength(c);
        if (n <= back || c < 0xC0)
            return 0;
        if (back >= 2) {
            const auto t = static_cast<unsigned char>(bytes[bytes.size() - back + 1]);
            if ((c == 0xE0 && t < 0xA0) || (c == 0xED && t > 0x9F) || (c == 0xF0 && t < 0x90) ||
                (c == 0xF4 && t > 0x8F))
                return 0;
        }
        return back;
    }
    return 0;
}

static bool inRanges(const CodepointRange *ranges, std::size_t count, char32_t cp)
{
    const CodepointRange *end = ranges + count;
    const CodepointRange *it = std::upper_bound(
        ranges, end, cp, [](char32_t v, const CodepointRange &r) { return v < r.first; });
    if (it == ranges)
        return false;
    --it;
    return cp <= it->last;
}

GeneralCategory generalCategory(char32_t cp)
{
    const CategoryRange *begin = kCategoryRanges, *end = kCategoryRanges + kCategoryRangesCount;
    const CategoryRange *it = std::upper_bound(
        begin, end, cp, [](char32_t v, const CategoryRange &r) { return v < r.first; });
    if (it == begin)
        return GeneralCategory::Cn;
    --it;
    return cp <= it->last ? static_cast<GeneralCategory>(it->category) : GeneralCategory::Cn;
}

bool isLetter(char32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    const auto c = generalCategory(cp);
    return c >= GeneralCategory::Lu && c <= GeneralCategory::Lo;
}

bool isNumber(char32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    const auto c = generalCategory(cp);
    return c >= GeneralCategory::Nd && c <= GeneralCategory::No;
}

bool isWhiteSpace(char32_t cp)
{
    return inRanges(kSpaceRanges, kSpaceRangesCount, cp);
}

namespace {

struct NfcData
{
    std::unordered_map<char32_t, std::uint8_t> ccc;
    std::unordered_map<char32_t, std::pair<char32_t, char32_t>> decomp;
    std::unordered_map<std::uint64_t, char32_t> compose;

    NfcData()
    {
        for (std::size_t i = 0; i < kCombiningClassCount; ++i)
            ccc.emplace(kCombiningClasses[i].cp, kCombiningClasses[i].ccc);
        for (std::size_t i = 0; i < kDecompositionCount; ++i)
            decomp.emplace(kDecompositions[i].cp,
                           std::make_pair(kDecompositions[i].first, kDecompositions[i].second));
        for (std::size_t i = 0; i < kCompositionCount; ++i)
            compose.emplace((std::uint64_t(kCompositions[i].first) << 32) | kCompositions[i].second,
                            kCompositions[i].composed);
    }
};

const NfcData &nfcData()
{
    static const NfcData data;
    return data;
}

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount,
                   kSCount = kLCount * kNCount;

std::uint8_t combiningClass(const NfcData &d, char32_t cp)
{
    if (cp < 0x300)
        return 0;
    auto it = d.ccc.find(cp);
    return it == d.ccc.end() ? 0 : it->second;
}

void decompose(const NfcData &d, char32_t cp, std::vector<char32_t> &out)
{
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const char32_t s = cp - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount != 0)
            out.push_back(kTBase + s % kTCount);
        return;
    }
    auto it = d.decomp.find(cp);
    if (it == d.decomp.end()) {
        out.push_back(cp);
        return;
    }
    decompose(d, it->second.first, out);
    if (it->second.second != 0)
        decompose(d, it->second.second, out);
}

} // namespace

std::string nfc(std::string_view text)
{
    // Fast path: ASCII text is already in NFC.
    if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; }))
        return std::string(text);
    const NfcData &d = nfcData();
    std::vector<char32_t> cps;
    cps.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();)
        decompose(d, decodeUtf8(text, pos), cps);
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (std::size_t i = 0; i < cps.size();) {
        if (combiningClass(d, cps[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < cps.size() && combiningClass(d, cps[j]) != 0)
            ++j;
        std::stable_sort(cps.begin() + i, cps.begin() + j, [&](char32_t a, char32_t b) {
            return combiningClass(d, a) < combiningClass(d, b);
        });
        i = j;
    }
    // Canonical composition: a mark composes with the last starter unless blocked by a
    // character in between of class 0 or of a class >= its own.
    std::vector<char32_t> out;
    out.reserve(cps.size());
    std::size_t starter = SIZE_MAX;
    int lastCcc = -1; // -1: nothing between the starter and the current character
    for (char32_t cp : cps) {
        const int ccc = combiningClass(d, cp);
        if (starter != SIZE_MAX && (lastCcc == -1 || (lastCcc != 0 && lastCcc < ccc))) {
            const char32_t s = out[starter];
            char32_t composed = 0;
            if (s >= kLBase && s < kLBase + kLCount && cp >= kVBase && cp < kVBase + kVCount) {
                composed = kSBase + ((s - kLBase) * kVCount + (cp - kVBase)) * kTCount;
            } else if (s >= kSBase && s < kSBase + kSCount && (s - kSBase) % kTCount == 0 &&
                       cp > kTBase && cp < kTBase + kTCount) {
                composed = s + (cp - kTBase);
            } else {
                auto it = d.compose.find((std::uint64_t(s) << 32) | cp);
                if (it != d.compose.end())
                    composed = it->second;
            }
            if (composed != 0) {
                out[starter] = composed;
                continue;
            }
        }
        if (ccc == 0) {
            starter = out.size();
            lastCcc = -1;
        } else {
            lastCcc = ccc;
        }
        out.push_back(cp);
    }
    std::string result;
    result.reserve(text.size());
    for (char32_t cp : out)
        appendUtf8(result, cp);
    return result;
}

} // namespace engine::detail
