#include <engine/jinja/template.h>

#include <engine/jinja/ast.h>
#include <engine/jinja/interpreter.h>

#include <exception>
#include <new>

namespace engine::jinja {

namespace {
Error locatedError(Error::Code code, const std::string &name, const detail::TemplateError &e)
{
    return makeError(code, name + ":" + std::to_string(e.line) + ":" + std::to_string(e.col) +
                               ": " + e.message);
}
// Deeper data would make conversion, printing and comparison recurse without bound.
constexpr int kMaxContextDepth = 256;

bool tooDeep(const nlohmann::ordered_json &j, int depth)
{
    if (depth > kMaxContextDepth)
        return true;
    if (j.is_array() || j.is_object())
        for (const auto &e : j)
            if (tooDeep(e, depth + 1))
                return true;
    return false;
}

} // namespace

Result<Template> Template::parse(std::string_view source, std::string name)
{
    try {
        Template t;
        t.m_root = detail::parseTemplate(detail::normalizeSource(source));
        t.m_name = std::move(name);
        return t;
    } catch (const detail::TemplateError &e) {
        return locatedError(Error::Code::InvalidArgument, name, e);
    } catch (const std::bad_alloc &) {
        return makeError(Error::Code::OutOfMemory, name + ": out of memory while parsing");
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, name + ": " + e.what());
    }
}

Result<std::string> Template::render(const nlohmann::ordered_json &context,
                                     const RenderLimits &limits) const
{
    if (!m_root)
        return makeError(Error::Code::InvalidArgument, "render() on an unparsed template");
    if (!context.is_object() && !context.is_null())
        return makeError(Error::Code::InvalidArgument,
                         m_name + ": the render context must be a JSON object");
    if (tooDeep(context, 0))
        return makeError(Error::Code::InvalidArgument,
                         m_name + ": the render context is nested more than " +
                             std::to_string(kMaxContextDepth) + " levels deep");
    try {
        detail::Interpreter interpreter(limits, m_fixedTime);
        const detail::Value ctx =
            context.is_null() ? detail::Value::newDict() : detail::Value::fromJson(context);
        return interpreter.render(*m_root, ctx);
    } catch (const detail::TemplateError &e) {
        return locatedError(Error::Code::InvalidArgument, m_name, e);
    } catch (const std::bad_alloc &) {
        return makeError(Error::Code::OutOfMemory, m_name + ": out of memory while rendering");
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, m_name + ": " + e.what());
    }
}

} // namespace engine::jinja
