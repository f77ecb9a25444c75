#include "regex.h"

#include "unicode.h"

#include <memory>

namespace engine::detail {

namespace {

struct Node
{
    enum class Kind { Class, Concat, Alt, Repeat, NegLook, PosLook, Empty };
    Kind kind = Kind::Empty;
    int cls = -1;
    std::vector<std::unique_ptr<Node>> children;
    int min = 0, max = -1; // Repeat; max -1 = unbounded
    bool lazy = false;
};

constexpr std::size_t kMaxPatternNodes = 10000;

class Parser
{
public:
    Parser(std::string_view pattern, std::vector<Regex::CharClass> &classes)
        : m_pattern(pattern), m_classes(classes)
    {
        for (std::size_t pos = 0; pos < pattern.size();) {
            m_offsets.push_back(pos);
            m_cps.push_back(decodeUtf8(pattern, pos));
        }
    }

    std::unique_ptr<Node> parse()
    {
        auto node = parseAlt(false);
        if (!node)
            return nullptr;
        if (m_pos < m_cps.size())
            return fail("unbalanced ')'");
        return node;
    }
    const std::string &error() const { return m_error; }

private:
    std::unique_ptr<Node> fail(const std::string &what)
    {
        if (m_error.empty())
            m_error =
                what + " at offset " +
                std::to_string(m_pos < m_offsets.size() ? m_offsets[m_pos] : m_pattern.size()) +
                " of pattern";
        return nullptr;
    }
    bool atEnd() const { return m_pos >= m_cps.size(); }
    char32_t peek() const { return m_cps[m_pos]; }

    std::unique_ptr<Node> make(Node::Kind kind)
    {
        if (++m_nodes > kMaxPatternNodes)
            return fail("pattern too large");
        auto n = std::make_unique<Node>();
        n->kind = kind;
        return n;
    }

    std::unique_ptr<Node> parseAlt(bool inGroup)
    {
        if (++m_depth > 100)
            return fail("pattern nested too deeply");
        auto alt = make(Node::Kind::Alt);
        if (!alt)
            return nullptr;
        while (true) {
            auto concat = parseConcat();
            if (!concat)
                return nullptr;
            alt->children.push_back(std::move(concat));
            if (!atEnd() && peek() == '|') {
                ++m_pos;
                continue;
            }
            break;
        }
        if (inGroup) {
            if (atEnd() || peek() != ')')
                return fail("missing ')'");
            ++m_pos;
        }
        --m_depth;
        return alt;
    }

    std::unique_ptr<Node> parseConcat()
    {
        auto concat = make(Node::Kind::Concat);
        if (!concat)
            return nullptr;
        while (!atEnd() && peek() != '|' && peek() != ')') {
            auto atom = parseAtom();
            if (!atom)
                return nullptr;
            auto rep = parseQuantifier(std::move(atom));
            if (!rep)
                return nullptr;
            concat->children.push_back(std::move(rep));
        }
        return concat;
    }

    bool parseNumber(int &value)
    {
        if (atEnd() || peek() < '0' || peek() > '9')
            return false;
        value = 0;
        while (!atEnd() && peek() >= '0' && peek() <= '9') {
            value = value * 10 + int(peek() - '0');
            if (value > 1000)
                return false;
            ++m_pos;
        }
        return true;
    }

    std::unique_ptr<Node> parseQuantifier(std::unique_ptr<Node> atom)
    {
        while (!atEnd()) {
            int min = 0, max = -1;
            const char32_t c = peek();
            if (c == '?') {
                max = 1;
                ++m_pos;
            } else if (c == '*') {
                ++m_pos;
            } else if (c == '+') {
                min = 1;
                ++m_pos;
            } else if (c == '{') {
                const std::size_t save = m_pos;
                ++m_pos;
                if (!parseNumber(min)) {
                    m_pos = save;
                    return atom; // a literal '{' (Oniguruma treats it so)
                }
                max = min;
                if (!atEnd() && peek() == ',') {
                    ++m_pos;
                    max = -1;
                    if (!atEnd() && peek() != '}' && !parseNumber(max))
                        return fail("bad repetition count");
                }
                if (atEnd() || peek() != '}')
                    return fail("missing '}' in repetition");
                ++m_pos;
                if (max != -1 && max < min)
                    return fail("repetition {n,m} with m < n");
            } else {
                return atom;
            }
            if (atom->kind == Node::Kind::Repeat)
                return fail("nested quantifier");
            auto rep = make(Node::Kind::Repeat);
            if (!rep)
                return nullptr;
            rep->min = min;
            rep->max = max;
            if (!atEnd() && peek() == '?') {
                rep->lazy = true;
                ++m_pos;
            } else if (!atEnd() && peek() == '+') {
                ++m_pos; // possessive: treated as greedy
            }
            rep->children.push_back(std::move(atom));
            atom = std::move(rep);
        }
        return atom;
    }

    std::unique_ptr<Node> classNode(Regex::CharClass cls)
    {
        auto n = make(Node::Kind::Class);
        if (!n)
            return nullptr;
        if (m_caseInsensitive)
            addCaseVariants(cls);
        m_classes.push_back(std::move(cls));
        n->cls = int(m_classes.size()) - 1;
        return n;
    }

    static void addCaseVariants(Regex::CharClass &cls)
    {
        std::vector<Regex::ClassItem> extra;
        for (const auto &item : cls.items) {
            if (item.kind != Regex::ClassItem::Kind::Range)
                continue;
            for (char32_t c = item.first; c <= item.last && c < 0x80; ++c) {
                char32_t other = 0;
                if (c >= 'a' && c <= 'z')
                    other = c - 32;
                else if (c >= 'A' && c <= 'Z')
                    other = c + 32;
                if (other)
                    extra.push_back({Regex::ClassItem::Kind::Range, false, other, other});
                // Unicode simple case folding maps these to ASCII letters.
                if (c == 's' || c == 'S')
                    extra.push_back({Regex::ClassItem::Kind::Range, false, 0x17F, 0x17F});
                if (c == 'k' || c == 'K')
                    extra.push_back({Regex::ClassItem::Kind::Range, false, 0x212A, 0x212A});
            }
        }
        cls.items.insert(cls.items.end(), extra.begin(), extra.end());
    }

    bool parseProperty(bool negated, Regex::ClassItem &item)
    {
        // \p{L}, \pL, \p{Lu}, \p{^L}
        std::string name;
        if (atEnd())
            return false;
        if (peek() == '{') {
            ++m_pos;
            while (!atEnd() && peek() != '}') {
                name.push_back(char(peek() & 0x7F));
                ++m_pos;
            }
            if (atEnd())
                return false;
            ++m_pos;
        } else {
            name.push_back(char(peek() & 0x7F));
            ++m_pos;
        }
        if (!name.empty() && name[0] == '^') {
            negated = !negated;
            name.erase(0, 1);
        }
        static const char *kNames[] = {"Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd",
                                       "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm",
                                       "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"};
        std::uint32_t mask = 0;
        for (std::uint32_t i = 0; i < 30; ++i) {
            const std::string n = kNames[i];
            if (n == name || (name.size() == 1 && n[0] == name[0]))
                mask |= 1u << i;
        }
        if (name == "Letter")
            mask = 0x3E;
        else if (name == "Number")
            mask = 0xE00;
        if (mask == 0) {
            m_error = "unsupported Unicode property '" + name + "'";
            return false;
        }
        item = {Regex::ClassItem::Kind::Category, negated, mask, 0};
        return true;
    }

    // Parses an escape after '\'; either a single code point (literal) or a class item.
    bool parseEscape(Regex::ClassItem &item, bool &isLiteral, char32_t &literal)
    {
        if (atEnd())
            return false;
        const char32_t c = peek();
        ++m_pos;
        isLiteral = false;
        using K = Regex::ClassItem::Kind;
        switch (c) {
        case 'p':
            return parseProperty(false, item);
        case 'P':
            return parseProperty(true, item);
        case 's':
            item = {K::Space, false, 0, 0};
            return true;
        case 'S':
            item = {K::Space, true, 0, 0};
            return true;
        case 'd':
            item = {K::Digit, false, 0, 0};
            return true;
        case 'D':
            item = {K::Digit, true, 0, 0};
            return true;
        case 'w':
            item = {K::Word, false, 0, 0};
            return true;
        case 'W':
            item = {K::Word, true, 0, 0};
            return true;
        case 'n':
            literal = '\n';
            break;
        case 'r':
            literal = '\r';
            break;
        case 't':
            literal = '\t';
            break;
        case 'f':
            literal = '\f';
            break;
        case 'v':
            literal = '\v';
            break;
        case '0':
            literal = 0;
            break;
        case 'x':
        case 'u': {
            const bool braced = !atEnd() && peek() == '{';
            if (braced)
                ++m_pos;
            const int maxDigits = braced ? 8 : (c == 'x' ? 2 : 4);
            char32_t v = 0;
            int digits = 0;
            while (!atEnd() && digits < maxDigits) {
                const char32_t h = peek();
                int d = -1;
                if (h >= '0' && h <= '9')
                    d = int(h - '0');
                else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
                    d = int((h | 0x20) - 'a' + 10);
                if (d < 0)
                    break;
                v = v * 16 + char32_t(d);
                ++digits;
                ++m_pos;
            }
            if (digits == 0 || v > 0x10FFFF)
                return false;
            if (braced) {
                if (atEnd() || peek() != '}')
                    return false;
                ++m_pos;
            }
            literal = v;
            break;
        }
        default:
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                m_error = std::string("unsupported escape '\\") + char(c) + "'";
                return false;
            }
            literal = c;
        }
        isLiteral = true;
        return true;
    }

    std::unique_ptr<Node> parseBracket()
    {
        Regex::CharClass cls;
        if (!atEnd() && peek() == '^') {
            cls.negated = true;
            ++m_pos;
        }
        bool first = true;
        while (true) {
            if (atEnd())
                return fail("missing ']'");
            char32_t c = peek();
            if (c == ']' && !first) {
                ++m_pos;
                break;
            }
            first = false;
            if (c == '[')
                return fail("nested character classes are not supported");
            ++m_pos;
            char32_t lo = c;
            if (c == '\\') {
                Regex::ClassItem item;
                bool isLiteral = false;
                if (!parseEscape(item, isLiteral, lo))
                    return fail(m_error.empty() ? "bad escape in class" : m_error);
                if (!isLiteral) {
                    cls.items.push_back(item);
                    continue;
                }
            }
            char32_t hi = lo;
            if (m_pos + 1 < m_cps.size() && peek() == '-' && m_cps[m_pos + 1] != ']') {
                ++m_pos;
                hi = peek();
                ++m_pos;
                if (hi == '\\') {
                    Regex::ClassItem item;
                    bool isLiteral = false;
                    if (!parseEscape(item, isLiteral, hi) || !isLiteral)
                        return fail("bad range end in class");
                }
                if (hi < lo)
                    return fail("class range out of order");
            }
            cls.items.push_back({Regex::ClassItem::Kind::Range, false, lo, hi});
        }
        return classNode(std::move(cls));
    }

    std::unique_ptr<Node> parseAtom()
    {
        const char32_t c = peek();
        ++m_pos;
        using K = Regex::ClassItem::Kind;
        switch (c) {
        case '(': {
            bool savedCi = m_caseInsensitive;
            Node::Kind look = Node::Kind::Empty;
            if (!atEnd() && peek() == '?') {
                ++m_pos;
                if (atEnd())
                    return fail("bad group");
                if (peek() == ':') {
                    ++m_pos;
                } else if (peek() == '!' || peek() == '=') {
                    look = peek() == '!' ? Node::Kind::NegLook : Node::Kind::PosLook;
                    ++m_pos;
                } else if (peek() == 'i' && m_pos + 1 < m_cps.size() &&
                           (m_cps[m_pos + 1] == ':' || m_cps[m_pos + 1] == ')')) {
                    m_caseInsensitive = true;
                    m_pos += 1;
                    if (peek() == ')') {
                        ++m_pos; // (?i) applies to the rest of the enclosing group
                        return make(Node::Kind::Empty);
                    }
                    ++m_pos;
                } else {
                    return fail("unsupported group syntax");
                }
            }
            auto body = parseAlt(true);
            m_caseInsensitive = savedCi;
            if (!body)
                return nullptr;
            if (look != Node::Kind::Empty) {
                auto n = make(look);
                if (!n)
                    return nullptr;
                n->children.push_back(std::move(body));
                return n;
            }
            return body;
        }
        case '[':
            return parseBracket();
        case '.': {
            Regex::CharClass cls;
            cls.items.push_back({K::Range, false, '\n', '\n'});
            cls.negated = true;
            return classNode(std::move(cls));
        }
        case '^':
        case '$':
            return fail("anchors are not supported");
        case '*':
        case '+':
        case '?':
            return fail("quantifier without operand");
        case '\\': {
            Regex::ClassItem item;
            bool isLiteral = false;
            char32_t literal = 0;
            if (!parseEscape(item, isLiteral, literal))
                return fail(m_error.empty() ? "bad escape" : m_error);
            Regex::CharClass cls;
            if (isLiteral)
                cls.items.push_back({K::Range, false, literal, literal});
            else
                cls.items.push_back(item);
            return classNode(std::move(cls));
        }
        default: {
            Regex::CharClass cls;
            cls.items.push_back({K::Range, false, c, c});
            return classNode(std::move(cls));
        }
        }
    }

    std::string_view m_pattern;
    std::vector<char32_t> m_cps;
    std::vector<std::size_t> m_offsets;
    std::size_t m_pos = 0;
    std::vector<Regex::CharClass> &m_classes;
    bool m_caseInsensitive = false;
    std::string m_error;
    std::size_t m_nodes = 0;
    int m_depth = 0;
};

using Inst = Regex::Inst;

constexpr std::size_t kMaxProgram = 200000;

bool emit(const Node &n, std::vector<Inst> &prog)
{
    if (prog.size() > kMaxProgram)
        return false;
    switch (n.kind) {
    case Node::Kind::Empty:
        return true;
    case Node::Kind::Class: {
        Inst i;
        i.op = Inst::Op::Char;
        i.cls = n.cls;
        prog.push_back(i);
        return true;
    }
    case Node::Kind::Concat:
        for (const auto &c : n.children)
            if (!emit(*c, prog))
                return false;
        return true;
    case Node::Kind::Alt: {
        if (n.children.size() == 1)
            return emit(*n.children[0], prog);
        std::vector<int> jumps;
        for (std::size_t k = 0; k < n.children.size(); ++k) {
            int split = -1;
            if (k + 1 < n.children.size()) {
                split = int(prog.size());
                prog.push_back({Inst::Op::Split, split + 1, 0, -1});
            }
            if (!emit(*n.children[k], prog))
                return false;
            if (k + 1 < n.children.size()) {
                jumps.push_back(int(prog.size()));
                prog.push_back({Inst::Op::Jmp, 0, 0, -1});
                prog[split].y = int(prog.size());
            }
        }
        for (int j : jumps)
            prog[j].x = int(prog.size());
        return true;
    }
    case Node::Kind::NegLook:
    case Node::Kind::PosLook: {
        const int look = int(prog.size());
        prog.push_back({n.kind == Node::Kind::NegLook ? Inst::Op::NegLook : Inst::Op::PosLook,
                        look + 1, 0, -1});
        if (!emit(*n.children[0], prog))
            return false;
        prog.push_back({Inst::Op::Match, 0, 0, -1});
        prog[look].y = int(prog.size());
        return true;
    }
    case Node::Kind::Repeat: {
        const Node &body = *n.children[0];
        for (int k = 0; k < n.min; ++k)
            if (!emit(body, prog))
                return false;
        if (n.max == -1) {
            const int split = int(prog.size());
            prog.push_back({Inst::Op::Split, 0, 0, -1});
            if (!emit(body, prog))
                return false;
            prog.push_back({Inst::Op::Jmp, split, 0, -1});
            const int after = int(prog.size());
            prog[split].x = n.lazy ? after : split + 1;
            prog[split].y = n.lazy ? split + 1 : after;
        } else {
            std::vector<int> splits;
            for (int k = n.min; k < n.max; ++k) {
                splits.push_back(int(prog.size()));
                prog.push_back({Inst::Op::Split, 0, 0, -1});
                if (!emit(body, prog))
                    return false;
            }
            const int after = int(prog.size());
            for (int s : splits) {
                prog[s].x = n.lazy ? after : s + 1;
                prog[s].y = n.lazy ? s + 1 : after;
            }
        }
        return true;
    }
    }
    return false;
}

} // namespace

bool Regex::CharClass::matches(char32_t cp) const
{
    bool hit = false;
    for (const auto &item : items) {
        bool m = false;
        switch (item.kind) {
        case ClassItem::Kind::Range:
            m = cp >= item.first && cp <= item.last;
            break;
        case ClassItem::Kind::Category:
            m = (item.first >> static_cast<unsigned>(generalCategory(cp))) & 1u;
            break;
        case ClassItem::Kind::Letter:
            m = isLetter(cp);
            break;
        case ClassItem::Kind::Number:
            m = isNumber(cp);
            break;
        case ClassItem::Kind::Space:
            m = isWhiteSpace(cp);
            break;
        case ClassItem::Kind::Digit:
            m = cp < 0x80 ? (cp >= '0' && cp <= '9') : generalCategory(cp) == GeneralCategory::Nd;
            break;
        case ClassItem::Kind::Word: {
            const auto c = generalCategory(cp);
            m = cp == '_' || isLetter(cp) || c == GeneralCategory::Nd || c == GeneralCategory::Pc ||
                (c >= GeneralCategory::Mn && c <= GeneralCategory::Me);
            break;
        }
        case ClassItem::Kind::Any:
            m = true;
            break;
        }
        if (m != item.negated) {
            hit = true;
            break;
        }
    }
    return hit != negated;
}

Result<Regex> Regex::compile(std::string_view pattern)
{
    Regex re;
    Parser parser(pattern, re.m_classes);
    auto root = parser.parse();
    if (!root)
        return makeError(Error::Code::Unsupported, "regex: " + parser.error());
    if (!emit(*root, re.m_prog))
        return makeError(Error::Code::Unsupported, "regex: pattern too large");
    re.m_prog.push_back({Inst::Op::Match, 0, 0, -1});
    return re;
}

bool Regex::matchAt(const std::vector<char32_t> &cps, std::size_t start, int startPc,
                    std::size_t &end, std::size_t &budget) const
{
    // Explicit backtracking stack so that long runs (a 1 MB word) do not recurse. The step
    // budget bounds pathological patterns (empty loops, exponential alternations).
    std::vector<std::pair<int, std::size_t>> stack;
    stack.emplace_back(startPc, start);
    while (!stack.empty()) {
        auto [pc, pos] = stack.back();
        stack.pop_back();
        while (true) {
            if (budget == 0)
                return false;
            --budget;
            const Inst &inst = m_prog[std::size_t(pc)];
            if (inst.op == Inst::Op::Match) {
                end = pos;
                return true;
            }
            if (inst.op == Inst::Op::Char) {
                if (pos >= cps.size() || !m_classes[std::size_t(inst.cls)].matches(cps[pos]))
                    break;
                ++pos;
                ++pc;
            } else if (inst.op == Inst::Op::Jmp) {
                pc = inst.x;
            } else if (inst.op == Inst::Op::Split) {
                stack.emplace_back(inst.y, pos);
                pc = inst.x;
            } else {
                std::size_t ignored = 0;
                const bool found = matchAt(cps, pos, inst.x, ignored, budget);
                if (found != (inst.op == Inst::Op::PosLook))
                    break;
                pc = inst.y;
            }
        }
    }
    return false;
}

std::vector<std::pair<std::size_t, std::size_t>> Regex::findAll(std::string_view text) const
{
    std::vector<char32_t> cps;
    std::vector<std::size_t> offsets;
    cps.reserve(text.size());
    offsets.reserve(text.size() + 1);
    for (std::size_t pos = 0; pos < text.size();) {
        offsets.push_back(pos);
        cps.push_back(decodeUtf8(text, pos));
    }
    offsets.push_back(text.size());
    std::vector<std::pair<std::size_t, std::size_t>> out;
    // Real pre-tokenizer patterns take a few dozen steps per character.
    std::size_t budget = 1000 * (cps.size() + 1) + 1000000;
    for (std::size_t i = 0; i < cps.size() && budget > 0;) {
        std::size_t end = 0;
        if (matchAt(cps, i, 0, end, budget) && end > i) {
            out.emplace_back(offsets[i], offsets[end]);
            i = end;
        } else {
            ++i;
        }
    }
    return out;
}

} // namespace engine::detail
