#include <engine/jinja/pyformat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace engine::jinja::detail {

std::string pyFloatRepr(double d)
{
    if (std::isnan(d))
        return "nan";
    if (std::isinf(d))
        return d < 0 ? "-inf" : "inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string s(buf, res.ptr);
    std::string sign;
    if (!s.empty() && s[0] == '-') {
        sign = "-";
        s.erase(0, 1);
    }
    const std::size_t e = s.find('e');
    const int exp = std::stoi(s.substr(e + 1));
    std::string digits = s.substr(0, e);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    if (exp >= -4 && exp < 16) {
        std::string out;
        if (exp >= 0) {
            std::string intPart = digits.substr(0, std::min<std::size_t>(digits.size(), exp + 1));
            while (intPart.size() < static_cast<std::size_t>(exp + 1))
                intPart += '0';
            std::string frac =
                digits.size() > static_cast<std::size_t>(exp + 1) ? digits.substr(exp + 1) : "0";
            out = intPart + "." + frac;
        } else {
            out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
        }
        return sign + out;
    }
    std::string out = digits.substr(0, 1);
    if (digits.size() > 1)
        out += "." + digits.substr(1);
    char e2[16];
    std::snprintf(e2, sizeof e2, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return sign + out + e2;
}

std::string pyTypeName(const Value &v)
{
    switch (v.kind) {
    case Value::Kind::Undefined:
        return "Undefined";
    case Value::Kind::None:
        return "NoneType";
    case Value::Kind::Bool:
        return "bool";
    case Value::Kind::Int:
        return "int";
    case Value::Kind::Float:
        return "float";
    case Value::Kind::String:
        return "str";
    case Value::Kind::List:
        return v.tuple ? "tuple" : "list";
    case Value::Kind::Dict:
        return v.dict->attributeAccess ? "Namespace" : "dict";
    case Value::Kind::Callable:
        return "function";
    }
    return "object";
}

namespace {

std::string reprString(const std::string &s)
{
    const bool hasSingle = s.find('\'') != std::string::npos;
    const bool hasDouble = s.find('"') != std::string::npos;
    const char q = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, q);
    for (unsigned char c : s) {
        if (c == q || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            out += b;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += q;
    return out;
}

void jsonString(const std::string &s, std::string &out)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                out += b;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

bool dumps(const Value &v, const JsonOptions &opt, int depth, std::string &out, std::string &error)
{
    if (depth > 500) {
        error = "tojson: value nested too deeply";
        return false;
    }
    auto newline = [&](int level) {
        if (!opt.indent)
            return;
        out += '\n';
        for (int i = 0; i < level; ++i)
            out += *opt.indent;
    };
    switch (v.kind) {
    case Value::Kind::None:
        out += "null";
        return true;
    case Value::Kind::Bool:
        out += v.boolean ? "true" : "false";
        return true;
    case Value::Kind::Int:
        out += std::to_string(v.integer);
        return true;
    case Value::Kind::Float:
        if (std::isnan(v.real))
            out += "NaN";
        else if (std::isinf(v.real))
            out += v.real < 0 ? "-Infinity" : "Infinity";
        else
            out += pyFloatRepr(v.real);
        return true;
    case Value::Kind::String:
        jsonString(v.str, out);
        return true;
    case Value::Kind::List: {
        if (v.list->empty()) {
            out += "[]";
            return true;
        }
        out += '[';
        bool first = true;
        for (const Value &e : *v.list) {
            if (!first)
                out += opt.itemSeparator;
            first = false;
            newline(depth + 1);
            if (!dumps(e, opt, depth + 1, out, error))
                return false;
        }
        newline(depth);
        out += ']';
        return true;
    }
    case Value::Kind::Dict: {
        if (v.dict->entries.empty()) {
            out += "{}";
            return true;
        }
        std::vector<const std::pair<std::string, Value> *> items;
        for (const auto &e : v.dict->entries)
            items.push_back(&e);
        if (opt.sortKeys)
            std::stable_sort(items.begin(), items.end(),
                             [](auto *a, auto *b) { return a->first < b->first; });
        out += '{';
        bool first = true;
        for (const auto *e : items) {
            if (!first)
                out += opt.itemSeparator;
            first = false;
            newline(depth + 1);
            jsonString(e->first, out);
            out += opt.keySeparator;
            if (!dumps(e->second, opt, depth + 1, out, error))
                return false;
        }
        newline(depth);
        out += '}';
        return true;
    }
    default:
        error = "Object of type " + pyTypeName(v) + " is not JSON serializable";
        return false;
    }
}

} // namespace

bool pyJsonDumps(const Value &v, const JsonOptions &opt, std::string &out, std::string &error)
{
    return dumps(v, opt, 0, out, error);
}

std::string pyRepr(const Value &v)
{
    switch (v.kind) {
    case Value::Kind::String:
        return reprString(v.str);
    case Value::Kind::Undefined:
        return "Undefined";
    case Value::Kind::List: {
        std::string out = v.tuple ? "(" : "[";
        for (std::size_t i = 0; i < v.list->size(); ++i) {
            if (i)
                out += ", ";
            out += pyRepr((*v.list)[i]);
        }
        if (v.tuple && v.list->size() == 1)
            out += ",";
        out += v.tuple ? ")" : "]";
        return out;
    }
    case Value::Kind::Dict: {
        std::string out = v.dict->attributeAccess ? "<Namespace {" : "{";
        bool first = true;
        for (const auto &[k, val] : v.dict->entries) {
            if (!first)
                out += ", ";
            first = false;
            out += reprString(k) + ": " + pyRepr(val);
        }
        out += v.dict->attributeAccess ? "}>" : "}";
        return out;
    }
    default:
        return pyStr(v);
    }
}

std::string pyStr(const Value &v)
{
    switch (v.kind) {
    case Value::Kind::Undefined:
        return "";
    case Value::Kind::None:
        return "None";
    case Value::Kind::Bool:
        return v.boolean ? "True" : "False";
    case Value::Kind::Int:
        return std::to_string(v.integer);
    case Value::Kind::Float:
        return pyFloatRepr(v.real);
    case Value::Kind::String:
        return v.str;
    case Value::Kind::Callable:
        return "<function " + v.fn->name + ">";
    default:
        return pyRepr(v);
    }
}

} // namespace engine::jinja::detail
