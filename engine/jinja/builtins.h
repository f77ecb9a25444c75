#pragma once

// Jinja's built-in filters, tests and globals, Python's operators and the str/dict/list
// methods templates call; all implemented against the Interpreter's value model.

#include <engine/jinja/value.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace engine::jinja::detail {

class Interpreter;

//! The UTF-8 characters of `s` (one string per code point; stray bytes stand alone).
std::vector<std::string> utf8Chars(const std::string &s);
std::size_t utf8Length(const std::string &s);
//! Python's str.upper()/lower() for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
//! (the scripts chat content commonly uses); other characters are left as they are.
std::string unicodeUpper(const std::string &s);
std::string unicodeLower(const std::string &s);
//! Whether the character (one UTF-8 sequence) matches Python's regex \w, approximately:
//! letters and digits of any script, not punctuation, symbols or emoji.
bool isWordChar(const std::string &ch);
//! Whether the character has case (Python's "cased"), for str.title().
bool isCasedChar(const std::string &ch);

//! obj.name as a bound method (str/dict/list methods), or Undefined when there is none.
Value boundMethod(Interpreter &in, const Value &obj, const std::string &name);
//! obj[start:stop:step] for lists, tuples and strings (None = omitted).
Value sliceValue(Interpreter &in, const Value &obj, const Value &start, const Value &stop,
                 const Value &step);
//! Python's `needle in haystack`.
bool contains(Interpreter &in, const Value &haystack, const Value &needle);
//! + - * / // % ** with Python semantics.
Value arithmetic(Interpreter &in, const std::string &op, const Value &a, const Value &b);
//! range, dict, namespace, raise_exception, strftime_now, cycler, joiner.
void installGlobals(Interpreter &in, std::unordered_map<std::string, Value> &vars);

} // namespace engine::jinja::detail
