#pragma once

// Python's textual forms of values: str(), repr() and json.dumps(), which chat templates'
// output depends on byte for byte.

#include <engine/jinja/value.h>

#include <optional>
#include <string>

namespace engine::jinja::detail {

//! repr(float) / str(float): shortest round-trip digits, Python's fixed/scientific switch.
std::string pyFloatRepr(double d);
//! str(value) as Jinja prints it ({{ x }}): Undefined prints nothing.
std::string pyStr(const Value &v);
//! repr(value): strings quoted, lists/dicts/tuples in Python syntax.
std::string pyRepr(const Value &v);
//! Python type name for error messages ('str', 'int', 'dict', ...).
std::string pyTypeName(const Value &v);

struct JsonOptions
{
    std::optional<std::string> indent; //!< nullopt: single line
    std::string itemSeparator = ", ";
    std::string keySeparator = ": ";
    bool sortKeys = false;
};
//! json.dumps(value, ensure_ascii=False, ...); returns false (and a message) for a value JSON
//! cannot hold (undefined, a function).
bool pyJsonDumps(const Value &v, const JsonOptions &opt, std::string &out, std::string &error);

} // namespace engine::jinja::detail
