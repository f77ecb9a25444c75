#include "components.h"

#include "unicode.h"

#include <array>

namespace engine::detail {

using nlohmann::json;

// Nesting of Sequence steps shows in the path; bounding it bounds the recursion.
constexpr std::size_t kMaxPathLength = 1500;

Error jsonError(const std::string &path, const std::string &what)
{
    return makeError(Error::Code::Corrupt, "tokenizer.json: " + path + ": " + what);
}

Result<std::string> jsonString(const json &obj, const char *key, const std::string &path)
{
    auto it = obj.find(key);
    if (it == obj.end())
        return jsonError(path + "." + key, "missing");
    if (!it->is_string())
        return jsonError(path + "." + key, "expected a string");
    return it->get<std::string>();
}

static Result<bool> jsonBool(const json &obj, const char *key, const std::string &path, bool def)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return def;
    if (!it->is_boolean())
        return jsonError(path + "." + key, "expected a boolean");
    return it->get<bool>();
}

namespace {

struct ByteTables
{
    std::array<std::string, 256> toUnicode;
    std::array<int, 512> fromUnicode{};

    ByteTables()
    {
        fromUnicode.fill(-1);
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable =
                (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const char32_t cp = printable ? char32_t(b) : char32_t(256 + n++);
            appendUtf8(toUnicode[std::size_t(b)], cp);
            fromUnicode[cp] = b;
        }
    }
};

const ByteTables &byteTables()
{
    static const ByteTables tables;
    return tables;
}

// A "pattern" object: {"String": "..."} or {"Regex": "..."}.
struct Pattern
{
    bool isRegex = false;
    std::string literal;
    std::shared_ptr<Regex> regex;

    std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const
    {
        if (isRegex)
            return regex->findAll(text);
        std::vector<std::pair<std::size_t, std::size_t>> out;
        if (literal.empty())
            return out;
        for (std::size_t pos = text.find(literal); pos != std::string_view::npos;
             pos = text.find(literal, pos + literal.size()))
            out.emplace_back(pos, pos + literal.size());
        return out;
    }

    std::string replaceAll(std::string_view text, std::string_view content) const
    {
        std::string out;
        std::size_t last = 0;
        for (auto [b, e] : findAll(text)) {
            out.append(text.substr(last, b - last));
            out.append(content);
            last = e;
        }
        out.append(text.substr(last));
        return out;
    }
};

Result<Pattern> parsePattern(const json &obj, const std::string &path)
{
    auto it = obj.find("pattern");
    if (it == obj.end() || !it->is_object())
        return jsonError(path + ".pattern", "expected an object with \"String\" or \"Regex\"");
    Pattern p;
    if (auto s = it->find("String"); s != it->end()) {
        if (!s->is_string())
            return jsonError(path + ".pattern.String", "expected a string");
        p.literal = s->get<std::string>();
        return p;
    }
    if (auto r = it->find("Regex"); r != it->end()) {
        if (!r->is_string())
            return jsonError(path + ".pattern.Regex", "expected a string");
        auto re = Regex::compile(r->get<std::string>());
        if (!re)
            return makeError(re.error().code,
                             "tokenizer.json: " + path + ".pattern.Regex: " + re.error().message);
        p.isRegex = true;
        p.regex = std::make_shared<Regex>(std::move(re.value()));
        return p;
    }
    return jsonError(path + ".pattern", "expected \"String\" or \"Regex\"");
}

// ---- normalizers ----

class NfcNormalizer : public Normalizer
{
public:
    std::string normalize(std::string text) const override { return nfc(text); }
};

class PrependNormalizer : public Normalizer
{
public:
    explicit PrependNormalizer(std::string prepend) : m_prepend(std::move(prepend)) {}
    std::string normalize(std::string text) const override
    {
        return text.empty() ? text : m_prepend + text;
    }

private:
    std::string m_prepend;
};

class ReplaceNormalizer : public Normalizer
{
public:
    ReplaceNormalizer(Pattern pattern, std::string content)
        : m_pattern(std::move(pattern)), m_content(std::move(content))
    {}
    std::string normalize(std::string text) const override
    {
        return m_pattern.replaceAll(text, m_content);
    }

private:
    Pattern m_pattern;
    std::string m_content;
};

class StripNormalizer : public Normalizer
{
public:
    StripNormalizer(bool left, bool right) : m_left(left), m_right(right) {}
    std::string normalize(std::string text) const override
    {
        std::size_t b = 0, e = text.size();
        if (m_left) {
            while (b < e) {
                std::size_t p = b;
                if (!isWhiteSpace(decodeUtf8(text, p)))
                    break;
                b = p;
            }
        }
        if (m_right) {
            while (e > b) {
                std::size_t start = e - 1;
                while (start > b && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
                    --start;
                std::size_t p = start;
                if (!isWhiteSpace(decodeUtf8(text, p)))
                    break;
                e = start;
            }
        }
        return text.substr(b, e - b);
    }

private:
    bool m_left, m_right;
};

class SequenceNormalizer : public Normalizer
{
public:
    std::vector<std::unique_ptr<Normalizer>> steps;
    std::string normalize(std::string text) const override
    {
        for (const auto &s : steps)
            text = s->normalize(std::move(text));
        return text;
    }
};

// ---- pre-tokenizers ----

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

class SplitPreTokenizer : public PreTokenizer
{
public:
    SplitPreTokenizer(Pattern pattern, SplitBehavior behavior, bool invert)
        : m_pattern(std::move(pattern)), m_behavior(behavior), m_invert(invert)
    {}

    std::vector<std::string> split(const std::vector<std::string> &pieces,
                                   std::size_t) const override
    {
        std::vector<std::string> out;
        for (const auto &piece : pieces)
            splitOne(piece, out);
        return out;
    }

private:
    void splitOne(const std::string &text, std::vector<std::string> &out) const
    {
        // (begin, end, isMatch) segments covering the text.
        std::vector<std::tuple<std::size_t, std::size_t, bool>> segs;
        std::size_t last = 0;
        for (auto [b, e] : m_pattern.findAll(text)) {
            if (b > last)
                segs.emplace_back(last, b, false);
            segs.emplace_back(b, e, true);
            last = e;
        }
        if (last < text.size())
            segs.emplace_back(last, text.size(), false);
        if (m_invert)
            for (auto &s : segs)
                std::get<2>(s) = !std::get<2>(s);
        std::vector<std::pair<std::size_t, std::size_t>> parts;
        bool lastWasMatch = false;
        bool prevMatch = false;
        switch (m_behavior) {
        case SplitBehavior::Removed:
            for (auto [b, e, m] : segs)
                if (!m)
                    parts.emplace_back(b, e);
            break;
        case SplitBehavior::Isolated:
            for (auto [b, e, m] : segs)
                parts.emplace_back(b, e);
            break;
        case SplitBehavior::Contiguous:
            for (auto [b, e, m] : segs) {
                if (!parts.empty() && m && lastWasMatch)
                    parts.back().second = e;
                else
                    parts.emplace_back(b, e);
                lastWasMatch = m;
            }
            break;
        case SplitBehavior::MergedWithPrevious:
            for (auto [b, e, m] : segs) {
                if (m && !parts.empty() && !prevMatch)
                    parts.back().second = e;
                else
                    parts.emplace_back(b, e);
                prevMatch = m;
            }
            break;
        case SplitBehavior::MergedWithNext: {
            bool pendingMatch = false;
            for (auto [b, e, m] : segs) {
                if (pendingMatch && !m)
                    parts.back().second = e;
                else
                    parts.emplace_back(b, e);
                pendingMatch = m;
            }
            break;
        }
        }
        for (auto [b, e] : parts)
            if (e > b)
                out.push_back(text.substr(b, e - b));
    }

    Pattern m_pattern;
    SplitBehavior m_behavior;
    bool m_invert;
};

const char *kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

class ByteLevelPreTokenizer : public PreTokenizer
{
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, std::shared_ptr<Regex> regex)
        : m_addPrefixSpace(addPrefixSpace), m_regex(std::move(regex))
    {}

    std::vector<std::string> split(const std::vector<std::string> &pieces,
                                   std::size_t) const override
    {
        std::vector<std::string> out;
        for (std::string piece : pieces) {
            if (m_addPrefixSpace && (piece.empty() || piece[0] != ' '))
                piece.insert(piece.begin(), ' ');
            if (m_regex) {
                for (auto [b, e] : m_regex->findAll(piece))
                    out.push_back(mapBytes(std::string_view(piece).substr(b, e - b)));
            } else {
                out.push_back(mapBytes(piece));
            }
        }
        return out;
    }

    static std::string mapBytes(std::string_view s)
    {
        std::string out;
        out.reserve(s.size() * 2);
        for (char c : s)
            out += byteToUnicode(static_cast<unsigned char>(c));
        return out;
    }

private:
    bool m_addPrefixSpace;
    std::shared_ptr<Regex> m_regex;
};

class MetaspacePreTokenizer : public PreTokenizer
{
public:
    enum class Prepend { Always, First, Never };
    MetaspacePreTokenizer(std::string replacement, Prepend prepend, bool split)
        : m_replacement(std::move(replacement)), m_prepend(prepend), m_split(split)
    {}

    std::vector<std::string> split(const std::vector<std::string> &pieces,
                                   std::size_t sectionIndex) const override
    {
        std::vector<std::string> out;
        for (const auto &piece : pieces) {
            std::string r;
            for (char c : piece) {
                if (c == ' ')
                    r += m_replacement;
                else
                    r.push_back(c);
            }
            const bool prepend =
                m_prepend == Prepend::Always || (m_prepend == Prepend::First && sectionIndex == 0);
            if (prepend && r.compare(0, m_replacement.size(), m_replacement) != 0)
                r = m_replacement + r;
            if (!m_split) {
                out.push_back(std::move(r));
                continue;
            }
            // Split before each replacement character, keeping it with the following word.
            std::size_t start = 0;
            for (std::size_t pos = r.find(m_replacement, 1); pos != std::string::npos;
                 pos = r.find(m_replacement, pos + m_replacement.size())) {
                out.push_back(r.substr(start, pos - start));
                start = pos;
            }
            out.push_back(r.substr(start));
        }
        return out;
    }

private:
    std::string m_replacement;
    Prepend m_prepend;
    bool m_split;
};

class SequencePreTokenizer : public PreTokenizer
{
public:
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    std::vector<std::string> split(const std::vector<std::string> &pieces,
                                   std::size_t sectionIndex) const override
    {
        std::vector<std::string> cur = pieces;
        for (const auto &s : steps)
            cur = s->split(cur, sectionIndex);
        return cur;
    }
};

// ---- decoders ----

class ByteLevelDecoder : public Decoder
{
public:
    std::vector<std::string>
    decodeChain(std::vector<std::string> tokens,
                const std::unordered_set<std::string> &added) const override
    {
        // Runs of ordinary tokens are turned back into bytes together; added tokens stay as
        // they are (transformers.js does the same).
        std::vector<std::string> out;
        std::string bytes;
        bool haveBytes = false;
        for (const auto &t : tokens) {
            if (added.count(t)) {
                if (haveBytes)
                    out.push_back(bytes);
                bytes.clear();
                haveBytes = false;
                out.push_back(t);
                continue;
            }
            haveBytes = true;
            for (std::size_t pos = 0; pos < t.size();) {
                const std::size_t start = pos;
                const char32_t cp = decodeUtf8(t, pos);
                const int b = unicodeToByte(cp);
                if (b >= 0)
                    bytes.push_back(static_cast<char>(b));
                else
                    bytes.append(t, start, pos - start);
            }
        }
        if (haveBytes)
            out.push_back(bytes);
        return out;
    }
};

class ReplaceDecoder : public Decoder
{
public:
    ReplaceDecoder(Pattern pattern, std::string content)
        : m_pattern(std::move(pattern)), m_content(std::move(content))
    {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens,
                                         const std::unordered_set<std::string> &) const override
    {
        for (auto &t : tokens)
            t = m_pattern.replaceAll(t, m_content);
        return tokens;
    }

private:
    Pattern m_pattern;
    std::string m_content;
};

int parseByteToken(const std::string &t)
{
    // "<0xAB>"
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>')
        return -1;
    int v = 0;
    for (int i = 3; i < 5; ++i) {
        const char c = t[std::size_t(i)];
        int d = -1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

class ByteFallbackDecoder : public Decoder
{
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens,
                                         const std::unordered_set<std::string> &) const override
    {
        std::vector<std::string> out;
        std::string bytes;
        for (auto &t : tokens) {
            const int b = parseByteToken(t);
            if (b >= 0) {
                bytes.push_back(static_cast<char>(b));
                continue;
            }
            if (!bytes.empty()) {
                out.push_back(bytes);
                bytes.clear();
            }
            out.push_back(std::move(t));
        }
        if (!bytes.empty())
            out.push_back(bytes);
        return out;
    }
};

class FuseDecoder : public Decoder
{
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens,
                                         const std::unordered_set<std::string> &) const override
    {
        std::string all;
        for (const auto &t : tokens)
            all += t;
        return {all};
    }
};

class StripDecoder : public Decoder
{
public:
    StripDecoder(std::string content, std::size_t start, std::size_t stop)
        : m_content(std::move(content)), m_start(start), m_stop(stop)
    {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens,
                                         const std::unordered_set<std::string> &) const override
    {
        const std::size_t n = m_content.size();
        for (auto &t : tokens) {
            std::size_t b = 0, e = t.size();
            for (std::size_t i = 0;
                 i < m_start && n && b + n <= e && t.compare(b, n, m_content) == 0; ++i)
                b += n;
            for (std::size_t i = 0;
                 i < m_stop && n && e >= b + n && t.compare(e - n, n, m_content) == 0; ++i)
                e -= n;
            t = t.substr(b, e - b);
        }
        return tokens;
    }

private:
    std::string m_content;
    std::size_t m_start, m_stop;
};

class MetaspaceDecoder : public Decoder
{
public:
    MetaspaceDecoder(std::string replacement, bool stripFirst)
        : m_replacement(std::move(replacement)), m_stripFirst(stripFirst)
    {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens,
                                         const std::unordered_set<std::string> &) const override
    {
        Pattern p;
        p.literal = m_replacement;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            tokens[i] = p.replaceAll(tokens[i], " ");
            if (i == 0 && m_stripFirst && !tokens[i].empty() && tokens[i][0] == ' ')
                tokens[i].erase(0, 1);
        }
        return tokens;
    }

private:
    std::string m_replacement;
    bool m_stripFirst;
};

class SequenceDecoder : public Decoder
{
public:
    std::vector<std::unique_ptr<Decoder>> steps;
    std::vector<std::string>
    decodeChain(std::vector<std::string> tokens,
                const std::unordered_set<std::string> &added) const override
    {
        for (const auto &s : steps)
            tokens = s->decodeChain(std::move(tokens), added);
        return tokens;
    }
};

Result<std::string> typeOf(const json &j, const std::string &path)
{
    if (!j.is_object())
        return jsonError(path, "expected an object");
    return jsonString(j, "type", path);
}

Result<const json *> arrayField(const json &j, const char *key, const std::string &path)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_array())
        return jsonError(path + "." + key, "expected an array");
    return &*it;
}

} // namespace

const std::string &byteToUnicode(unsigned char byte)
{
    return byteTables().toUnicode[byte];
}

int unicodeToByte(char32_t cp)
{
    return cp < 512 ? byteTables().fromUnicode[cp] : -1;
}

Result<std::unique_ptr<Normalizer>> Normalizer::fromJson(const json &j, const std::string &path)
{
    if (path.size() > kMaxPathLength)
        return jsonError(path.substr(0, 60) + "...", "nested too deeply");
    if (j.is_null())
        return std::unique_ptr<Normalizer>();
    auto type = typeOf(j, path);
    if (!type)
        return type.error();
    const std::string &t = type.value();
    if (t == "NFC")
        return std::unique_ptr<Normalizer>(std::make_unique<NfcNormalizer>());
    if (t == "Prepend") {
        auto s = jsonString(j, "prepend", path);
        if (!s)
            return s.error();
        return std::unique_ptr<Normalizer>(std::make_unique<PrependNormalizer>(s.value()));
    }
    if (t == "Replace") {
        auto p = parsePattern(j, path);
        if (!p)
            return p.error();
        auto c = jsonString(j, "content", path);
        if (!c)
            return c.error();
        return std::unique_ptr<Normalizer>(
            std::make_unique<ReplaceNormalizer>(std::move(p.value()), c.value()));
    }
    if (t == "Strip") {
        auto l = jsonBool(j, "strip_left", path, true);
        auto r = jsonBool(j, "strip_right", path, true);
        if (!l)
            return l.error();
        if (!r)
            return r.error();
        return std::unique_ptr<Normalizer>(std::make_unique<StripNormalizer>(l.value(), r.value()));
    }
    if (t == "Sequence") {
        auto arr = arrayField(j, "normalizers", path);
        if (!arr)
            return arr.error();
        auto seq = std::make_unique<SequenceNormalizer>();
        for (std::size_t i = 0; i < arr.value()->size(); ++i) {
            auto n = fromJson((*arr.value())[i], path + ".normalizers[" + std::to_string(i) + "]");
            if (!n)
                return n.error();
            if (n.value())
                seq->steps.push_back(std::move(n.value()));
        }
        return std::unique_ptr<Normalizer>(std::move(seq));
    }
    return makeError(Error::Code::Unsupported,
                     "tokenizer.json: " + path + ": unsupported normalizer type '" + t + "'");
}

Result<std::unique_ptr<PreTokenizer>> PreTokenizer::fromJson(const json &j, const std::string &path)
{
    if (path.size() > kMaxPathLength)
        return jsonError(path.substr(0, 60) + "...", "nested too deeply");
    if (j.is_null())
        return std::unique_ptr<PreTokenizer>();
    auto type = typeOf(j, path);
    if (!type)
        return type.error();
    const std::string &t = type.value();
    if (t == "Split") {
        auto p = parsePattern(j, path);
        if (!p)
            return p.error();
        auto b = jsonString(j, "behavior", path);
        if (!b)
            return b.error();
        SplitBehavior behavior;
        if (b.value() == "Isolated")
            behavior = SplitBehavior::Isolated;
        else if (b.value() == "Removed")
            behavior = SplitBehavior::Removed;
        else if (b.value() == "MergedWithPrevious")
            behavior = SplitBehavior::MergedWithPrevious;
        else if (b.value() == "MergedWithNext")
            behavior = SplitBehavior::MergedWithNext;
        else if (b.value() == "Contiguous")
            behavior = SplitBehavior::Contiguous;
        else
            return jsonError(path + ".behavior", "unknown behavior '" + b.value() + "'");
        auto inv = jsonBool(j, "invert", path, false);
        if (!inv)
            return inv.error();
        return std::unique_ptr<PreTokenizer>(
            std::make_unique<SplitPreTokenizer>(std::move(p.value()), behavior, inv.value()));
    }
    if (t == "ByteLevel") {
        auto aps = jsonBool(j, "add_prefix_space", path, true);
        auto useRegex = jsonBool(j, "use_regex", path, true);
        if (!aps)
            return aps.error();
        if (!useRegex)
            return useRegex.error();
        std::shared_ptr<Regex> regex;
        if (useRegex.value()) {
            auto re = Regex::compile(kGpt2Pattern);
            if (!re)
                return re.error();
            regex = std::make_shared<Regex>(std::move(re.value()));
        }
        return std::unique_ptr<PreTokenizer>(
            std::make_unique<ByteLevelPreTokenizer>(aps.value(), std::move(regex)));
    }
    if (t == "Metaspace") {
        auto rep = jsonString(j, "replacement", path);
        if (!rep)
            return rep.error();
        auto split = jsonBool(j, "split", path, true);
        if (!split)
            return split.error();
        auto prepend = MetaspacePreTokenizer::Prepend::Always;
        if (auto it = j.find("prepend_scheme"); it != j.end() && !it->is_null()) {
            if (!it->is_string())
                return jsonError(path + ".prepend_scheme", "expected a string");
            const std::string s = it->get<std::string>();
            if (s == "always")
                prepend = MetaspacePreTokenizer::Prepend::Always;
            else if (s == "first")
                prepend = MetaspacePreTokenizer::Prepend::First;
            else if (s == "never")
                prepend = MetaspacePreTokenizer::Prepend::Never;
            else
                return jsonError(path + ".prepend_scheme", "unknown scheme '" + s + "'");
        } else {
            auto aps = jsonBool(j, "add_prefix_space", path, true);
            if (!aps)
                return aps.error();
            if (!aps.value())
                prepend = MetaspacePreTokenizer::Prepend::Never;
        }
        return std::unique_ptr<PreTokenizer>(
            std::make_unique<MetaspacePreTokenizer>(rep.value(), prepend, split.value()));
    }
    if (t == "Sequence") {
        auto arr = arrayField(j, "pretokenizers", path);
        if (!arr)
            return arr.error();
        auto seq = std::make_unique<SequencePreTokenizer>();
        for (std::size_t i = 0; i < arr.value()->size(); ++i) {
            auto n =
                fromJson((*arr.value())[i], path + ".pretokenizers[" + std::to_string(i) + "]");
            if (!n)
                return n.error();
            if (n.value())
                seq->steps.push_back(std::move(n.value()));
        }
        return std::unique_ptr<PreTokenizer>(std::move(seq));
    }
    return makeError(Error::Code::Unsupported,
                     "tokenizer.json: " + path + ": unsupported pre-tokenizer type '" + t + "'");
}

Result<std::unique_ptr<Decoder>> Decoder::fromJson(const json &j, const std::string &path)
{
    if (path.size() > kMaxPathLength)
        return jsonError(path.substr(0, 60) + "...", "nested too deeply");
    if (j.is_null())
        return std::unique_ptr<Decoder>();
    auto type = typeOf(j, path);
    if (!type)
        return type.error();
    const std::string &t = type.value();
    if (t == "ByteLevel")
        return std::unique_ptr<Decoder>(std::make_unique<ByteLevelDecoder>());
    if (t == "ByteFallback")
        return std::unique_ptr<Decoder>(std::make_unique<ByteFallbackDecoder>());
    if (t == "Fuse")
        return std::unique_ptr<Decoder>(std::make_unique<FuseDecoder>());
    if (t == "Replace") {
        auto p = parsePattern(j, path);
        if (!p)
            return p.error();
        auto c = jsonString(j, "content", path);
        if (!c)
            return c.error();
        return std::unique_ptr<Decoder>(
            std::make_unique<ReplaceDecoder>(std::move(p.value()), c.value()));
    }
    if (t == "Strip") {
        auto c = jsonString(j, "content", path);
        if (!c)
            return c.error();
        std::size_t counts[2] = {0, 0};
        const char *keys[2] = {"start", "stop"};
        for (int k = 0; k < 2; ++k) {
            auto it = j.find(keys[k]);
            if (it == j.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() > 1000)
                return jsonError(path + "." + keys[k], "expected a small non-negative integer");
            counts[k] = it->get<std::size_t>();
        }
        return std::unique_ptr<Decoder>(
            std::make_unique<StripDecoder>(c.value(), counts[0], counts[1]));
    }
    if (t == "Metaspace") {
        auto rep = jsonString(j, "replacement", path);
        if (!rep)
            return rep.error();
        bool strip = true;
        if (auto it = j.find("prepend_scheme"); it != j.end() && it->is_string())
            strip = it->get<std::string>() != "never";
        else if (auto aps = jsonBool(j, "add_prefix_space", path, true); aps)
            strip = aps.value();
        return std::unique_ptr<Decoder>(std::make_unique<MetaspaceDecoder>(rep.value(), strip));
    }
    if (t == "Sequence") {
        auto arr = arrayField(j, "decoders", path);
        if (!arr)
            return arr.error();
        auto seq = std::make_unique<SequenceDecoder>();
        for (std::size_t i = 0; i < arr.value()->size(); ++i) {
            auto n = fromJson((*arr.value())[i], path + ".decoders[" + std::to_string(i) + "]");
            if (!n)
                return n.error();
            if (n.value())
                seq->steps.push_back(std::move(n.value()));
        }
        return std::unique_ptr<Decoder>(std::move(seq));
    }
    return makeError(Error::Code::Unsupported,
                     "tokenizer.json: " + path + ": unsupported decoder type '" + t + "'");
}

} // namespace engine::detail
