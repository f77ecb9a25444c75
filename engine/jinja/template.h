#pragma once

// A Jinja2 template engine for chat templates: lexer, parser and a tree-walking evaluator
// that renders byte-for-byte like Python's jinja2 in the environment transformers uses
// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, its tojson).

#include <engine/common/result.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace engine::jinja {

namespace detail {
struct Node;
}

//! Bounds on one render: output size and evaluation steps (each node evaluated is a step).
struct RenderLimits
{
    std::size_t maxOutputBytes = 4u << 20;
    std::uint64_t maxSteps = 20'000'000;
};

//! A parsed Jinja template; cheap to copy (the syntax tree is shared and immutable).
class Template
{
public:
    //! Parses Jinja source; errors name line and column.
    static Result<Template> parse(std::string_view source, std::string name = "template");

    //! Renders with `context` as the global variables (an object). Errors (including
    //! raise_exception's message) name the template line and column.
    Result<std::string> render(const nlohmann::ordered_json &context,
                               const RenderLimits &limits = {}) const;

    //! Makes strftime_now() format this instant (UTC) instead of the current local time, so
    //! tests are deterministic. std::nullopt restores the clock.
    void setFixedTime(std::optional<std::time_t> now) { m_fixedTime = now; }

    const std::string &name() const { return m_name; }

private:
    std::shared_ptr<const detail::Node> m_root;
    std::string m_name;
    std::optional<std::time_t> m_fixedTime;
};

} // namespace engine::jinja
