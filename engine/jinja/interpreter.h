#pragma once

// Tree-walking evaluator. Errors are thrown as TemplateError inside the engine::jinja
// implementation and turned into engine::Error at Template's public boundary.

#include <engine/jinja/ast.h>
#include <engine/jinja/template.h>
#include <engine/jinja/value.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace engine::jinja::detail {

struct Scope
{
    std::unordered_map<std::string, Value> vars;
    std::shared_ptr<Scope> parent;

    const Value *lookup(const std::string &name) const
    {
        for (const Scope *s = this; s; s = s->parent.get()) {
            auto it = s->vars.find(name);
            if (it != s->vars.end())
                return &it->second;
        }
        return nullptr;
    }
};
using ScopePtr = std::shared_ptr<Scope>;

class Interpreter
{
public:
    Interpreter(const RenderLimits &limits, std::optional<std::time_t> fixedTime);

    //! Renders `root` with `context` (a dict) as globals; throws TemplateError.
    std::string render(const Node &root, const Value &context);

    [[noreturn]] void fail(const std::string &message) const;
    void step();
    //! Raises Jinja's UndefinedError for `v` when it is undefined.
    void requireDefined(const Value &v) const;

    bool truthy(const Value &v) const;
    bool equals(const Value &a, const Value &b) const;
    bool less(const Value &a, const Value &b) const;
    Value getAttr(const Value &obj, const std::string &name);
    Value getItem(const Value &obj, const Value &key);
    //! Python iteration: list items, dict keys, string characters; undefined is empty.
    List iterate(const Value &v);
    std::int64_t length(const Value &v);
    Value call(const Value &callee, CallArgs &args);
    Value applyFilter(const std::string &name, const Value &operand, CallArgs &args);
    bool applyTest(const std::string &name, const Value &operand, CallArgs &args);
    void checkSize(std::size_t bytes) const;
    //! Whether `target` (a List or Dict) is `v` or inside it.
    bool reaches(const Value &v, const void *target, int depth = 0);
    std::optional<std::time_t> fixedTime() const { return m_fixedTime; }

private:
    enum class Flow { Normal, Break, Continue };
    Flow exec(const Node &n, const ScopePtr &scope, std::string &out);
    Flow execBody(const Node &n, const ScopePtr &scope, std::string &out);
    Flow execFor(const Node &n, const ScopePtr &scope, std::string &out);
    void renderLoop(const Node &n, const ScopePtr &scope, const List &items, int depth,
                    std::string &out);
    Value eval(const Node &n, const ScopePtr &scope);
    Value evalBinary(const Node &n, const ScopePtr &scope);
    Value compare(const std::string &op, const Value &a, const Value &b);
    void evalArgs(const Node &n, std::size_t first, const ScopePtr &scope, CallArgs &args);
    Value makeMacro(const Node &n, const ScopePtr &scope);
    void assign(const Node &n, const ScopePtr &scope, Value v);
    void emit(std::string &out, const std::string &s) const;
    void setPos(const Node &n)
    {
        m_line = n.line;
        m_col = n.col;
    }

    RenderLimits m_limits;
    std::optional<std::time_t> m_fixedTime;
    std::uint64_t m_steps = 0;
    int m_callDepth = 0;
    int m_line = 0;
    int m_col = 0;
};

} // namespace engine::jinja::detail
