// Jinja's built-in filters and tests (jinja2/filters.py, jinja2/tests.py), plus transformers'
// tojson override.

#include <engine/jinja/builtins.h>
#include <engine/jinja/interpreter.h>
#include <engine/jinja/pyformat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <unordered_map>

namespace engine::jinja::detail {

namespace {

using Args = CallArgs;

Value arg(const Args &a, std::size_t index, const char *name, Value def = Value::undefined())
{
    if (index < a.positional.size())
        return a.positional[index];
    for (const auto &[k, v] : a.keyword)
        if (k == name)
            return v;
    return def;
}

std::string lowerAscii(const std::string &s)
{
    return unicodeLower(s);
}

std::string upperAscii(const std::string &s)
{
    return unicodeUpper(s);
}

// jinja's make_attrgetter: "a.b" or "0" walks attributes/items.
Value attrPath(Interpreter &in, Value v, const Value &attribute)
{
    if (attribute.kind == Value::Kind::Int)
        return in.getItem(v, attribute);
    const std::string path = pyStr(attribute);
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        std::string part =
            path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
        v = numeric ? in.getItem(v, Value::fromInt(std::atoll(part.c_str())))
                    : in.getItem(v, Value::fromString(part));
        if (dot == std::string::npos)
            return v;
        start = dot + 1;
    }
}

Value caseKey(const Value &v, bool caseSensitive)
{
    if (!caseSensitive && v.isString())
        return Value::fromString(lowerAscii(v.str));
    return v;
}

std::string htmlEscape(const std::string &s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&#34;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string jinjaTitle(const std::string &s)
{
    // jinja's do_title: split on runs of [-\s({\[<], capitalize each piece.
    std::string out;
    bool wordStart = true;
    for (const std::string &ch : utf8Chars(s)) {
        const char c = ch[0];
        const bool sep =
            ch.size() == 1 && (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                               c == '\f' || c == '\v' || c == '(' || c == '{' || c == '[' ||
                               c == '<' || (c >= '\x1c' && c <= '\x1f'));
        if (sep) {
            out += ch;
            wordStart = true;
        } else {
            out += wordStart ? upperAscii(ch) : lowerAscii(ch);
            wordStart = false;
        }
    }
    return out;
}

double toDouble(const Value &v)
{
    return v.kind == Value::Kind::Float  ? v.real
           : v.kind == Value::Kind::Bool ? (v.boolean ? 1.0 : 0.0)
                                         : static_cast<double>(v.integer);
}

bool parseIntString(std::string s, std::int64_t &out)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    s = s.substr(b);
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    if (s.empty())
        return false;
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i >= s.size() ||
        !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), ::isdigit))
        return false;
    errno = 0;
    out = std::strtoll(s.c_str(), nullptr, 10);
    return errno == 0;
}

bool parseFloatString(const std::string &s, double &out)
{
    const char *b = s.c_str();
    char *end = nullptr;
    out = std::strtod(b, &end);
    if (end == b)
        return false;
    while (*end && std::isspace(static_cast<unsigned char>(*end)))
        ++end;
    return *end == 0;
}

Value sortValues(Interpreter &in, List items, bool reverse, bool caseSensitive,
                 const Value &attribute)
{
    std::vector<std::pair<Value, Value>> keyed;
    for (Value &v : items)
        keyed.emplace_back(
            caseKey(attribute.isUndefined() || attribute.isNone() ? v : attrPath(in, v, attribute),
                    caseSensitive),
            std::move(v));
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto &x, const auto &y) {
        in.step();
        return reverse ? in.less(y.first, x.first) : in.less(x.first, y.first);
    });
    List out;
    for (auto &kv : keyed)
        out.push_back(std::move(kv.second));
    return Value::fromList(std::move(out));
}

using FilterFn = std::function<Value(Interpreter &, const Value &, Args &)>;
using TestFn = std::function<bool(Interpreter &, const Value &, Args &)>;

Value selectOrReject(Interpreter &in, const Value &v, Args &a, bool select, bool byAttr)
{
    List out;
    Args testArgs;
    std::size_t first = byAttr ? 1 : 0;
    Value attribute = byAttr ? arg(a, 0, "attribute") : Value::undefined();
    Value testName = first < a.positional.size() ? a.positional[first] : Value::undefined();
    for (std::size_t i = first + 1; i < a.positional.size(); ++i)
        testArgs.positional.push_back(a.positional[i]);
    for (const Value &item : in.iterate(v)) {
        in.step();
        Value subject = byAttr ? attrPath(in, item, attribute) : item;
        bool ok;
        if (testName.isUndefined()) {
            ok = in.truthy(subject);
        } else {
            Args copy = testArgs;
            ok = in.applyTest(pyStr(testName), subject, copy);
        }
        if (ok == select)
            out.push_back(item);
    }
    return Value::fromList(std::move(out));
}

const std::unordered_map<std::string, FilterFn> &filters()
{
    static const std::unordered_map<std::string, FilterFn> table = [] {
        std::unordered_map<std::string, FilterFn> t;
        t["trim"] = [](Interpreter &in, const Value &v, Args &a) {
            CallArgs m;
            Value chars = arg(a, 0, "chars");
            if (!chars.isUndefined())
                m.positional.push_back(chars);
            return in.call(boundMethod(in, Value::fromString(pyStr(v)), "strip"), m);
        };
        t["tojson"] = [](Interpreter &in, const Value &v, Args &a) {
            JsonOptions opt;
            Value indent = arg(a, 1, "indent", Value::none());
            if (indent.kind == Value::Kind::Int)
                opt.indent = std::string(
                    static_cast<std::size_t>(std::max<std::int64_t>(0, indent.integer)), ' ');
            else if (indent.isString())
                opt.indent = indent.str;
            if (opt.indent)
                opt.itemSeparator = ",";
            Value seps = arg(a, 2, "separators", Value::none());
            if (seps.isList() && seps.list->size() == 2 && (*seps.list)[0].isString() &&
                (*seps.list)[1].isString()) {
                opt.itemSeparator = (*seps.list)[0].str;
                opt.keySeparator = (*seps.list)[1].str;
            }
            opt.sortKeys = in.truthy(arg(a, 3, "sort_keys", Value::fromBool(false)));
            std::string out, error;
            // positional 0 is ensure_ascii in transformers' signature; only False is supported
            if (!pyJsonDumps(v, opt, out, error))
                in.fail(error);
            in.checkSize(out.size());
            return Value::fromString(std::move(out));
        };
        t["length"] = t["count"] = [](Interpreter &in, const Value &v, Args &) {
            return Value::fromInt(in.length(v));
        };
        t["upper"] = [](Interpreter &, const Value &v, Args &) {
            return Value::fromString(upperAscii(pyStr(v)));
        };
        t["lower"] = [](Interpreter &, const Value &v, Args &) {
            return Value::fromString(lowerAscii(pyStr(v)));
        };
        t["title"] = [](Interpreter &, const Value &v, Args &) {
            return Value::fromString(jinjaTitle(pyStr(v)));
        };
        t["capitalize"] = [](Interpreter &, const Value &v, Args &) {
            std::string out;
            bool first = true;
            for (const std::string &ch : utf8Chars(pyStr(v))) {
                out += first ? upperAscii(ch) : lowerAscii(ch);
                first = false;
            }
            return Value::fromString(out);
        };
        t["replace"] = [](Interpreter &in, const Value &v, Args &a) {
            CallArgs m;
            m.positional = {Value::fromString(pyStr(arg(a, 0, "old"))),
                            Value::fromString(pyStr(arg(a, 1, "new")))};
            Value count = arg(a, 2, "count", Value::none());
            if (!count.isNone())
                m.positional.push_back(count);
            return in.call(boundMethod(in, Value::fromString(pyStr(v)), "replace"), m);
        };
        t["join"] = [](Interpreter &in, const Value &v, Args &a) {
            const std::string sep = pyStr(arg(a, 0, "d", Value::fromString("")));
            Value attribute = arg(a, 1, "attribute", Value::none());
            std::string out;
            bool first = true;
            for (const Value &item : in.iterate(v)) {
                if (!first)
                    out += sep;
                first = false;
                out += pyStr(attribute.isNone() ? item : attrPath(in, item, attribute));
                in.checkSize(out.size());
            }
            return Value::fromString(std::move(out));
        };
        t["default"] = t["d"] = [](Interpreter &in, const Value &v, Args &a) {
            const bool boolean = in.truthy(arg(a, 1, "boolean", Value::fromBool(false)));
            if (v.isUndefined() || (boolean && !in.truthy(v)))
                return arg(a, 0, "default_value", Value::fromString(""));
            return v;
        };
        t["first"] = [](Interpreter &in, const Value &v, Args &) {
            List items = in.iterate(v);
            return items.empty() ? Value::undefined("No first item, sequence was empty.")
                                 : items.front();
        };
        t["last"] = [](Interpreter &in, const Value &v, Args &) {
            List items = in.iterate(v);
            return items.empty() ? Value::undefined("No last item, sequence was empty.")
                                 : items.back();
        };
        t["list"] = [](Interpreter &in, const Value &v, Args &) {
            return Value::fromList(in.iterate(v));
        };
        t["map"] = [](Interpreter &in, const Value &v, Args &a) {
            List out;
            Value attribute = arg(a, 99, "attribute");
            if (!attribute.isUndefined()) {
                Value def = arg(a, 99, "default");
                for (const Value &item : in.iterate(v)) {
                    Value r = attrPath(in, item, attribute);
                    out.push_back(r.isUndefined() && !def.isUndefined() ? def : r);
                }
                return Value::fromList(std::move(out));
            }
            if (a.positional.empty())
                in.fail("map requires a filter argument");
            const std::string name = pyStr(a.positional[0]);
            for (const Value &item : in.iterate(v)) {
                CallArgs rest;
                rest.positional.assign(a.positional.begin() + 1, a.positional.end());
                rest.keyword = a.keyword;
                out.push_back(in.applyFilter(name, item, rest));
            }
            return Value::fromList(std::move(out));
        };
        t["select"] = [](Interpreter &in, const Value &v, Args &a) {
            return selectOrReject(in, v, a, true, false);
        };
        t["reject"] = [](Interpreter &in, const Value &v, Args &a) {
            return selectOrReject(in, v, a, false, false);
        };
        t["selectattr"] = [](Interpreter &in, const Value &v, Args &a) {
            return selectOrReject(in, v, a, true, true);
        };
        t["rejectattr"] = [](Interpreter &in, const Value &v, Args &a) {
            return selectOrReject(in, v, a, false, true);
        };
        t["string"] = [](Interpreter &, const Value &v, Args &) {
            return Value::fromString(pyStr(v));
        };
        t["int"] = [](Interpreter &in, const Value &v, Args &a) {
            Value def = arg(a, 0, "default", Value::fromInt(0));
            switch (v.kind) {
            case Value::Kind::Int:
                return v;
            case Value::Kind::Bool:
                return Value::fromInt(v.boolean);
            case Value::Kind::Float:
                if (!std::isfinite(v.real) || std::fabs(v.real) > 9.2e18)
                    return def;
                return Value::fromInt(static_cast<std::int64_t>(v.real));
            case Value::Kind::String: {
                std::int64_t i;
                if (parseIntString(v.str, i))
                    return Value::fromInt(i);
                double d;
                if (parseFloatString(v.str, d) && std::isfinite(d) && std::fabs(d) < 9.2e18)
                    return Value::fromInt(static_cast<std::int64_t>(d));
                return def;
            }
            default:
                (void)in;
                return def;
            }
        };
        t["float"] = [](Interpreter &, const Value &v, Args &a) {
            Value def = arg(a, 0, "default", Value::fromFloat(0.0));
            if (v.isNumber())
                return Value::fromFloat(toDouble(v));
            double d;
            if (v.isString() && parseFloatString(v.str, d))
                return Value::fromFloat(d);
            return def;
        };
        t["items"] = [](Interpreter &in, const Value &v, Args &) {
            if (v.isUndefined())
                return Value::fromList({});
            if (!v.isDict())
                in.fail("items filter: can only get item pairs from a mapping");
            return in.call(boundMethod(in, v, "items"), *std::make_unique<CallArgs>());
        };
        t["dictsort"] = [](Interpreter &in, const Value &v, Args &a) {
            if (!v.isDict())
                in.fail("dictsort filter: value is not a mapping");
            const bool cs = in.truthy(arg(a, 0, "case_sensitive", Value::fromBool(false)));
            const std::string by = pyStr(arg(a, 1, "by", Value::fromString("key")));
            const bool reverse = in.truthy(arg(a, 2, "reverse", Value::fromBool(false)));
            if (by != "key" && by != "value")
                in.fail("You can only sort by either \"key\" or \"value\"");
            List pairs;
            for (const auto &[k, val] : v.dict->entries)
                pairs.push_back(Value::fromList({Value::fromString(k), val}, true));
            std::vector<std::pair<Value, Value>> keyed;
            for (Value &p : pairs)
                keyed.emplace_back(caseKey((*p.list)[by == "key" ? 0 : 1], cs), p);
            std::stable_sort(keyed.begin(), keyed.end(), [&](const auto &x, const auto &y) {
                return reverse ? in.less(y.first, x.first) : in.less(x.first, y.first);
            });
            List out;
            for (auto &kv : keyed)
                out.push_back(kv.second);
            return Value::fromList(std::move(out));
        };
        t["unique"] = [](Interpreter &in, const Value &v, Args &a) {
            const bool cs = in.truthy(arg(a, 0, "case_sensitive", Value::fromBool(false)));
            Value attribute = arg(a, 1, "attribute", Value::none());
            List out, seen;
            for (const Value &item : in.iterate(v)) {
                Value key = caseKey(attribute.isNone() ? item : attrPath(in, item, attribute), cs);
                bool dup = false;
                for (const Value &s : seen) {
                    in.step();
                    if (in.equals(s, key)) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    seen.push_back(key);
                    out.push_back(item);
                }
            }
            return Value::fromList(std::move(out));
        };
        t["indent"] = [](Interpreter &in, const Value &v, Args &a) {
            Value width = arg(a, 0, "width", Value::fromInt(4));
            const bool first = in.truthy(arg(a, 1, "first", Value::fromBool(false)));
            const bool blank = in.truthy(arg(a, 2, "blank", Value::fromBool(false)));
            std::string ind = width.isString()
                                  ? width.str
                                  : std::string(static_cast<std::size_t>(std::clamp<std::int64_t>(
                                                    width.integer, 0, 1 << 16)),
                                                ' ');
            std::string s = pyStr(v) + "\n";
            std::vector<std::string> lines;
            std::size_t start = 0;
            for (std::size_t i = 0; i < s.size(); ++i)
                if (s[i] == '\n') {
                    lines.push_back(s.substr(start, i - start));
                    start = i + 1;
                }
            std::string rv;
            if (blank) {
                for (std::size_t i = 0; i < lines.size(); ++i)
                    rv += (i ? "\n" + ind : "") + lines[i];
            } else {
                rv = lines.empty() ? "" : lines[0];
                for (std::size_t i = 1; i < lines.size(); ++i) {
                    rv += "\n";
                    if (!lines[i].empty())
                        rv += ind;
                    rv += lines[i];
                    in.checkSize(rv.size());
                }
            }
            if (first)
                rv = ind + rv;
            return Value::fromString(rv);
        };
        t["safe"] = [](Interpreter &, const Value &v, Args &) {
            return v.isString() ? v : Value::fromString(pyStr(v));
        };
        t["e"] = t["escape"] = [](Interpreter &, const Value &v, Args &) {
            return Value::fromString(htmlEscape(pyStr(v)));
        };
        t["reverse"] = [](Interpreter &in, const Value &v, Args &) {
            if (v.isString()) {
                std::vector<std::string> cs = utf8Chars(v.str);
                std::string out;
                for (auto it = cs.rbegin(); it != cs.rend(); ++it)
                    out += *it;
                return Value::fromString(out);
            }
            List items = in.iterate(v);
            std::reverse(items.begin(), items.end());
            return Value::fromList(std::move(items));
        };
        t["sort"] = [](Interpreter &in, const Value &v, Args &a) {
            return sortValues(in, in.iterate(v),
                              in.truthy(arg(a, 0, "reverse", Value::fromBool(false))),
                              in.truthy(arg(a, 1, "case_sensitive", Value::fromBool(false))),
                              arg(a, 2, "attribute", Value::none()));
        };
        t["sum"] = [](Interpreter &in, const Value &v, Args &a) {
            Value attribute = arg(a, 0, "attribute", Value::none());
            Value total = arg(a, 1, "start", Value::fromInt(0));
            for (const Value &item : in.iterate(v))
                total = arithmetic(in, "+", total,
                                   attribute.isNone() ? item : attrPath(in, item, attribute));
            return total;
        };
        auto minmax = [](bool isMax) {
            return [isMax](Interpreter &in, const Value &v, Args &a) {
                const bool cs = in.truthy(arg(a, 0, "case_sensitive", Value::fromBool(false)));
                Value attribute = arg(a, 1, "attribute", Value::none());
                List items = in.iterate(v);
                if (items.empty())
                    return Value::undefined(std::string("No aggregated item, sequence was empty."));
                Value best = items[0];
                Value bestKey =
                    caseKey(attribute.isNone() ? best : attrPath(in, best, attribute), cs);
                for (std::size_t i = 1; i < items.size(); ++i) {
                    Value key = caseKey(
                        attribute.isNone() ? items[i] : attrPath(in, items[i], attribute), cs);
                    if (isMax ? in.less(bestKey, key) : in.less(key, bestKey)) {
                        best = items[i];
                        bestKey = key;
                    }
                }
                return best;
            };
        };
        t["min"] = minmax(false);
        t["max"] = minmax(true);
        t["abs"] = [](Interpreter &in, const Value &v, Args &) {
            if (v.kind == Value::Kind::Float)
                return Value::fromFloat(std::fabs(v.real));
            if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool) {
                const std::int64_t i = v.kind == Value::Kind::Bool ? v.boolean : v.integer;
                if (i == std::numeric_limits<std::int64_t>::min())
                    in.fail("integer overflow in abs");
                return Value::fromInt(i < 0 ? -i : i);
            }
            in.fail("bad operand type for abs(): '" + pyTypeName(v) + "'");
        };
        t["round"] = [](Interpreter &in, const Value &v, Args &a) {
            if (!v.isNumber())
                in.fail("round filter: '" + pyTypeName(v) + "' is not a number");
            Value precision = arg(a, 0, "precision", Value::fromInt(0));
            const std::string methodName = pyStr(arg(a, 1, "method", Value::fromString("common")));
            const std::int64_t p = precision.kind == Value::Kind::Int ? precision.integer : 0;
            if (methodName == "common") {
                if (v.kind != Value::Kind::Float)
                    return v.kind == Value::Kind::Bool ? Value::fromInt(v.boolean) : v;
                // Python's round(): correctly rounded, ties to even, on the exact binary value.
                char buf[512];
                std::snprintf(buf, sizeof buf, "%.*f",
                              static_cast<int>(std::clamp<std::int64_t>(p, 0, 300)), v.real);
                double r = std::strtod(buf, nullptr);
                if (p < 0) {
                    const double scale = std::pow(10.0, static_cast<double>(-p));
                    r = std::nearbyint(v.real / scale) * scale;
                }
                return Value::fromFloat(r);
            }
            const double scale = std::pow(10.0, static_cast<double>(p));
            const double x = toDouble(v) * scale;
            if (methodName == "ceil")
                return Value::fromFloat(std::ceil(x) / scale);
            if (methodName == "floor")
                return Value::fromFloat(std::floor(x) / scale);
            in.fail("method must be common, ceil or floor");
        };
        t["batch"] = [](Interpreter &in, const Value &v, Args &a) {
            Value n = arg(a, 0, "linecount");
            if (n.kind != Value::Kind::Int || n.integer <= 0)
                in.fail("batch filter needs a positive line count");
            Value fill = arg(a, 1, "fill_with", Value::none());
            List out, cur;
            for (const Value &item : in.iterate(v)) {
                cur.push_back(item);
                if (static_cast<std::int64_t>(cur.size()) == n.integer) {
                    out.push_back(Value::fromList(std::move(cur)));
                    cur.clear();
                }
            }
            if (!cur.empty()) {
                if (!fill.isNone())
                    while (static_cast<std::int64_t>(cur.size()) < n.integer) {
                        in.step();
                        cur.push_back(fill);
                    }
                out.push_back(Value::fromList(std::move(cur)));
            }
            return Value::fromList(std::move(out));
        };
        t["wordcount"] = [](Interpreter &, const Value &v, Args &) {
            const std::string s = pyStr(v);
            std::int64_t n = 0;
            bool in = false;
            for (const std::string &ch : utf8Chars(s)) {
                const bool word = isWordChar(ch);
                if (word && !in)
                    ++n;
                in = word;
            }
            return Value::fromInt(n);
        };
        t["attr"] = [](Interpreter &in, const Value &v, Args &a) {
            return in.getAttr(v, pyStr(arg(a, 0, "name")));
        };
        t["center"] = [](Interpreter &, const Value &v, Args &a) {
            std::string s = pyStr(v);
            Value w = arg(a, 0, "width", Value::fromInt(80));
            const std::int64_t width = std::min<std::int64_t>(w.integer, 1 << 16);
            const auto len = static_cast<std::int64_t>(utf8Length(s));
            if (width <= len)
                return Value::fromString(s);
            const std::int64_t pad = width - len;
            const std::int64_t left = pad / 2 + (pad & width & 1);
            return Value::fromString(std::string(static_cast<std::size_t>(left), ' ') + s +
                                     std::string(static_cast<std::size_t>(pad - left), ' '));
        };
        return t;
    }();
    return table;
}

const std::unordered_map<std::string, TestFn> &tests()
{
    static const std::unordered_map<std::string, TestFn> table = [] {
        std::unordered_map<std::string, TestFn> t;
        t["defined"] = [](Interpreter &, const Value &v, Args &) { return !v.isUndefined(); };
        t["undefined"] = [](Interpreter &, const Value &v, Args &) { return v.isUndefined(); };
        t["none"] = [](Interpreter &, const Value &v, Args &) { return v.isNone(); };
        t["boolean"] = [](Interpreter &, const Value &v, Args &) {
            return v.kind == Value::Kind::Bool;
        };
        t["true"] = [](Interpreter &, const Value &v, Args &) {
            return v.kind == Value::Kind::Bool && v.boolean;
        };
        t["false"] = [](Interpreter &, const Value &v, Args &) {
            return v.kind == Value::Kind::Bool && !v.boolean;
        };
        t["integer"] = [](Interpreter &, const Value &v, Args &) {
            return v.kind == Value::Kind::Int;
        };
        t["float"] = [](Interpreter &, const Value &v, Args &) {
            return v.kind == Value::Kind::Float;
        };
        t["number"] = [](Interpreter &, const Value &v, Args &) { return v.isNumber(); };
        t["string"] = [](Interpreter &, const Value &v, Args &) { return v.isString(); };
        t["mapping"] = [](Interpreter &, const Value &v, Args &) {
            return v.isDict() && !v.dict->attributeAccess;
        };
        t["iterable"] = [](Interpreter &, const Value &v, Args &) {
            return v.isString() || v.isList() || v.isDict() || v.isUndefined();
        };
        t["sequence"] = [](Interpreter &, const Value &v, Args &) {
            return v.isString() || v.isList() || (v.isDict() && !v.dict->attributeAccess);
        };
        t["callable"] = [](Interpreter &, const Value &v, Args &) { return v.isCallable(); };
        t["odd"] = [](Interpreter &in, const Value &v, Args &) {
            if (v.kind != Value::Kind::Int)
                in.fail("odd test needs an integer");
            return (v.integer % 2) != 0;
        };
        t["even"] = [](Interpreter &in, const Value &v, Args &) {
            if (v.kind != Value::Kind::Int)
                in.fail("even test needs an integer");
            return (v.integer % 2) == 0;
        };
        t["divisibleby"] = [](Interpreter &in, const Value &v, Args &a) {
            Value n = arg(a, 0, "num");
            if (v.kind != Value::Kind::Int || n.kind != Value::Kind::Int)
                in.fail("divisibleby test needs integers");
            if (n.integer == 0)
                in.fail("integer division or modulo by zero");
            return n.integer == -1 || v.integer % n.integer == 0;
        };
        t["lower"] = [](Interpreter &, const Value &v, Args &) {
            return v.isString() && lowerAscii(v.str) == v.str;
        };
        t["upper"] = [](Interpreter &, const Value &v, Args &) {
            return v.isString() && upperAscii(v.str) == v.str;
        };
        t["in"] = [](Interpreter &in, const Value &v, Args &a) {
            return contains(in, arg(a, 0, "seq"), v);
        };
        t["eq"] = t["equalto"] = t["=="] = [](Interpreter &in, const Value &v, Args &a) {
            return in.equals(v, arg(a, 0, "other"));
        };
        t["ne"] = t["!="] = [](Interpreter &in, const Value &v, Args &a) {
            return !in.equals(v, arg(a, 0, "other"));
        };
        t["lt"] = t["lessthan"] = t["<"] = [](Interpreter &in, const Value &v, Args &a) {
            return in.less(v, arg(a, 0, "other"));
        };
        t["gt"] = t["greaterthan"] = t[">"] = [](Interpreter &in, const Value &v, Args &a) {
            return in.less(arg(a, 0, "other"), v);
        };
        t["le"] = t["<="] = [](Interpreter &in, const Value &v, Args &a) {
            return !in.less(arg(a, 0, "other"), v);
        };
        t["ge"] = t[">="] = [](Interpreter &in, const Value &v, Args &a) {
            return !in.less(v, arg(a, 0, "other"));
        };
        t["sameas"] = [](Interpreter &in, const Value &v, Args &a) {
            Value o = arg(a, 0, "other");
            if (v.kind != o.kind)
                return false;
            if (v.isList())
                return v.list == o.list;
            if (v.isDict())
                return v.dict == o.dict;
            return in.equals(v, o) && (v.isNone() || v.kind == Value::Kind::Bool);
        };
        t["escaped"] = [](Interpreter &, const Value &, Args &) { return false; };
        t["filter"] = [](Interpreter &, const Value &v, Args &) {
            return v.isString() && filters().count(v.str) > 0;
        };
        return t;
    }();
    return table;
}

} // namespace

Value Interpreter::applyFilter(const std::string &name, const Value &operand, CallArgs &args)
{
    const auto &table = filters();
    auto it = table.find(name);
    if (it == table.end())
        fail("No filter named '" + name + "'.");
    // Filters that print or measure their operand raise Jinja's UndefinedError on misuse only
    // where jinja2 does; default/length/list handle undefined themselves.
    return it->second(*this, operand, args);
}

bool Interpreter::applyTest(const std::string &name, const Value &operand, CallArgs &args)
{
    const auto &table = tests();
    auto it = table.find(name);
    if (it == table.end()) {
        if (name == "test")
            return operand.isString() && table.count(operand.str) > 0;
        fail("No test named '" + name + "'.");
    }
    return it->second(*this, operand, args);
}

} // namespace engine::jinja::detail
