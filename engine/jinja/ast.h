#pragma once

// The parsed template: one Node type for expressions and statements, kept deliberately
// uniform so the evaluator is a single switch. Positions are 1-based line and column.

#include <engine/jinja/value.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace engine::jinja::detail {

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node
{
    enum class Kind {
        // expressions
        Literal,  // lit
        Name,     // str
        ListLit,  // kids
        TupleLit, // kids
        DictLit,  // kids: key, value, key, value...
        GetAttr,  // kids[0] . str
        GetItem,  // kids[0] [ kids[1] ]
        Slice,    // kids[0..2] start, stop, step (each may be null)
        Call,     // kids[0] callee, kids[1..] args, kwargs
        Filter,   // str name, kids[0] operand (null in a filter block), kids[1..] args, kwargs
        Test,     // str name, kids[0] operand, kids[1..] args, flag = negated
        Unary,    // str op (-, +, not), kids[0]
        Binary,   // str op, kids[0], kids[1]
        CondExpr, // kids: test, then, else (may be null)
        // statements
        Body,        // kids
        Text,        // str
        Output,      // kids[0]
        If,          // kids: test, then body, else body (may be null)
        For,         // names (targets), flag = unpack; kids: iter, body, else, filter
        Set,         // names (targets), flag = unpack, str = namespace attr (names[0] is ns)
        SetBlock,    // names[0]; kids: body, filter (may be null)
        Macro,       // str name, names params; kids: body, defaults...(null = none)
        CallBlock,   // kids: call, body; names = caller params; kids[2..] defaults
        FilterBlock, // kids: filter chain (innermost operand null), body
        Break,
        Continue,
    };
    Kind kind;
    int line = 0;
    int col = 0;
    std::string str;
    Value lit;
    bool flag = false;
    bool recursive = false;
    std::vector<std::string> names;
    std::vector<NodePtr> kids;
    std::vector<std::pair<std::string, NodePtr>> kwargs;

    Node(Kind k, int l, int c) : kind(k), line(l), col(c) {}
};

struct TemplateError
{
    std::string message;
    int line = 0;
    int col = 0;
};

//! Parses Jinja source (after newline normalisation) into a Body node; throws TemplateError.
NodePtr parseTemplate(const std::string &source);

//! Python's source normalisation: universal newlines, one trailing newline dropped.
std::string normalizeSource(std::string_view source);

} // namespace engine::jinja::detail
