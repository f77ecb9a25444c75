#pragma once

// The interpreter's value model: Python's object kinds as far as chat templates see them.
// Lists and dicts are shared (Python reference semantics), so namespace() updates and
// list.append() are visible through every name bound to them.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace engine::jinja::detail {

struct Value;
struct Dict;
struct Callable;
class Interpreter;

using List = std::vector<Value>;

struct Value
{
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Callable };
    Kind kind = Kind::Undefined;
    bool boolean = false;
    bool tuple = false; //!< a list that prints as a Python tuple
    std::int64_t integer = 0;
    double real = 0.0;
    std::string str; //!< String payload, or for Undefined the hint used in its error message
    std::shared_ptr<List> list;
    std::shared_ptr<Dict> dict;
    std::shared_ptr<Callable> fn;

    static Value undefined(std::string hint = {})
    {
        Value v;
        v.str = std::move(hint);
        return v;
    }
    static Value none()
    {
        Value v;
        v.kind = Kind::None;
        return v;
    }
    static Value fromBool(bool b)
    {
        Value v;
        v.kind = Kind::Bool;
        v.boolean = b;
        return v;
    }
    static Value fromInt(std::int64_t i)
    {
        Value v;
        v.kind = Kind::Int;
        v.integer = i;
        return v;
    }
    static Value fromFloat(double d)
    {
        Value v;
        v.kind = Kind::Float;
        v.real = d;
        return v;
    }
    static Value fromString(std::string s)
    {
        Value v;
        v.kind = Kind::String;
        v.str = std::move(s);
        return v;
    }
    static Value fromList(List items, bool isTuple = false)
    {
        Value v;
        v.kind = Kind::List;
        v.tuple = isTuple;
        v.list = std::make_shared<List>(std::move(items));
        return v;
    }
    static Value newDict(bool attributeAccess = false);
    static Value fromCallable(std::string name,
                              std::function<Value(Interpreter &, struct CallArgs &)> fn);
    static Value fromJson(const nlohmann::ordered_json &j);

    bool isUndefined() const { return kind == Kind::Undefined; }
    bool isNone() const { return kind == Kind::None; }
    bool isString() const { return kind == Kind::String; }
    bool isNumber() const { return kind == Kind::Int || kind == Kind::Float || kind == Kind::Bool; }
    bool isList() const { return kind == Kind::List; }
    bool isDict() const { return kind == Kind::Dict; }
    bool isCallable() const { return kind == Kind::Callable; }
};

//! An insertion-ordered str-keyed mapping (Python dicts keep insertion order).
struct Dict
{
    std::vector<std::pair<std::string, Value>> entries;
    std::unordered_map<std::string, std::size_t> index;
    bool attributeAccess = false; //!< namespace() and loop: attributes are the keys

    const Value *find(const std::string &key) const
    {
        auto it = index.find(key);
        return it == index.end() ? nullptr : &entries[it->second].second;
    }
    void set(const std::string &key, Value v)
    {
        auto it = index.find(key);
        if (it != index.end()) {
            entries[it->second].second = std::move(v);
            return;
        }
        index.emplace(key, entries.size());
        entries.emplace_back(key, std::move(v));
    }
};

//! Arguments of a call: positional, then keyword in source order.
struct CallArgs
{
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
};

struct Callable
{
    std::string name;
    std::function<Value(Interpreter &, CallArgs &)> fn;
};

inline Value Value::newDict(bool attributeAccess)
{
    Value v;
    v.kind = Kind::Dict;
    v.dict = std::make_shared<Dict>();
    v.dict->attributeAccess = attributeAccess;
    return v;
}

inline Value Value::fromCallable(std::string name,
                                 std::function<Value(Interpreter &, CallArgs &)> fn)
{
    Value v;
    v.kind = Kind::Callable;
    v.fn = std::make_shared<Callable>(Callable{std::move(name), std::move(fn)});
    return v;
}

inline Value Value::fromJson(const nlohmann::ordered_json &j)
{
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null:
        return none();
    case nlohmann::ordered_json::value_t::boolean:
        return fromBool(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
        return fromInt(j.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned:
        return fromInt(static_cast<std::int64_t>(j.get<std::uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float:
        return fromFloat(j.get<double>());
    case nlohmann::ordered_json::value_t::string:
        return fromString(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        List items;
        items.reserve(j.size());
        for (const auto &e : j)
            items.push_back(fromJson(e));
        return fromList(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        Value d = newDict();
        for (auto it = j.begin(); it != j.end(); ++it)
            d.dict->set(it.key(), fromJson(it.value()));
        return d;
    }
    default:
        return none();
    }
}

} // namespace engine::jinja::detail
