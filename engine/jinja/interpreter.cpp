#include <engine/jinja/interpreter.h>

#include <engine/jinja/builtins.h>
#include <engine/jinja/pyformat.h>

#include <cmath>
#include <limits>

namespace engine::jinja::detail {

namespace {
constexpr int kMaxCallDepth = 100; // macro / recursive-loop nesting
} // namespace

Interpreter::Interpreter(const RenderLimits &limits, std::optional<std::time_t> fixedTime)
    : m_limits(limits), m_fixedTime(fixedTime)
{}

void Interpreter::fail(const std::string &message) const
{
    throw TemplateError{message, m_line, m_col};
}

void Interpreter::step()
{
    if (++m_steps > m_limits.maxSteps)
        fail("template exceeded the step limit (" + std::to_string(m_limits.maxSteps) +
             " evaluation steps)");
}

void Interpreter::checkSize(std::size_t bytes) const
{
    if (bytes > m_limits.maxOutputBytes)
        fail("template output exceeds the limit of " + std::to_string(m_limits.maxOutputBytes) +
             " bytes");
}

void Interpreter::emit(std::string &out, const std::string &s) const
{
    checkSize(out.size() + s.size());
    out += s;
}

void Interpreter::requireDefined(const Value &v) const
{
    if (v.isUndefined())
        fail(v.str.empty() ? "value is undefined" : v.str);
}

bool Interpreter::truthy(const Value &v) const
{
    switch (v.kind) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return false;
    case Value::Kind::Bool:
        return v.boolean;
    case Value::Kind::Int:
        return v.integer != 0;
    case Value::Kind::Float:
        return v.real != 0.0;
    case Value::Kind::String:
        return !v.str.empty();
    case Value::Kind::List:
        return !v.list->empty();
    case Value::Kind::Dict:
        return v.dict->attributeAccess || !v.dict->entries.empty();
    case Value::Kind::Callable:
        return true;
    }
    return false;
}

namespace {
double asDouble(const Value &v)
{
    if (v.kind == Value::Kind::Float)
        return v.real;
    if (v.kind == Value::Kind::Bool)
        return v.boolean ? 1.0 : 0.0;
    return static_cast<double>(v.integer);
}
std::int64_t asInt(const Value &v)
{
    return v.kind == Value::Kind::Bool ? (v.boolean ? 1 : 0) : v.integer;
}
bool isIntLike(const Value &v)
{
    return v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool;
}
} // namespace

bool Interpreter::equals(const Value &a, const Value &b) const
{
    if (a.isNumber() && b.isNumber()) {
        if (isIntLike(a) && isIntLike(b))
            return asInt(a) == asInt(b);
        return asDouble(a) == asDouble(b);
    }
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return true;
    case Value::Kind::String:
        return a.str == b.str;
    case Value::Kind::List:
        if (a.tuple != b.tuple || a.list->size() != b.list->size())
            return false;
        for (std::size_t i = 0; i < a.list->size(); ++i)
            if (!equals((*a.list)[i], (*b.list)[i]))
                return false;
        return true;
    case Value::Kind::Dict:
        if (a.dict == b.dict)
            return true;
        if (a.dict->attributeAccess || b.dict->attributeAccess ||
            a.dict->entries.size() != b.dict->entries.size())
            return false;
        for (const auto &[k, v] : a.dict->entries) {
            const Value *o = b.dict->find(k);
            if (!o || !equals(v, *o))
                return false;
        }
        return true;
    case Value::Kind::Callable:
        return a.fn == b.fn;
    default:
        return false;
    }
}

bool Interpreter::less(const Value &a, const Value &b) const
{
    requireDefined(a);
    requireDefined(b);
    if (a.isNumber() && b.isNumber()) {
        if (isIntLike(a) && isIntLike(b))
            return asInt(a) < asInt(b);
        return asDouble(a) < asDouble(b);
    }
    if (a.isString() && b.isString())
        return a.str < b.str;
    if (a.isList() && b.isList() && a.tuple == b.tuple) {
        const std::size_t n = std::min(a.list->size(), b.list->size());
        for (std::size_t i = 0; i < n; ++i) {
            if (!equals((*a.list)[i], (*b.list)[i]))
                return less((*a.list)[i], (*b.list)[i]);
        }
        return a.list->size() < b.list->size();
    }
    fail("'<' not supported between instances of '" + pyTypeName(a) + "' and '" + pyTypeName(b) +
         "'");
}

List Interpreter::iterate(const Value &v)
{
    switch (v.kind) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::List:
        return *v.list;
    case Value::Kind::Dict: {
        List keys;
        for (const auto &e : v.dict->entries)
            keys.push_back(Value::fromString(e.first));
        return keys;
    }
    case Value::Kind::String: {
        List chars;
        for (const std::string &c : utf8Chars(v.str))
            chars.push_back(Value::fromString(c));
        return chars;
    }
    default:
        fail("'" + pyTypeName(v) + "' object is not iterable");
    }
}

std::int64_t Interpreter::length(const Value &v)
{
    switch (v.kind) {
    case Value::Kind::Undefined:
        return 0;
    case Value::Kind::String:
        return static_cast<std::int64_t>(utf8Length(v.str));
    case Value::Kind::List:
        return static_cast<std::int64_t>(v.list->size());
    case Value::Kind::Dict:
        return static_cast<std::int64_t>(v.dict->entries.size());
    default:
        fail("object of type '" + pyTypeName(v) + "' has no len()");
    }
}

Value Interpreter::getAttr(const Value &obj, const std::string &name)
{
    if (obj.isUndefined())
        requireDefined(obj);
    if (obj.isDict()) {
        if (obj.dict->attributeAccess) {
            if (const Value *v = obj.dict->find(name))
                return *v;
            return Value::undefined("'" + pyTypeName(obj) + " object' has no attribute '" + name +
                                    "'");
        }
        Value method = boundMethod(*this, obj, name);
        if (!method.isUndefined())
            return method;
        if (const Value *v = obj.dict->find(name))
            return *v;
        return Value::undefined("'dict object' has no attribute '" + name + "'");
    }
    Value method = boundMethod(*this, obj, name);
    if (!method.isUndefined())
        return method;
    return Value::undefined("'" + pyTypeName(obj) + " object' has no attribute '" + name + "'");
}

Value Interpreter::getItem(const Value &obj, const Value &key)
{
    requireDefined(obj);
    if (obj.isDict()) {
        if (key.isString()) {
            if (const Value *v = obj.dict->find(key.str))
                return *v;
            if (!obj.dict->attributeAccess) {
                Value method = boundMethod(*this, obj, key.str);
                if (!method.isUndefined())
                    return method;
            }
            return Value::undefined("'dict object' has no attribute '" + key.str + "'");
        }
        return Value::undefined("'dict object' has no attribute " + pyRepr(key));
    }
    if (obj.isList() || obj.isString()) {
        if (!isIntLike(key)) {
            if (key.isString())
                return getAttr(obj, key.str);
            return Value::undefined("'" + pyTypeName(obj) + " object' has no attribute " +
                                    pyRepr(key));
        }
        std::int64_t i = asInt(key);
        if (obj.isList()) {
            const auto n = static_cast<std::int64_t>(obj.list->size());
            if (i < 0)
                i += n;
            if (i < 0 || i >= n)
                return Value::undefined("'" + pyTypeName(obj) + " object' has no element " +
                                        std::to_string(asInt(key)));
            return (*obj.list)[static_cast<std::size_t>(i)];
        }
        const std::vector<std::string> chars = utf8Chars(obj.str);
        const auto n = static_cast<std::int64_t>(chars.size());
        if (i < 0)
            i += n;
        if (i < 0 || i >= n)
            return Value::undefined("'str object' has no element " + std::to_string(asInt(key)));
        return Value::fromString(chars[static_cast<std::size_t>(i)]);
    }
    return Value::undefined("'" + pyTypeName(obj) + " object' has no attribute " + pyRepr(key));
}

bool Interpreter::reaches(const Value &v, const void *target, int depth)
{
    // Values only form cycles through list.append and namespace attributes; refusing those
    // keeps every value a tree, so shared_ptr frees it all and printing terminates.
    if (depth > 1000)
        fail("value nested too deeply");
    if (v.isList()) {
        if (v.list.get() == target)
            return true;
        for (const Value &e : *v.list) {
            step();
            if (reaches(e, target, depth + 1))
                return true;
        }
    } else if (v.isDict()) {
        if (v.dict.get() == target)
            return true;
        for (const auto &e : v.dict->entries) {
            step();
            if (reaches(e.second, target, depth + 1))
                return true;
        }
    }
    return false;
}

Value Interpreter::call(const Value &callee, CallArgs &args)
{
    requireDefined(callee);
    if (callee.isCallable())
        return callee.fn->fn(*this, args);
    if (callee.isDict() && callee.dict->attributeAccess) {
        if (const Value *c = callee.dict->find("__call__"); c && c->isCallable())
            return c->fn->fn(*this, args);
    }
    fail("'" + pyTypeName(callee) + "' object is not callable");
}

std::string Interpreter::render(const Node &root, const Value &context)
{
    auto globals = std::make_shared<Scope>();
    installGlobals(*this, globals->vars);
    if (context.isDict())
        for (const auto &[k, v] : context.dict->entries)
            globals->vars[k] = v;
    auto scope = std::make_shared<Scope>();
    scope->parent = globals;
    std::string out;
    execBody(root, scope, out);
    return out;
}

Interpreter::Flow Interpreter::execBody(const Node &n, const ScopePtr &scope, std::string &out)
{
    for (const NodePtr &k : n.kids) {
        Flow f = exec(*k, scope, out);
        if (f != Flow::Normal)
            return f;
    }
    return Flow::Normal;
}

void Interpreter::assign(const Node &n, const ScopePtr &scope, Value v)
{
    if (!n.flag) {
        scope->vars[n.names[0]] = std::move(v);
        return;
    }
    List items = iterate(v);
    if (items.size() != n.names.size())
        fail("cannot unpack " + std::to_string(items.size()) + " values into " +
             std::to_string(n.names.size()) + " names");
    for (std::size_t i = 0; i < items.size(); ++i)
        scope->vars[n.names[i]] = items[i];
}

Interpreter::Flow Interpreter::exec(const Node &n, const ScopePtr &scope, std::string &out)
{
    step();
    setPos(n);
    switch (n.kind) {
    case Node::Kind::Body:
        return execBody(n, scope, out);
    case Node::Kind::Text:
        emit(out, n.str);
        return Flow::Normal;
    case Node::Kind::Output: {
        Value v = eval(*n.kids[0], scope);
        emit(out, pyStr(v));
        return Flow::Normal;
    }
    case Node::Kind::If:
        if (truthy(eval(*n.kids[0], scope)))
            return execBody(*n.kids[1], scope, out);
        if (n.kids[2])
            return execBody(*n.kids[2], scope, out);
        return Flow::Normal;
    case Node::Kind::For:
        return execFor(n, scope, out);
    case Node::Kind::Set: {
        Value v = eval(*n.kids[0], scope);
        setPos(n);
        if (!n.str.empty()) {
            const Value *ns = scope->lookup(n.names[0]);
            if (!ns || !ns->isDict() || !ns->dict->attributeAccess)
                fail("cannot assign attribute on non-namespace object '" + n.names[0] + "'");
            if (reaches(v, ns->dict.get()))
                fail("cannot store a namespace inside itself");
            ns->dict->set(n.str, std::move(v));
            return Flow::Normal;
        }
        assign(n, scope, std::move(v));
        return Flow::Normal;
    }
    case Node::Kind::SetBlock: {
        std::string body;
        execBody(*n.kids[0], scope, body);
        Value v = Value::fromString(std::move(body));
        if (n.kids[1]) {
            // The chain's innermost operand is null: evaluate it with the body bound.
            auto inner = std::make_shared<Scope>();
            inner->parent = scope;
            inner->vars["\x01body"] = v;
            v = eval(*n.kids[1], inner);
        }
        scope->vars[n.names[0]] = std::move(v);
        return Flow::Normal;
    }
    case Node::Kind::FilterBlock: {
        std::string body;
        execBody(*n.kids[1], scope, body);
        auto inner = std::make_shared<Scope>();
        inner->parent = scope;
        inner->vars["\x01body"] = Value::fromString(std::move(body));
        emit(out, pyStr(eval(*n.kids[0], inner)));
        return Flow::Normal;
    }
    case Node::Kind::Macro:
        scope->vars[n.str] = makeMacro(n, scope);
        return Flow::Normal;
    case Node::Kind::CallBlock: {
        // `caller` is a macro whose body is the call block's body.
        Value caller = makeMacro(n, scope);
        const Node &callNode = *n.kids[0];
        Value callee = eval(*callNode.kids[0], scope);
        CallArgs args;
        evalArgs(callNode, 1, scope, args);
        args.keyword.emplace_back("caller", caller);
        setPos(n);
        emit(out, pyStr(call(callee, args)));
        return Flow::Normal;
    }
    case Node::Kind::Break:
        return Flow::Break;
    case Node::Kind::Continue:
        return Flow::Continue;
    default:
        emit(out, pyStr(eval(n, scope)));
        return Flow::Normal;
    }
}

Value Interpreter::makeMacro(const Node &n, const ScopePtr &scope)
{
    const Node *node = &n;
    // Weak: the macro is usually stored in the scope it closes over, and a strong reference
    // would make that a reference cycle that is never freed.
    std::weak_ptr<Scope> closureRef = scope;
    const bool isCallBlock = n.kind == Node::Kind::CallBlock;
    const std::size_t firstDefault = isCallBlock ? 2 : 1;
    const Node *body = isCallBlock ? n.kids[1].get() : n.kids[0].get();
    const std::string name = isCallBlock ? "caller" : n.str;
    return Value::fromCallable(
        name,
        [node, closureRef, firstDefault, body, name](Interpreter &in, CallArgs &args) -> Value {
            ScopePtr closure = closureRef.lock();
            if (!closure)
                in.fail("macro '" + name + "' was called after the block that defined it ended");
            if (in.m_callDepth >= kMaxCallDepth)
                in.fail("maximum recursion depth exceeded (" + std::to_string(kMaxCallDepth) +
                        " nested macro calls)");
            auto local = std::make_shared<Scope>();
            local->parent = closure;
            const auto &params = node->names;
            List varargs;
            for (std::size_t i = 0; i < args.positional.size(); ++i) {
                if (i < params.size())
                    local->vars[params[i]] = args.positional[i];
                else
                    varargs.push_back(args.positional[i]);
            }
            Value kwargs = Value::newDict();
            for (auto &[k, v] : args.keyword) {
                if (std::find(params.begin(), params.end(), k) != params.end())
                    local->vars[k] = v;
                else if (k == "caller")
                    local->vars["caller"] = v;
                else
                    kwargs.dict->set(k, v);
            }
            for (std::size_t i = 0; i < params.size(); ++i) {
                if (local->vars.count(params[i]))
                    continue;
                const std::size_t d = firstDefault + i;
                if (d < node->kids.size() && node->kids[d])
                    local->vars[params[i]] = in.eval(*node->kids[d], local);
                else
                    local->vars[params[i]] =
                        Value::undefined("parameter '" + params[i] + "' was not provided");
            }
            local->vars["varargs"] = Value::fromList(std::move(varargs));
            local->vars["kwargs"] = kwargs;
            ++in.m_callDepth;
            std::string out;
            try {
                in.execBody(*body, local, out);
            } catch (...) {
                --in.m_callDepth;
                throw;
            }
            --in.m_callDepth;
            return Value::fromString(std::move(out));
        });
}

Interpreter::Flow Interpreter::execFor(const Node &n, const ScopePtr &scope, std::string &out)
{
    Value iterable = eval(*n.kids[0], scope);
    setPos(n);
    if (iterable.isNone() || iterable.isNumber() || iterable.isCallable())
        fail("'" + pyTypeName(iterable) + "' object is not iterable");
    List items = iterate(iterable);
    std::size_t before = out.size();
    renderLoop(n, scope, items, 0, out);
    if (out.size() == before && items.empty() && n.kids[2])
        return execBody(*n.kids[2], scope, out);
    return Flow::Normal;
}

void Interpreter::renderLoop(const Node &n, const ScopePtr &scope, const List &rawItems, int depth,
                             std::string &out)
{
    List items;
    if (const Node *filter = n.kids[3].get()) {
        for (const Value &item : rawItems) {
            step();
            auto probe = std::make_shared<Scope>();
            probe->parent = scope;
            setPos(n);
            assign(n, probe, item);
            if (truthy(eval(*filter, probe)))
                items.push_back(item);
        }
    } else {
        items = rawItems;
    }
    if (items.empty()) {
        if (depth == 0 && !rawItems.empty() && n.kids[2])
            execBody(*n.kids[2], scope, out);
        return;
    }
    const auto len = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = 0; i < len; ++i) {
        step();
        auto iter = std::make_shared<Scope>();
        iter->parent = scope;
        Value loop = Value::newDict(true);
        Dict &d = *loop.dict;
        d.set("index", Value::fromInt(i + 1));
        d.set("index0", Value::fromInt(i));
        d.set("revindex", Value::fromInt(len - i));
        d.set("revindex0", Value::fromInt(len - i - 1));
        d.set("first", Value::fromBool(i == 0));
        d.set("last", Value::fromBool(i == len - 1));
        d.set("length", Value::fromInt(len));
        d.set("depth", Value::fromInt(depth + 1));
        d.set("depth0", Value::fromInt(depth));
        d.set("previtem", i > 0 ? items[static_cast<std::size_t>(i - 1)]
                                : Value::undefined("there is no previous item"));
        d.set("nextitem", i + 1 < len ? items[static_cast<std::size_t>(i + 1)]
                                      : Value::undefined("there is no next item"));
        const std::int64_t index0 = i;
        d.set("cycle", Value::fromCallable("cycle", [index0](Interpreter &in, CallArgs &a) {
                  if (a.positional.empty())
                      in.fail("no items for cycling given");
                  return a.positional[static_cast<std::size_t>(index0) % a.positional.size()];
              }));
        if (n.recursive) {
            const Node *node = &n;
            std::weak_ptr<Scope> outerRef = scope; // weak: see makeMacro
            d.set("__call__", Value::fromCallable("loop", [node, outerRef, depth](Interpreter &in,
                                                                                  CallArgs &a) {
                      ScopePtr outer = outerRef.lock();
                      if (!outer)
                          in.fail("loop() called after its loop ended");
                      if (a.positional.size() != 1)
                          in.fail("loop() takes exactly one argument");
                      if (in.m_callDepth >= kMaxCallDepth)
                          in.fail("maximum recursion depth exceeded in recursive loop");
                      ++in.m_callDepth;
                      std::string s;
                      try {
                          in.renderLoop(*node, outer, in.iterate(a.positional[0]), depth + 1, s);
                      } catch (...) {
                          --in.m_callDepth;
                          throw;
                      }
                      --in.m_callDepth;
                      return Value::fromString(std::move(s));
                  }));
        }
        iter->vars["loop"] = loop;
        setPos(n);
        assign(n, iter, items[static_cast<std::size_t>(i)]);
        Flow f = execBody(*n.kids[1], iter, out);
        if (f == Flow::Break)
            break;
    }
}

void Interpreter::evalArgs(const Node &n, std::size_t first, const ScopePtr &scope, CallArgs &args)
{
    for (std::size_t i = first; i < n.kids.size(); ++i)
        args.positional.push_back(eval(*n.kids[i], scope));
    for (const auto &[k, v] : n.kwargs)
        args.keyword.emplace_back(k, eval(*v, scope));
}

Value Interpreter::eval(const Node &n, const ScopePtr &scope)
{
    step();
    setPos(n);
    switch (n.kind) {
    case Node::Kind::Literal:
        return n.lit;
    case Node::Kind::Name: {
        if (const Value *v = scope->lookup(n.str))
            return *v;
        return Value::undefined("'" + n.str + "' is undefined");
    }
    case Node::Kind::ListLit:
    case Node::Kind::TupleLit: {
        List items;
        for (const NodePtr &k : n.kids)
            items.push_back(eval(*k, scope));
        return Value::fromList(std::move(items), n.kind == Node::Kind::TupleLit);
    }
    case Node::Kind::DictLit: {
        Value d = Value::newDict();
        for (std::size_t i = 0; i + 1 < n.kids.size(); i += 2) {
            Value k = eval(*n.kids[i], scope);
            Value v = eval(*n.kids[i + 1], scope);
            setPos(n);
            if (!k.isString())
                fail("dict keys must be strings here, got '" + pyTypeName(k) + "'");
            d.dict->set(k.str, std::move(v));
        }
        return d;
    }
    case Node::Kind::GetAttr: {
        Value obj = eval(*n.kids[0], scope);
        setPos(n);
        return getAttr(obj, n.str);
    }
    case Node::Kind::GetItem: {
        Value obj = eval(*n.kids[0], scope);
        const Node &sub = *n.kids[1];
        if (sub.kind == Node::Kind::Slice) {
            Value parts[3];
            for (int i = 0; i < 3; ++i)
                if (sub.kids[static_cast<std::size_t>(i)])
                    parts[i] = eval(*sub.kids[static_cast<std::size_t>(i)], scope);
                else
                    parts[i] = Value::none();
            setPos(n);
            return sliceValue(*this, obj, parts[0], parts[1], parts[2]);
        }
        Value key = eval(sub, scope);
        setPos(n);
        return getItem(obj, key);
    }
    case Node::Kind::Call: {
        Value callee = eval(*n.kids[0], scope);
        CallArgs args;
        evalArgs(n, 1, scope, args);
        setPos(n);
        return call(callee, args);
    }
    case Node::Kind::Filter: {
        Value operand = n.kids[0] ? eval(*n.kids[0], scope) : *scope->lookup("\x01body");
        CallArgs args;
        evalArgs(n, 1, scope, args);
        setPos(n);
        return applyFilter(n.str, operand, args);
    }
    case Node::Kind::Test: {
        Value operand = eval(*n.kids[0], scope);
        CallArgs args;
        evalArgs(n, 1, scope, args);
        setPos(n);
        return Value::fromBool(applyTest(n.str, operand, args) != n.flag);
    }
    case Node::Kind::Unary: {
        Value v = eval(*n.kids[0], scope);
        setPos(n);
        if (n.str == "not")
            return Value::fromBool(!truthy(v));
        requireDefined(v);
        if (!v.isNumber())
            fail("bad operand type for unary " + n.str + ": '" + pyTypeName(v) + "'");
        if (n.str == "+")
            return v.kind == Value::Kind::Bool ? Value::fromInt(asInt(v)) : v;
        if (v.kind == Value::Kind::Float)
            return Value::fromFloat(-v.real);
        if (asInt(v) == std::numeric_limits<std::int64_t>::min())
            fail("integer overflow");
        return Value::fromInt(-asInt(v));
    }
    case Node::Kind::Binary:
        return evalBinary(n, scope);
    case Node::Kind::CondExpr:
        if (truthy(eval(*n.kids[0], scope)))
            return eval(*n.kids[1], scope);
        if (n.kids[2])
            return eval(*n.kids[2], scope);
        return Value::undefined("the inline if-expression evaluated to false and no else "
                                "section was defined");
    default:
        fail("statement used as an expression");
    }
}

Value Interpreter::evalBinary(const Node &n, const ScopePtr &scope)
{
    const std::string &op = n.str;
    if (op == "and") {
        Value l = eval(*n.kids[0], scope);
        return truthy(l) ? eval(*n.kids[1], scope) : l;
    }
    if (op == "or") {
        Value l = eval(*n.kids[0], scope);
        return truthy(l) ? l : eval(*n.kids[1], scope);
    }
    if (op == "chain") {
        Value a = eval(*n.kids[0], scope);
        for (std::size_t i = 0; i < n.names.size(); ++i) {
            Value b = eval(*n.kids[i + 1], scope);
            setPos(n);
            if (!truthy(compare(n.names[i], a, b)))
                return Value::fromBool(false);
            a = std::move(b);
        }
        return Value::fromBool(true);
    }
    Value a = eval(*n.kids[0], scope);
    Value b = eval(*n.kids[1], scope);
    setPos(n);
    if (op == "~") {
        std::string s = pyStr(a);
        s += pyStr(b);
        checkSize(s.size());
        return Value::fromString(std::move(s));
    }
    if (op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=" ||
        op == "in" || op == "notin")
        return compare(op, a, b);
    return arithmetic(*this, op, a, b);
}

Value Interpreter::compare(const std::string &op, const Value &a, const Value &b)
{
    if (op == "==")
        return Value::fromBool(equals(a, b));
    if (op == "!=")
        return Value::fromBool(!equals(a, b));
    if (op == "<")
        return Value::fromBool(less(a, b));
    if (op == ">")
        return Value::fromBool(less(b, a));
    if (op == "<=")
        return Value::fromBool(!less(b, a));
    if (op == ">=")
        return Value::fromBool(!less(a, b));
    return Value::fromBool(contains(*this, b, a) == (op == "in"));
}

} // namespace engine::jinja::detail
