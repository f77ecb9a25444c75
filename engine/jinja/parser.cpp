// Lexer and recursive-descent parser for the Jinja subset chat templates use. The whitespace
// rules follow jinja2's lexer with trim_blocks=True and lstrip_blocks=True, the settings
// transformers renders chat templates with.

#include <engine/jinja/ast.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace engine::jinja::detail {

namespace {

constexpr int kMaxNesting = 200; // expression and block nesting; keeps the C++ stack bounded

struct Token
{
    enum class Type {
        Text,
        VarBegin,
        VarEnd,
        BlockBegin,
        BlockEnd,
        Name,
        String,
        Int,
        Float,
        Op,
        Eof
    };
    Type type;
    std::string text;
    int line = 0;
    int col = 0;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class Lexer
{
public:
    explicit Lexer(const std::string &src) : m_src(src)
    {
        m_lineStarts.push_back(0);
        for (std::size_t i = 0; i < src.size(); ++i)
            if (src[i] == '\n')
                m_lineStarts.push_back(i + 1);
    }

    std::vector<Token> run()
    {
        std::size_t pos = 0;
        while (pos < m_src.size()) {
            std::size_t found = std::string::npos;
            char kind = 0;
            for (std::size_t p = m_src.find('{', pos); p != std::string::npos;
                 p = m_src.find('{', p + 1)) {
                if (p + 1 < m_src.size() &&
                    (m_src[p + 1] == '{' || m_src[p + 1] == '%' || m_src[p + 1] == '#')) {
                    found = p;
                    kind = m_src[p + 1];
                    break;
                }
            }
            std::string text =
                m_src.substr(pos, found == std::string::npos ? std::string::npos : found - pos);
            if (found == std::string::npos) {
                emitText(text, pos);
                break;
            }
            const char sign = found + 2 < m_src.size() ? m_src[found + 2] : 0;
            if (sign == '-') {
                std::size_t e = text.size();
                while (e > 0 && isSpace(text[e - 1]))
                    --e;
                text.resize(e);
            } else if (sign != '+' && kind != '{') {
                // lstrip_blocks: drop spaces between the line start and a block/comment tag.
                const std::size_t lpos =
                    text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
                const bool lineStart = lpos > 0 || pos == 0 || m_src[pos - 1] == '\n';
                if (lineStart && lpos < text.size() &&
                    std::all_of(text.begin() + lpos, text.end(),
                                [](char c) { return c != '\n' && isSpace(c); }))
                    text.resize(lpos);
            }
            emitText(text, pos);
            std::size_t p = found + 2 + ((sign == '-' || sign == '+') ? 1 : 0);
            if (kind == '#') {
                const std::size_t end = m_src.find("#}", p);
                if (end == std::string::npos)
                    fail("missing end of comment tag", found);
                pos = end + 2;
                if (end > p && m_src[end - 1] == '-')
                    pos = skipSpace(pos);
                else if (!(end > p && m_src[end - 1] == '+') && pos < m_src.size() &&
                         m_src[pos] == '\n')
                    ++pos;
                continue;
            }
            if (kind == '%' && tryRaw(found, p, pos))
                continue;
            push(kind == '{' ? Token::Type::VarBegin : Token::Type::BlockBegin,
                 kind == '{' ? "{{" : "{%", found);
            pos = lexTag(p, kind == '{', found);
        }
        push(Token::Type::Eof, "", m_src.size());
        return std::move(m_tokens);
    }

    std::pair<int, int> position(std::size_t offset) const
    {
        auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
        const std::size_t line = static_cast<std::size_t>(it - m_lineStarts.begin());
        return {static_cast<int>(line), static_cast<int>(offset - m_lineStarts[line - 1] + 1)};
    }

private:
    [[noreturn]] void fail(const std::string &msg, std::size_t offset) const
    {
        auto [l, c] = position(offset);
        throw TemplateError{msg, l, c};
    }

    void push(Token::Type t, std::string text, std::size_t offset)
    {
        auto [l, c] = position(offset);
        m_tokens.push_back(Token{t, std::move(text), l, c});
    }

    void emitText(const std::string &text, std::size_t offset)
    {
        if (!text.empty())
            push(Token::Type::Text, text, offset);
    }

    std::size_t skipSpace(std::size_t pos) const
    {
        while (pos < m_src.size() && isSpace(m_src[pos]))
            ++pos;
        return pos;
    }

    // {% raw %}...{% endraw %}: the body is text, verbatim.
    bool tryRaw(std::size_t tagStart, std::size_t p, std::size_t &pos)
    {
        std::size_t q = skipSpace(p);
        if (m_src.compare(q, 3, "raw") != 0)
            return false;
        q = skipSpace(q + 3);
        std::size_t bodyStart;
        if (m_src.compare(q, 2, "%}") == 0)
            bodyStart = q + 2;
        else if (m_src.compare(q, 3, "-%}") == 0)
            bodyStart = skipSpace(q + 3);
        else
            return false;
        if (bodyStart < m_src.size() && m_src[bodyStart] == '\n' && m_src[q] == '%')
            ++bodyStart;
        for (std::size_t s = m_src.find("{%", bodyStart); s != std::string::npos;
             s = m_src.find("{%", s + 1)) {
            std::size_t r = s + 2;
            const bool stripBefore = r < m_src.size() && m_src[r] == '-';
            if (r < m_src.size() && (m_src[r] == '-' || m_src[r] == '+'))
                ++r;
            r = skipSpace(r);
            if (m_src.compare(r, 6, "endraw") != 0)
                continue;
            r = skipSpace(r + 6);
            std::size_t after;
            if (m_src.compare(r, 2, "%}") == 0) {
                after = r + 2;
                if (after < m_src.size() && m_src[after] == '\n')
                    ++after;
            } else if (m_src.compare(r, 3, "-%}") == 0) {
                after = skipSpace(r + 3);
            } else {
                continue;
            }
            std::string body = m_src.substr(bodyStart, s - bodyStart);
            if (stripBefore) {
                while (!body.empty() && isSpace(body.back()))
                    body.pop_back();
            }
            emitText(body, bodyStart);
            pos = after;
            return true;
        }
        fail("missing endraw for raw block", tagStart);
    }

    // Lexes the inside of {{ }} or {% %}; returns the position after the closing tag.
    std::size_t lexTag(std::size_t p, bool isVar, std::size_t tagStart)
    {
        int braces = 0;
        while (true) {
            p = skipSpace(p);
            if (p >= m_src.size())
                fail(isVar ? "unexpected end of template, expected '}}'"
                           : "unexpected end of template, expected '%}'",
                     tagStart);
            const char c = m_src[p];
            if (braces == 0) {
                const char *close = isVar ? "}}" : "%}";
                if (m_src.compare(p, 2, close) == 0) {
                    push(isVar ? Token::Type::VarEnd : Token::Type::BlockEnd, close, p);
                    p += 2;
                    if (!isVar && p < m_src.size() && m_src[p] == '\n')
                        ++p; // trim_blocks
                    return p;
                }
                if ((c == '-' || c == '+') && m_src.compare(p + 1, 2, close) == 0 &&
                    !(isVar && c == '+')) {
                    push(isVar ? Token::Type::VarEnd : Token::Type::BlockEnd, close, p);
                    p += 3;
                    return c == '-' ? skipSpace(p) : p;
                }
            }
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t e = p;
                while (e < m_src.size() &&
                       (std::isalnum(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_'))
                    ++e;
                push(Token::Type::Name, m_src.substr(p, e - p), p);
                p = e;
            } else if (std::isdigit(static_cast<unsigned char>(c))) {
                p = lexNumber(p);
            } else if (c == '\'' || c == '"') {
                p = lexString(p);
            } else {
                static const char *two[] = {"//", "**", "==", "!=", "<=", ">="};
                std::string op;
                for (const char *t : two)
                    if (m_src.compare(p, 2, t) == 0)
                        op = t;
                if (op.empty()) {
                    if (!std::strchr("+-*/%~<>=.,:|()[]{}", c))
                        fail(std::string("unexpected character '") + c + "'", p);
                    op = std::string(1, c);
                    if (c == '{' || c == '[' || c == '(')
                        ++braces;
                    else if ((c == '}' || c == ']' || c == ')') && braces > 0)
                        --braces;
                }
                push(Token::Type::Op, op, p);
                p += op.size();
            }
        }
    }

    std::size_t lexNumber(std::size_t p)
    {
        std::size_t e = p;
        auto digits = [&] {
            while (e < m_src.size() &&
                   (std::isdigit(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_'))
                ++e;
        };
        digits();
        bool isFloat = false;
        if (e + 1 < m_src.size() && m_src[e] == '.' &&
            std::isdigit(static_cast<unsigned char>(m_src[e + 1]))) {
            isFloat = true;
            ++e;
            digits();
        }
        if (e < m_src.size() && (m_src[e] == 'e' || m_src[e] == 'E')) {
            std::size_t f = e + 1;
            if (f < m_src.size() && (m_src[f] == '+' || m_src[f] == '-'))
                ++f;
            if (f < m_src.size() && std::isdigit(static_cast<unsigned char>(m_src[f]))) {
                isFloat = true;
                e = f;
                digits();
            }
        }
        std::string text = m_src.substr(p, e - p);
        text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
        push(isFloat ? Token::Type::Float : Token::Type::Int, text, p);
        return e;
    }

    static void appendUtf8(std::string &out, unsigned cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::size_t lexString(std::size_t p)
    {
        const char quote = m_src[p];
        std::string out;
        std::size_t i = p + 1;
        while (true) {
            if (i >= m_src.size())
                fail("unterminated string literal", p);
            const char c = m_src[i];
            if (c == quote)
                break;
            if (c == '\\' && i + 1 < m_src.size()) {
                const char n = m_src[i + 1];
                i += 2;
                switch (n) {
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '\'':
                    out += '\'';
                    break;
                case '"':
                    out += '"';
                    break;
                case '0':
                    out += '\0';
                    break;
                case '\n':
                    break;
                case 'u':
                case 'x': {
                    const std::size_t len = n == 'u' ? 4 : 2;
                    if (i + len > m_src.size() ||
                        !std::all_of(
                            m_src.begin() + static_cast<std::ptrdiff_t>(i),
                            m_src.begin() + static_cast<std::ptrdiff_t>(i + len),
                            [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); }))
                        fail("invalid escape in string literal", i - 2);
                    appendUtf8(
                        out, static_cast<unsigned>(std::stoul(m_src.substr(i, len), nullptr, 16)));
                    i += len;
                    break;
                }
                default:
                    out += '\\';
                    out += n;
                }
                continue;
            }
            out += c;
            ++i;
        }
        push(Token::Type::String, out, p);
        return i + 1;
    }

    const std::string &m_src;
    std::vector<std::size_t> m_lineStarts;
    std::vector<Token> m_tokens;
};

class Parser
{
public:
    explicit Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

    NodePtr parseRoot()
    {
        auto body = parseBody({});
        if (cur().type != Token::Type::Eof)
            fail("unexpected '" + cur().text + "'");
        return body;
    }

private:
    using T = Token::Type;
    using K = Node::Kind;

    const Token &cur() const { return m_tokens[m_pos]; }
    const Token &peek(std::size_t n = 1) const
    {
        return m_tokens[std::min(m_pos + n, m_tokens.size() - 1)];
    }
    void next()
    {
        if (m_pos + 1 < m_tokens.size())
            ++m_pos;
    }
    [[noreturn]] void fail(const std::string &msg) const
    {
        throw TemplateError{msg, cur().line, cur().col};
    }
    bool isOp(const char *op) const { return cur().type == T::Op && cur().text == op; }
    bool isName(const char *name) const { return cur().type == T::Name && cur().text == name; }
    bool skipOp(const char *op)
    {
        if (!isOp(op))
            return false;
        next();
        return true;
    }
    bool skipName(const char *name)
    {
        if (!isName(name))
            return false;
        next();
        return true;
    }
    void expectOp(const char *op)
    {
        if (!skipOp(op))
            fail(std::string("expected '") + op + "', got " + describe(cur()));
    }
    std::string expectName()
    {
        if (cur().type != T::Name)
            fail("expected a name, got " + describe(cur()));
        std::string n = cur().text;
        next();
        return n;
    }
    void expectBlockEnd()
    {
        if (cur().type != T::BlockEnd)
            fail("expected end of statement block '%}', got " + describe(cur()));
        next();
    }
    static std::string describe(const Token &t)
    {
        switch (t.type) {
        case T::Eof:
            return "end of template";
        case T::BlockEnd:
            return "'%}'";
        case T::VarEnd:
            return "'}}'";
        case T::Text:
            return "text";
        case T::String:
            return "string literal";
        default:
            return "'" + t.text + "'";
        }
    }
    NodePtr node(K k) const { return std::make_unique<Node>(k, cur().line, cur().col); }

    struct DepthGuard
    {
        Parser &p;
        explicit DepthGuard(Parser &parser) : p(parser)
        {
            if (++p.m_depth > kMaxNesting)
                p.fail("template nesting is too deep (more than " + std::to_string(kMaxNesting) +
                       " levels)");
        }
        ~DepthGuard() { --p.m_depth; }
    };

    // Parses until a {% name %} with name in `ends`; leaves cur() at that name.
    NodePtr parseBody(const std::vector<std::string> &ends)
    {
        DepthGuard guard(*this);
        auto body = node(K::Body);
        while (true) {
            const Token &t = cur();
            if (t.type == T::Eof) {
                if (!ends.empty())
                    fail("unexpected end of template, expected '" + ends.front() + "'");
                return body;
            }
            if (t.type == T::Text) {
                auto n = node(K::Text);
                n->str = t.text;
                body->kids.push_back(std::move(n));
                next();
            } else if (t.type == T::VarBegin) {
                next();
                auto n = node(K::Output);
                n->kids.push_back(parseTuple());
                if (cur().type != T::VarEnd)
                    fail("expected end of print statement '}}', got " + describe(cur()));
                next();
                body->kids.push_back(std::move(n));
            } else if (t.type == T::BlockBegin) {
                next();
                if (cur().type != T::Name)
                    fail("expected a statement name, got " + describe(cur()));
                if (std::find(ends.begin(), ends.end(), cur().text) != ends.end())
                    return body;
                body->kids.push_back(parseStatement());
            } else {
                fail("unexpected " + describe(t));
            }
        }
    }

    NodePtr parseStatement()
    {
        const std::string kw = cur().text;
        if (kw == "if")
            return parseIf();
        if (kw == "for")
            return parseFor();
        if (kw == "set")
            return parseSet();
        if (kw == "macro")
            return parseMacro();
        if (kw == "call")
            return parseCallBlock();
        if (kw == "filter")
            return parseFilterBlock();
        if (kw == "generation") { // transformers' AssistantTracker: renders its body
            next();
            expectBlockEnd();
            auto body = parseBody({"endgeneration"});
            next();
            expectBlockEnd();
            return body;
        }
        if (kw == "break" || kw == "continue") {
            if (m_loopDepth == 0)
                fail("'" + kw + "' outside of a for loop");
            auto n = node(kw == "break" ? K::Break : K::Continue);
            next();
            expectBlockEnd();
            return n;
        }
        fail("unknown statement '" + kw + "'");
    }

    NodePtr parseIf()
    {
        auto n = node(K::If);
        next();
        n->kids.push_back(parseTuple());
        expectBlockEnd();
        n->kids.push_back(parseBody({"elif", "else", "endif"}));
        if (isName("elif")) {
            auto elseBody = node(K::Body);
            elseBody->kids.push_back(parseIf());
            n->kids.push_back(std::move(elseBody));
            return n;
        }
        if (skipName("else")) {
            expectBlockEnd();
            n->kids.push_back(parseBody({"endif"}));
        } else {
            n->kids.push_back(nullptr);
        }
        next(); // endif
        expectBlockEnd();
        return n;
    }

    void parseTargets(Node &n)
    {
        const bool paren = skipOp("(");
        n.names.push_back(expectName());
        while (skipOp(",")) {
            n.flag = true;
            if (cur().type != T::Name)
                break;
            n.names.push_back(expectName());
        }
        if (paren) {
            n.flag = true;
            expectOp(")");
        }
    }

    NodePtr parseFor()
    {
        auto n = node(K::For);
        next();
        parseTargets(*n);
        if (!skipName("in"))
            fail("expected 'in' in for loop, got " + describe(cur()));
        n->kids.push_back(parseTuple(/*noCondExpr*/ true));
        NodePtr filter;
        if (skipName("if"))
            filter = parseExpression();
        if (skipName("recursive"))
            n->recursive = true;
        expectBlockEnd();
        ++m_loopDepth;
        n->kids.push_back(parseBody({"else", "endfor"}));
        --m_loopDepth;
        if (skipName("else")) {
            expectBlockEnd();
            n->kids.push_back(parseBody({"endfor"}));
        } else {
            n->kids.push_back(nullptr);
        }
        n->kids.push_back(std::move(filter));
        next(); // endfor
        expectBlockEnd();
        return n;
    }

    NodePtr parseSet()
    {
        next();
        const int line = cur().line, col = cur().col;
        if (cur().type == T::Name && peek().type == T::Op && peek().text == "." &&
            peek(2).type == T::Name) {
            auto n = std::make_unique<Node>(K::Set, line, col);
            n->names.push_back(expectName());
            next();
            n->str = expectName();
            expectOp("=");
            n->kids.push_back(parseTuple());
            expectBlockEnd();
            return n;
        }
        auto n = std::make_unique<Node>(K::Set, line, col);
        parseTargets(*n);
        if (skipOp("=")) {
            n->kids.push_back(parseTuple());
            expectBlockEnd();
            return n;
        }
        if (n->flag)
            fail("expected '=' after assignment targets");
        n->kind = K::SetBlock;
        NodePtr filter;
        if (isOp("|")) {
            filter = parseFilterChain(nullptr);
        }
        expectBlockEnd();
        n->kids.push_back(parseBody({"endset"}));
        n->kids.push_back(std::move(filter));
        next();
        expectBlockEnd();
        return n;
    }

    void parseSignature(Node &n, std::size_t firstDefault)
    {
        expectOp("(");
        while (!isOp(")")) {
            if (!n.names.empty())
                expectOp(",");
            if (isOp(")"))
                break;
            n.names.push_back(expectName());
            while (n.kids.size() < firstDefault + n.names.size() - 1)
                n.kids.push_back(nullptr);
            n.kids.push_back(skipOp("=") ? parseExpression() : nullptr);
        }
        next();
    }

    NodePtr parseMacro()
    {
        auto n = node(K::Macro);
        next();
        n->str = expectName();
        n->kids.push_back(nullptr); // body, filled below
        parseSignature(*n, 1);
        expectBlockEnd();
        const int savedLoops = m_loopDepth;
        m_loopDepth = 0;
        n->kids[0] = parseBody({"endmacro"});
        m_loopDepth = savedLoops;
        next();
        if (cur().type == T::Name)
            next(); // {% endmacro name %}
        expectBlockEnd();
        return n;
    }

    NodePtr parseCallBlock()
    {
        auto n = node(K::CallBlock);
        next();
        n->kids.push_back(nullptr);
        n->kids.push_back(nullptr);
        if (isOp("("))
            parseSignature(*n, 2);
        NodePtr call = parseExpression();
        if (call->kind != K::Call)
            fail("expected a call in a call block");
        n->kids[0] = std::move(call);
        expectBlockEnd();
        n->kids[1] = parseBody({"endcall"});
        next();
        expectBlockEnd();
        return n;
    }

    NodePtr parseFilterBlock()
    {
        auto n = node(K::FilterBlock);
        next();
        // The chain's innermost operand is the rendered body; parseFilterChain wants a '|'.
        auto chain = parseFilterChain(nullptr, /*leadingPipe*/ false);
        expectBlockEnd();
        n->kids.push_back(std::move(chain));
        n->kids.push_back(parseBody({"endfilter"}));
        next();
        expectBlockEnd();
        return n;
    }

    NodePtr parseFilterChain(NodePtr operand, bool leadingPipe = true)
    {
        bool first = true;
        while (true) {
            if (leadingPipe || !first) {
                if (!skipOp("|"))
                    break;
            }
            first = false;
            operand = parseFilter(std::move(operand));
        }
        return operand;
    }

    // ---- expressions ----

    NodePtr parseTuple(bool noCondExpr = false)
    {
        const int line = cur().line, col = cur().col;
        NodePtr first = noCondExpr ? parseOr() : parseExpression();
        if (!isOp(","))
            return first;
        auto t = std::make_unique<Node>(K::TupleLit, line, col);
        t->kids.push_back(std::move(first));
        while (skipOp(",")) {
            if (cur().type == T::BlockEnd || cur().type == T::VarEnd || isOp(")") || isName("in") ||
                isOp("="))
                break;
            t->kids.push_back(noCondExpr ? parseOr() : parseExpression());
        }
        return t;
    }

    NodePtr parseExpression()
    {
        DepthGuard guard(*this);
        NodePtr expr = parseOr();
        while (isName("if")) {
            auto n = node(K::CondExpr);
            next();
            n->kids.push_back(parseOr());
            n->kids.push_back(std::move(expr)); // kids: test, then, else
            if (skipName("else"))
                n->kids.push_back(parseExpression());
            else
                n->kids.push_back(nullptr);
            expr = std::move(n);
        }
        return expr;
    }

    NodePtr binary(const std::string &op, NodePtr l, NodePtr r, int line, int col)
    {
        auto n = std::make_unique<Node>(K::Binary, line, col);
        n->str = op;
        n->kids.push_back(std::move(l));
        n->kids.push_back(std::move(r));
        return n;
    }

    NodePtr parseOr()
    {
        NodePtr l = parseAnd();
        while (isName("or")) {
            const int line = cur().line, col = cur().col;
            next();
            l = binary("or", std::move(l), parseAnd(), line, col);
        }
        return l;
    }

    NodePtr parseAnd()
    {
        NodePtr l = parseNot();
        while (isName("and")) {
            const int line = cur().line, col = cur().col;
            next();
            l = binary("and", std::move(l), parseNot(), line, col);
        }
        return l;
    }

    NodePtr parseNot()
    {
        if (isName("not")) {
            DepthGuard guard(*this);
            auto n = node(K::Unary);
            n->str = "not";
            next();
            n->kids.push_back(parseNot());
            return n;
        }
        return parseCompare();
    }

    // Python chains comparisons: a < b < c means a < b and b < c (b evaluated once).
    NodePtr parseCompare()
    {
        const int line = cur().line, col = cur().col;
        NodePtr first = parseMath1();
        std::vector<std::string> ops;
        std::vector<NodePtr> operands;
        while (true) {
            std::string op;
            if (cur().type == T::Op &&
                (cur().text == "==" || cur().text == "!=" || cur().text == "<" ||
                 cur().text == ">" || cur().text == "<=" || cur().text == ">=")) {
                op = cur().text;
                next();
            } else if (isName("in")) {
                op = "in";
                next();
            } else if (isName("not") && peek().type == T::Name && peek().text == "in") {
                op = "notin";
                next();
                next();
            } else {
                break;
            }
            ops.push_back(op);
            operands.push_back(parseMath1());
        }
        if (ops.empty())
            return first;
        if (ops.size() == 1)
            return binary(ops[0], std::move(first), std::move(operands[0]), line, col);
        auto n = std::make_unique<Node>(K::Binary, line, col);
        n->str = "chain";
        n->names = std::move(ops);
        n->kids.push_back(std::move(first));
        for (auto &o : operands)
            n->kids.push_back(std::move(o));
        return n;
    }

    NodePtr parseMath1()
    {
        NodePtr l = parseConcat();
        while (isOp("+") || isOp("-")) {
            const int line = cur().line, col = cur().col;
            std::string op = cur().text;
            next();
            l = binary(op, std::move(l), parseConcat(), line, col);
        }
        return l;
    }

    NodePtr parseConcat()
    {
        NodePtr l = parseMath2();
        while (isOp("~")) {
            const int line = cur().line, col = cur().col;
            next();
            l = binary("~", std::move(l), parseMath2(), line, col);
        }
        return l;
    }

    NodePtr parseMath2()
    {
        NodePtr l = parsePow();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            const int line = cur().line, col = cur().col;
            std::string op = cur().text;
            next();
            l = binary(op, std::move(l), parsePow(), line, col);
        }
        return l;
    }

    NodePtr parsePow()
    {
        NodePtr l = parseUnary(true);
        while (isOp("**")) {
            const int line = cur().line, col = cur().col;
            next();
            l = binary("**", std::move(l), parseUnary(true), line, col);
        }
        return l;
    }

    NodePtr parseUnary(bool withFilter)
    {
        DepthGuard guard(*this);
        NodePtr n;
        if (isOp("-") || isOp("+")) {
            n = node(K::Unary);
            n->str = cur().text;
            next();
            n->kids.push_back(parseUnary(false));
        } else {
            n = parsePrimary();
        }
        n = parsePostfix(std::move(n));
        if (withFilter)
            n = parseFilterExpr(std::move(n));
        return n;
    }

    NodePtr parsePrimary()
    {
        const Token &t = cur();
        if (t.type == T::Name) {
            auto n = node(K::Literal);
            if (t.text == "true" || t.text == "True")
                n->lit = Value::fromBool(true);
            else if (t.text == "false" || t.text == "False")
                n->lit = Value::fromBool(false);
            else if (t.text == "none" || t.text == "None")
                n->lit = Value::none();
            else {
                n->kind = K::Name;
                n->str = t.text;
            }
            next();
            return n;
        }
        if (t.type == T::String) {
            auto n = node(K::Literal);
            std::string s;
            while (cur().type == T::String) {
                s += cur().text;
                next();
            }
            n->lit = Value::fromString(std::move(s));
            return n;
        }
        if (t.type == T::Int || t.type == T::Float) {
            auto n = node(K::Literal);
            try {
                if (t.type == T::Int)
                    n->lit = Value::fromInt(std::stoll(t.text));
                else
                    n->lit = Value::fromFloat(std::stod(t.text));
            } catch (...) {
                fail("number literal out of range: " + t.text);
            }
            next();
            return n;
        }
        if (isOp("(")) {
            auto n = node(K::TupleLit);
            next();
            if (skipOp(")"))
                return n;
            NodePtr first = parseExpression();
            if (skipOp(")"))
                return first;
            n->kids.push_back(std::move(first));
            while (skipOp(",")) {
                if (isOp(")"))
                    break;
                n->kids.push_back(parseExpression());
            }
            expectOp(")");
            return n;
        }
        if (isOp("[")) {
            auto n = node(K::ListLit);
            next();
            while (!isOp("]")) {
                if (!n->kids.empty())
                    expectOp(",");
                if (isOp("]"))
                    break;
                n->kids.push_back(parseExpression());
            }
            next();
            return n;
        }
        if (isOp("{")) {
            auto n = node(K::DictLit);
            next();
            while (!isOp("}")) {
                if (!n->kids.empty())
                    expectOp(",");
                if (isOp("}"))
                    break;
                n->kids.push_back(parseExpression());
                expectOp(":");
                n->kids.push_back(parseExpression());
            }
            next();
            return n;
        }
        fail("unexpected " + describe(t));
    }

    NodePtr parsePostfix(NodePtr n)
    {
        while (true) {
            if (isOp(".")) {
                auto a = node(K::GetAttr);
                next();
                if (cur().type == T::Name) {
                    a->str = cur().text;
                    a->kids.push_back(std::move(n));
                    next();
                    n = std::move(a);
                } else if (cur().type == T::Int) {
                    a->kind = K::GetItem;
                    a->kids.push_back(std::move(n));
                    auto idx = node(K::Literal);
                    idx->lit = Value::fromInt(std::stoll(cur().text));
                    a->kids.push_back(std::move(idx));
                    next();
                    n = std::move(a);
                } else {
                    fail("expected an attribute name after '.', got " + describe(cur()));
                }
            } else if (isOp("[")) {
                auto a = node(K::GetItem);
                next();
                a->kids.push_back(std::move(n));
                a->kids.push_back(parseSubscript());
                expectOp("]");
                n = std::move(a);
            } else if (isOp("(")) {
                n = parseCall(std::move(n));
            } else {
                return n;
            }
        }
    }

    NodePtr parseSubscript()
    {
        auto slice = node(K::Slice);
        NodePtr start;
        if (!isOp(":")) {
            start = parseExpression();
            if (!isOp(":"))
                return start;
        }
        next(); // ':'
        slice->kids.push_back(std::move(start));
        slice->kids.push_back(isOp(":") || isOp("]") ? nullptr : parseExpression());
        if (skipOp(":"))
            slice->kids.push_back(isOp("]") ? nullptr : parseExpression());
        else
            slice->kids.push_back(nullptr);
        return slice;
    }

    void parseArgs(Node &n)
    {
        expectOp("(");
        bool first = true;
        while (!isOp(")")) {
            if (!first)
                expectOp(",");
            first = false;
            if (isOp(")"))
                break;
            if (cur().type == T::Name && peek().type == T::Op && peek().text == "=") {
                std::string key = cur().text;
                next();
                next();
                n.kwargs.emplace_back(std::move(key), parseExpression());
            } else {
                if (!n.kwargs.empty())
                    fail("positional argument after keyword argument");
                n.kids.push_back(parseExpression());
            }
        }
        next();
    }

    NodePtr parseCall(NodePtr callee)
    {
        // Errors raised by the call (raise_exception) point at the callee's start.
        auto n = std::make_unique<Node>(K::Call, callee->line, callee->col);
        n->kids.push_back(std::move(callee));
        parseArgs(*n);
        return n;
    }

    NodePtr parseFilter(NodePtr operand)
    {
        auto n = node(K::Filter);
        n->str = expectName();
        while (skipOp("."))
            n->str += "." + expectName();
        n->kids.push_back(std::move(operand));
        if (isOp("("))
            parseArgs(*n);
        return n;
    }

    NodePtr parseFilterExpr(NodePtr n)
    {
        while (true) {
            if (isOp("|")) {
                next();
                n = parseFilter(std::move(n));
            } else if (isName("is")) {
                next();
                auto t = node(K::Test);
                if (skipName("not"))
                    t->flag = true;
                t->str = expectName();
                t->kids.push_back(std::move(n));
                if (isOp("(")) {
                    parseArgs(*t);
                } else if ((cur().type == T::Name || cur().type == T::String ||
                            cur().type == T::Int || cur().type == T::Float || isOp("[") ||
                            isOp("{")) &&
                           !isName("else") && !isName("or") && !isName("and") && !isName("is") &&
                           !isName("if")) {
                    // jinja2 also treats e.g. `is divisibleby 3` as one argument
                    t->kids.push_back(parsePostfix(parsePrimary()));
                }
                n = std::move(t);
            } else if (isOp("(")) {
                n = parseCall(std::move(n));
            } else {
                return n;
            }
        }
    }

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    int m_depth = 0;
    int m_loopDepth = 0;
};

} // namespace

std::string normalizeSource(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n')
                ++i;
            out += '\n';
        } else if (c == '\v' || c == '\f' || c == '\x1c' || c == '\x1d' || c == '\x1e') {
            out += '\n';
        } else if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
                   static_cast<unsigned char>(s[i + 1]) == 0x85) {
            out += '\n';
            ++i;
        } else if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() &&
                   static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
            out += '\n';
            i += 2;
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == '\n')
        out.pop_back(); // keep_trailing_newline=False
    return out;
}

NodePtr parseTemplate(const std::string &source)
{
    Lexer lexer(source);
    Parser parser(lexer.run());
    return parser.parseRoot();
}

} // namespace engine::jinja::detail
