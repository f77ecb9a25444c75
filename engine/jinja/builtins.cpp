#include <engine/jinja/builtins.h>

#include <engine/jinja/interpreter.h>
#include <engine/jinja/pyformat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>

namespace engine::jinja::detail {

std::vector<std::string> utf8Chars(const std::string &s)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 1;
        if (i + len > s.size())
            len = 1;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                len = 1;
                break;
            }
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

std::size_t utf8Length(const std::string &s)
{
    return utf8Chars(s).size();
}

namespace {

std::uint32_t decode(const std::string &ch)
{
    const auto b = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(ch[i]));
    };
    switch (ch.size()) {
    case 1:
        return b(0);
    case 2:
        return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
        return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    case 4:
        return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    default:
        return 0xFFFD;
    }
}

std::string encode(std::uint32_t cp)
{
    std::string out;
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
    return out;
}

std::uint32_t upperCp(std::uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        const bool oddPairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddPairs ? (c % 2 == 0) : (c % 2 == 1))
            return c - 1;
        return c;
    }
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        return c - 32;
    if (c == 0x3C2)
        return 0x3A3;
    if (c == 0x3AC)
        return 0x386;
    if (c >= 0x3AD && c <= 0x3AF)
        return c - 37;
    if (c == 0x3CC)
        return 0x38C;
    if (c == 0x3CD || c == 0x3CE)
        return c - 63;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

std::uint32_t lowerCp(std::uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        const bool oddPairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddPairs ? (c % 2 == 1) : (c % 2 == 0))
            return c + 1;
        return c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

std::string mapChars(const std::string &s, std::uint32_t (*f)(std::uint32_t))
{
    std::string out;
    out.reserve(s.size());
    for (const std::string &ch : utf8Chars(s)) {
        if (ch.size() == 1 && static_cast<unsigned char>(ch[0]) < 0x80) {
            out += static_cast<char>(f(static_cast<unsigned char>(ch[0])));
            continue;
        }
        const std::uint32_t cp = decode(ch);
        const std::uint32_t m = f(cp);
        out += m == cp ? ch : encode(m);
    }
    return out;
}

} // namespace

std::string unicodeUpper(const std::string &s)
{
    std::string out = mapChars(s, upperCp);
    // U+00DF sharp s upper-cases to "SS" in Python.
    for (std::size_t p = out.find("\xC3\x9F"); p != std::string::npos; p = out.find("\xC3\x9F", p))
        out.replace(p, 2, "SS");
    return out;
}

std::string unicodeLower(const std::string &s)
{
    // Python's final-sigma rule: capital sigma after a cased letter and not before one
    // lower-cases to U+03C2.
    std::vector<std::string> cs = utf8Chars(s);
    std::string out;
    for (std::size_t i = 0; i < cs.size(); ++i) {
        if (cs[i] == "\xCE\xA3") {
            const bool after = i > 0 && isCasedChar(cs[i - 1]);
            const bool before = i + 1 < cs.size() && isCasedChar(cs[i + 1]);
            if (after && !before) {
                out += "\xCF\x82";
                continue;
            }
        }
        out += mapChars(cs[i], lowerCp);
    }
    return out;
}

bool isWordChar(const std::string &ch)
{
    const std::uint32_t c = decode(ch);
    if (c < 0x80)
        return std::isalnum(static_cast<int>(c)) || c == '_';
    if ((c >= 0x80 && c <= 0xBF && c != 0xAA && c != 0xB2 && c != 0xB3 && c != 0xB5 && c != 0xB9 &&
         c != 0xBA && c != 0xBC && c != 0xBD && c != 0xBE) ||
        c == 0xD7 || c == 0xF7)
        return false;
    if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) ||
        (c >= 0xFF1A && c <= 0xFF20) || (c >= 0x1F000 && c <= 0x1FAFF) ||
        (c >= 0xE000 && c <= 0xF8FF) || c == 0xFFFD || c == 0x37E || c == 0x387)
        return false;
    return true;
}

bool isCasedChar(const std::string &ch)
{
    const std::uint32_t c = decode(ch);
    return upperCp(c) != c || lowerCp(c) != c || (c >= 0xDF && c <= 0xFF && c != 0xF7);
}

namespace {

using Args = CallArgs;

//! Positional argument `index`, or keyword `name`, or `def`.
Value arg(const Args &a, std::size_t index, const char *name, Value def = Value::undefined())
{
    if (index < a.positional.size())
        return a.positional[index];
    for (const auto &[k, v] : a.keyword)
        if (k == name)
            return v;
    return def;
}

bool isPySpace(const std::string &ch)
{
    return ch.size() == 1 && (ch[0] == ' ' || (ch[0] >= '\t' && ch[0] <= '\r') ||
                              (ch[0] >= '\x1c' && ch[0] <= '\x1f'));
}

std::string strip(const std::string &s, const Value &chars, bool left, bool right)
{
    std::vector<std::string> cs = utf8Chars(s);
    std::vector<std::string> set;
    const bool custom = chars.isString();
    if (custom)
        set = utf8Chars(chars.str);
    auto strippable = [&](const std::string &c) {
        return custom ? std::find(set.begin(), set.end(), c) != set.end() : isPySpace(c);
    };
    std::size_t b = 0, e = cs.size();
    if (left)
        while (b < e && strippable(cs[b]))
            ++b;
    if (right)
        while (e > b && strippable(cs[e - 1]))
            --e;
    std::string out;
    for (std::size_t i = b; i < e; ++i)
        out += cs[i];
    return out;
}

std::string upper(const std::string &s)
{
    return unicodeUpper(s);
}
std::string lower(const std::string &s)
{
    return unicodeLower(s);
}

// Python str.title(): a letter after a non-letter starts a word.
std::string pyTitle(const std::string &s)
{
    std::string out;
    bool prevCased = false;
    for (const std::string &c : utf8Chars(s)) {
        const bool cased = isCasedChar(c);
        out += cased ? (prevCased ? unicodeLower(c) : unicodeUpper(c)) : c;
        prevCased = cased;
    }
    return out;
}

std::string capitalize(const std::string &s)
{
    std::vector<std::string> cs = utf8Chars(s);
    std::string out;
    for (std::size_t i = 0; i < cs.size(); ++i)
        out += i == 0 ? unicodeUpper(cs[i]) : unicodeLower(cs[i]);
    return out;
}

std::vector<std::string> split(const std::string &s, const Value &sep, std::int64_t maxSplit)
{
    std::vector<std::string> out;
    if (!sep.isString()) {
        std::size_t i = 0;
        while (true) {
            while (i < s.size() && isPySpace(std::string(1, s[i])))
                ++i;
            if (i >= s.size())
                break;
            if (maxSplit >= 0 && static_cast<std::int64_t>(out.size()) == maxSplit) {
                std::string rest = s.substr(i);
                while (!rest.empty() && isPySpace(std::string(1, rest.back())))
                    rest.pop_back();
                out.push_back(rest);
                break;
            }
            std::size_t j = i;
            while (j < s.size() && !isPySpace(std::string(1, s[j])))
                ++j;
            out.push_back(s.substr(i, j - i));
            i = j;
        }
        return out;
    }
    std::size_t start = 0;
    while (true) {
        if (maxSplit >= 0 && static_cast<std::int64_t>(out.size()) == maxSplit)
            break;
        const std::size_t p = s.find(sep.str, start);
        if (p == std::string::npos)
            break;
        out.push_back(s.substr(start, p - start));
        start = p + sep.str.size();
    }
    out.push_back(s.substr(start));
    return out;
}

std::string replace(Interpreter &in, const std::string &s, const std::string &from,
                    const std::string &to, std::int64_t count)
{
    std::string out;
    if (from.empty()) {
        std::int64_t n = 0;
        for (const std::string &c : utf8Chars(s)) {
            if (count < 0 || n < count) {
                out += to;
                ++n;
            }
            out += c;
            in.checkSize(out.size());
        }
        if (count < 0 || n < count)
            out += to;
        return out;
    }
    std::size_t start = 0;
    std::int64_t n = 0;
    while (count < 0 || n < count) {
        const std::size_t p = s.find(from, start);
        if (p == std::string::npos)
            break;
        out.append(s, start, p - start);
        out += to;
        in.checkSize(out.size());
        start = p + from.size();
        ++n;
    }
    out.append(s, start, std::string::npos);
    return out;
}

std::int64_t countSub(const std::string &s, const std::string &sub)
{
    if (sub.empty())
        return static_cast<std::int64_t>(utf8Length(s)) + 1;
    std::int64_t n = 0;
    for (std::size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size()))
        ++n;
    return n;
}

std::int64_t toInt(Interpreter &in, const Value &v, const char *what)
{
    if (v.kind == Value::Kind::Int)
        return v.integer;
    if (v.kind == Value::Kind::Bool)
        return v.boolean;
    in.fail(std::string(what) + " must be an integer, got '" + pyTypeName(v) + "'");
}

bool prefixMatch(Interpreter &in, const std::string &s, const Value &p, bool suffix)
{
    auto one = [&](const Value &x) {
        if (!x.isString())
            in.fail(std::string(suffix ? "endswith" : "startswith") +
                    " first arg must be str or a tuple of str");
        if (x.str.size() > s.size())
            return false;
        return suffix ? s.compare(s.size() - x.str.size(), x.str.size(), x.str) == 0
                      : s.compare(0, x.str.size(), x.str) == 0;
    };
    if (p.isList()) {
        for (const Value &x : *p.list)
            if (one(x))
                return true;
        return false;
    }
    return one(p);
}

using Method = std::function<Value(Interpreter &, Args &)>;

Value method(const std::string &name, Method fn)
{
    return Value::fromCallable(name, std::move(fn));
}

Value stringMethod(const Value &obj, const std::string &name)
{
    const std::string s = obj.str;
    if (name == "strip" || name == "lstrip" || name == "rstrip")
        return method(name, [s, name](Interpreter &, Args &a) {
            return Value::fromString(
                strip(s, arg(a, 0, "chars"), name != "rstrip", name != "lstrip"));
        });
    if (name == "split")
        return method(name, [s](Interpreter &in, Args &a) {
            Value sep = arg(a, 0, "sep");
            if (sep.isString() && sep.str.empty())
                in.fail("empty separator");
            Value ms = arg(a, 1, "maxsplit", Value::fromInt(-1));
            List parts;
            for (auto &p : split(s, sep, toInt(in, ms, "maxsplit")))
                parts.push_back(Value::fromString(std::move(p)));
            return Value::fromList(std::move(parts));
        });
    if (name == "startswith" || name == "endswith")
        return method(name, [s, name](Interpreter &in, Args &a) {
            return Value::fromBool(prefixMatch(in, s, arg(a, 0, "prefix"), name == "endswith"));
        });
    if (name == "upper")
        return method(name, [s](Interpreter &, Args &) { return Value::fromString(upper(s)); });
    if (name == "lower")
        return method(name, [s](Interpreter &, Args &) { return Value::fromString(lower(s)); });
    if (name == "title")
        return method(name, [s](Interpreter &, Args &) { return Value::fromString(pyTitle(s)); });
    if (name == "capitalize")
        return method(name,
                      [s](Interpreter &, Args &) { return Value::fromString(capitalize(s)); });
    if (name == "replace")
        return method(name, [s](Interpreter &in, Args &a) {
            Value from = arg(a, 0, "old"), to = arg(a, 1, "new");
            if (!from.isString() || !to.isString())
                in.fail("replace() arguments must be str");
            return Value::fromString(
                replace(in, s, from.str, to.str,
                        toInt(in, arg(a, 2, "count", Value::fromInt(-1)), "count")));
        });
    if (name == "find" || name == "rfind" || name == "index")
        return method(name, [s, name](Interpreter &in, Args &a) {
            Value sub = arg(a, 0, "sub");
            if (!sub.isString())
                in.fail(name + "() argument must be str");
            const std::size_t p = name == "rfind" ? s.rfind(sub.str) : s.find(sub.str);
            if (p == std::string::npos) {
                if (name == "index")
                    in.fail("substring not found");
                return Value::fromInt(-1);
            }
            return Value::fromInt(static_cast<std::int64_t>(utf8Length(s.substr(0, p))));
        });
    if (name == "count")
        return method(name, [s](Interpreter &in, Args &a) {
            Value sub = arg(a, 0, "sub");
            if (!sub.isString())
                in.fail("count() argument must be str");
            return Value::fromInt(countSub(s, sub.str));
        });
    if (name == "join")
        return method(name, [s](Interpreter &in, Args &a) {
            std::string out;
            bool first = true;
            for (const Value &v : in.iterate(arg(a, 0, "iterable"))) {
                if (!v.isString())
                    in.fail("sequence item: expected str instance, " + pyTypeName(v) + " found");
                if (!first)
                    out += s;
                first = false;
                out += v.str;
                in.checkSize(out.size());
            }
            return Value::fromString(std::move(out));
        });
    if (name == "isdigit" || name == "isalpha" || name == "isspace" || name == "isalnum")
        return method(name, [s, name](Interpreter &, Args &) {
            if (s.empty())
                return Value::fromBool(false);
            for (unsigned char c : s) {
                const bool ok = name == "isdigit"   ? std::isdigit(c)
                                : name == "isalpha" ? std::isalpha(c)
                                : name == "isalnum" ? std::isalnum(c)
                                                    : std::isspace(c);
                if (!ok)
                    return Value::fromBool(false);
            }
            return Value::fromBool(true);
        });
    if (name == "splitlines")
        return method(name, [s](Interpreter &, Args &) {
            List parts;
            std::size_t start = 0;
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (s[i] == '\n' || s[i] == '\r') {
                    parts.push_back(Value::fromString(s.substr(start, i - start)));
                    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')
                        ++i;
                    start = i + 1;
                }
            }
            if (start < s.size())
                parts.push_back(Value::fromString(s.substr(start)));
            return Value::fromList(std::move(parts));
        });
    return Value::undefined();
}

} // namespace

Value boundMethod(Interpreter &in, const Value &obj, const std::string &name)
{
    (void)in;
    if (obj.isString())
        return stringMethod(obj, name);
    if (obj.isDict() && !obj.dict->attributeAccess) {
        auto d = obj.dict;
        if (name == "items")
            return method(name, [d](Interpreter &, Args &) {
                List items;
                for (const auto &[k, v] : d->entries)
                    items.push_back(Value::fromList({Value::fromString(k), v}, true));
                return Value::fromList(std::move(items));
            });
        if (name == "keys")
            return method(name, [d](Interpreter &, Args &) {
                List items;
                for (const auto &e : d->entries)
                    items.push_back(Value::fromString(e.first));
                return Value::fromList(std::move(items));
            });
        if (name == "values")
            return method(name, [d](Interpreter &, Args &) {
                List items;
                for (const auto &e : d->entries)
                    items.push_back(e.second);
                return Value::fromList(std::move(items));
            });
        if (name == "get")
            return method(name, [d](Interpreter &, Args &a) {
                Value key = arg(a, 0, "key");
                if (key.isString())
                    if (const Value *v = d->find(key.str))
                        return *v;
                return arg(a, 1, "default", Value::none());
            });
        return Value::undefined();
    }
    if (obj.isList() && !obj.tuple) {
        auto l = obj.list;
        if (name == "append")
            return method(name, [l](Interpreter &in2, Args &a) {
                if (a.positional.size() != 1)
                    in2.fail("append() takes exactly one argument");
                in2.step();
                if (in2.reaches(a.positional[0], l.get()))
                    in2.fail("cannot append a list to itself");
                l->push_back(a.positional[0]);
                return Value::none();
            });
    }
    if (obj.isList()) {
        auto l = obj.list;
        if (name == "index" || name == "count")
            return method(name, [l, name](Interpreter &in2, Args &a) {
                Value x = arg(a, 0, "value");
                std::int64_t n = 0;
                for (std::size_t i = 0; i < l->size(); ++i) {
                    if (in2.equals((*l)[i], x)) {
                        if (name == "index")
                            return Value::fromInt(static_cast<std::int64_t>(i));
                        ++n;
                    }
                }
                if (name == "index")
                    in2.fail(pyRepr(x) + " is not in list");
                return Value::fromInt(n);
            });
    }
    return Value::undefined();
}

Value sliceValue(Interpreter &in, const Value &obj, const Value &start, const Value &stop,
                 const Value &stepV)
{
    in.requireDefined(obj);
    std::vector<std::string> chars;
    std::int64_t n;
    if (obj.isString()) {
        chars = utf8Chars(obj.str);
        n = static_cast<std::int64_t>(chars.size());
    } else if (obj.isList()) {
        n = static_cast<std::int64_t>(obj.list->size());
    } else {
        in.fail("'" + pyTypeName(obj) + "' object is not subscriptable");
    }
    auto intOr = [&](const Value &v, std::int64_t def) {
        return v.isNone() ? def : toInt(in, v, "slice indices");
    };
    const std::int64_t step = intOr(stepV, 1);
    if (step == 0)
        in.fail("slice step cannot be zero");
    auto clamp = [&](std::int64_t i, bool isStart) {
        if (i < 0)
            i += n;
        if (step > 0)
            return std::clamp<std::int64_t>(i, 0, n);
        (void)isStart;
        return std::clamp<std::int64_t>(i, -1, n - 1);
    };
    std::int64_t b = start.isNone() ? (step > 0 ? 0 : n - 1) : clamp(intOr(start, 0), true);
    std::int64_t e = stop.isNone() ? (step > 0 ? n : -1) : clamp(intOr(stop, 0), false);
    List items;
    std::string s;
    for (std::int64_t i = b; step > 0 ? i < e : i > e; i += step) {
        in.step();
        if (obj.isString())
            s += chars[static_cast<std::size_t>(i)];
        else
            items.push_back((*obj.list)[static_cast<std::size_t>(i)]);
    }
    if (obj.isString())
        return Value::fromString(std::move(s));
    return Value::fromList(std::move(items), obj.tuple);
}

bool contains(Interpreter &in, const Value &haystack, const Value &needle)
{
    if (haystack.isString()) {
        if (!needle.isString())
            in.fail("'in <string>' requires string as left operand, not " + pyTypeName(needle));
        return haystack.str.find(needle.str) != std::string::npos;
    }
    if (haystack.isDict())
        return needle.isString() && haystack.dict->find(needle.str) != nullptr;
    if (haystack.isList()) {
        for (const Value &v : *haystack.list)
            if (in.equals(v, needle))
                return true;
        return false;
    }
    if (haystack.isUndefined())
        return false;
    in.fail("argument of type '" + pyTypeName(haystack) + "' is not iterable");
}

Value arithmetic(Interpreter &in, const std::string &op, const Value &a, const Value &b)
{
    in.requireDefined(a);
    in.requireDefined(b);
    auto isInt = [](const Value &v) {
        return v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool;
    };
    auto iv = [](const Value &v) {
        return v.kind == Value::Kind::Bool ? std::int64_t(v.boolean) : v.integer;
    };
    auto dv = [&](const Value &v) {
        return v.kind == Value::Kind::Float ? v.real : static_cast<double>(iv(v));
    };
    auto unsupported = [&]() {
        in.fail("unsupported operand type(s) for " + op + ": '" + pyTypeName(a) + "' and '" +
                pyTypeName(b) + "'");
    };
    if (a.isNumber() && b.isNumber()) {
        const bool ints = isInt(a) && isInt(b);
        const std::int64_t x = ints ? iv(a) : 0, y = ints ? iv(b) : 0;
        std::int64_t r = 0;
        if (op == "+" || op == "-" || op == "*") {
            if (ints) {
                const bool overflow = op == "+"   ? __builtin_add_overflow(x, y, &r)
                                      : op == "-" ? __builtin_sub_overflow(x, y, &r)
                                                  : __builtin_mul_overflow(x, y, &r);
                if (overflow)
                    in.fail("integer overflow in '" + op + "'");
                return Value::fromInt(r);
            }
            const double p = dv(a), q = dv(b);
            return Value::fromFloat(op == "+" ? p + q : op == "-" ? p - q : p * q);
        }
        if (op == "/") {
            if (dv(b) == 0.0)
                in.fail("division by zero");
            return Value::fromFloat(dv(a) / dv(b));
        }
        if (op == "//" || op == "%") {
            if (ints) {
                if (y == 0)
                    in.fail("integer division or modulo by zero");
                if (x == std::numeric_limits<std::int64_t>::min() && y == -1)
                    in.fail("integer overflow");
                std::int64_t q = x / y, m = x % y;
                if (m != 0 && ((m < 0) != (y < 0))) {
                    --q;
                    m += y;
                }
                return Value::fromInt(op == "//" ? q : m);
            }
            const double p = dv(a), q = dv(b);
            if (q == 0.0)
                in.fail("float division by zero");
            double m = std::fmod(p, q);
            if (m != 0.0 && ((m < 0) != (q < 0)))
                m += q;
            return Value::fromFloat(op == "//" ? std::floor((p - m) / q) : m);
        }
        if (op == "**") {
            if (ints && y >= 0) {
                std::int64_t result = 1, base = x, e = y;
                while (e > 0) {
                    if (e & 1)
                        if (__builtin_mul_overflow(result, base, &result))
                            in.fail("integer overflow in '**'");
                    e >>= 1;
                    if (e && __builtin_mul_overflow(base, base, &base))
                        in.fail("integer overflow in '**'");
                }
                return Value::fromInt(result);
            }
            if (dv(a) == 0.0 && dv(b) < 0)
                in.fail("0.0 cannot be raised to a negative power");
            return Value::fromFloat(std::pow(dv(a), dv(b)));
        }
        unsupported();
    }
    if (op == "+") {
        if (a.isString() && b.isString()) {
            in.checkSize(a.str.size() + b.str.size());
            return Value::fromString(a.str + b.str);
        }
        if (a.isList() && b.isList() && a.tuple == b.tuple) {
            List items = *a.list;
            items.insert(items.end(), b.list->begin(), b.list->end());
            in.checkSize(items.size());
            return Value::fromList(std::move(items), a.tuple);
        }
        if (a.isString())
            in.fail("can only concatenate str (not \"" + pyTypeName(b) + "\") to str");
        unsupported();
    }
    if (op == "*" && (a.isString() || a.isList()) && isInt(b)) {
        const std::int64_t times = std::max<std::int64_t>(0, iv(b));
        const std::size_t unit = a.isString() ? a.str.size() : a.list->size();
        if (unit && static_cast<std::uint64_t>(times) > (std::uint64_t(1) << 40) / unit)
            in.checkSize(std::numeric_limits<std::size_t>::max());
        in.checkSize(unit * static_cast<std::size_t>(times));
        // Nothing repeated any number of times is nothing: without this, '' * 400000000000
        // looped that many times (a fuzzing timeout).
        if (unit == 0)
            return a.isString() ? Value::fromString(std::string()) : Value::fromList({}, a.tuple);
        if (a.isString()) {
            std::string s;
            s.reserve(unit * static_cast<std::size_t>(times));
            for (std::int64_t i = 0; i < times; ++i)
                s += a.str;
            return Value::fromString(std::move(s));
        }
        List items;
        for (std::int64_t i = 0; i < times; ++i) {
            in.step();
            items.insert(items.end(), a.list->begin(), a.list->end());
        }
        return Value::fromList(std::move(items), a.tuple);
    }
    if (op == "*" && isInt(a) && (b.isString() || b.isList()))
        return arithmetic(in, op, b, a);
    in.fail("unsupported operand type(s) for " + op + ": '" + pyTypeName(a) + "' and '" +
            pyTypeName(b) + "'");
}

// ---------------------------------------------------------------- globals

void installGlobals(Interpreter &, std::unordered_map<std::string, Value> &vars)
{
    vars["range"] = method("range", [](Interpreter &in, Args &a) {
        std::int64_t start = 0, stop = 0, step = 1;
        if (a.positional.size() == 1) {
            stop = toInt(in, a.positional[0], "range() argument");
        } else if (a.positional.size() == 2 || a.positional.size() == 3) {
            start = toInt(in, a.positional[0], "range() argument");
            stop = toInt(in, a.positional[1], "range() argument");
            if (a.positional.size() == 3)
                step = toInt(in, a.positional[2], "range() argument");
        } else {
            in.fail("range expected 1 to 3 arguments, got " + std::to_string(a.positional.size()));
        }
        if (step == 0)
            in.fail("range() arg 3 must not be zero");
        List items;
        for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
            in.step();
            items.push_back(Value::fromInt(i));
        }
        return Value::fromList(std::move(items));
    });
    vars["dict"] = method("dict", [](Interpreter &in, Args &a) {
        Value d = Value::newDict();
        if (!a.positional.empty()) {
            const Value &src = a.positional[0];
            if (src.isDict()) {
                for (const auto &[k, v] : src.dict->entries)
                    d.dict->set(k, v);
            } else {
                for (const Value &pair : in.iterate(src)) {
                    List kv = in.iterate(pair);
                    if (kv.size() != 2 || !kv[0].isString())
                        in.fail("dict() needs (str, value) pairs");
                    d.dict->set(kv[0].str, kv[1]);
                }
            }
        }
        for (const auto &[k, v] : a.keyword)
            d.dict->set(k, v);
        return d;
    });
    vars["namespace"] = method("namespace", [](Interpreter &in, Args &a) {
        Value ns = Value::newDict(true);
        for (const Value &p : a.positional) {
            if (!p.isDict())
                in.fail("namespace() positional argument must be a dict");
            for (const auto &[k, v] : p.dict->entries)
                ns.dict->set(k, v);
        }
        for (const auto &[k, v] : a.keyword)
            ns.dict->set(k, v);
        return ns;
    });
    vars["raise_exception"] = method("raise_exception", [](Interpreter &in, Args &a) -> Value {
        in.fail(pyStr(arg(a, 0, "message")));
    });
    vars["strftime_now"] = method("strftime_now", [](Interpreter &in, Args &a) {
        Value fmt = arg(a, 0, "format");
        if (!fmt.isString())
            in.fail("strftime_now() needs a format string");
        std::tm tm{};
        if (auto fixed = in.fixedTime()) {
            gmtime_r(&*fixed, &tm);
        } else {
            const std::time_t now = std::time(nullptr);
            localtime_r(&now, &tm);
        }
        char buf[512];
        const std::size_t n =
            fmt.str.size() < 200 ? std::strftime(buf, sizeof buf, fmt.str.c_str(), &tm) : 0;
        if (n == 0 && !fmt.str.empty())
            in.fail("strftime_now(): format produced no output or is too long");
        return Value::fromString(std::string(buf, n));
    });
    vars["cycler"] = method("cycler", [](Interpreter &, Args &a) {
        Value c = Value::newDict(true);
        auto items = std::make_shared<List>(a.positional);
        auto pos = std::make_shared<std::size_t>(0);
        c.dict->set("next", method("next", [items, pos](Interpreter &in, Args &) {
                        if (items->empty())
                            in.fail("cycler has no items");
                        Value v = (*items)[*pos % items->size()];
                        ++*pos;
                        return v;
                    }));
        return c;
    });
    vars["joiner"] = method("joiner", [](Interpreter &, Args &a) {
        std::string sep = a.positional.empty() ? ", " : pyStr(a.positional[0]);
        auto used = std::make_shared<bool>(false);
        return method("joiner", [sep, used](Interpreter &, Args &) {
            if (!*used) {
                *used = true;
                return Value::fromString("");
            }
            return Value::fromString(sep);
        });
    });
}

} // namespace engine::jinja::detail
