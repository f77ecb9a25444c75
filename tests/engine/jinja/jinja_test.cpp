// engine.jinja: lexer/parser/evaluator behaviour, error positions, limits and
// ChatTemplate::load's file handling.

#include <engine/jinja/chattemplate.h>
#include <engine/jinja/template.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using engine::jinja::RenderLimits;
using engine::jinja::Template;
using json = nlohmann::ordered_json;

namespace {

std::string render(std::string_view src, const json &ctx = json::object(),
                   const RenderLimits &limits = {})
{
    auto t = Template::parse(src);
    if (!t)
        return "PARSE ERROR: " + t.error().message;
    auto out = t->render(ctx, limits);
    if (!out)
        return "RENDER ERROR: " + out.error().message;
    return *out;
}

std::string errorOf(std::string_view src, const json &ctx = json::object(),
                    const RenderLimits &limits = {})
{
    auto t = Template::parse(src, "t.jinja");
    if (!t)
        return t.error().message;
    auto out = t->render(ctx, limits);
    return out ? "no error, rendered: " + *out : out.error().message;
}

} // namespace

TEST(JinjaLexer, WhitespaceControlAndTransformersSettings)
{
    // trim_blocks drops the newline after a block tag; lstrip_blocks the indentation before.
    EXPECT_EQ(render("{% if true %}\n  a\n  {% endif %}\nb"), "  a\nb");
    EXPECT_EQ(render("x  {{- ' y ' -}}  z"), "x y z");
    EXPECT_EQ(render("a\n{#- comment -#}\nb"), "ab");
    EXPECT_EQ(render("a\n  {# c #}\nb"), "a\nb");
    EXPECT_EQ(render("{{ 1 }}\n{{ 2 }}"), "1\n2"); // no trimming after }}
    EXPECT_EQ(render("line\n"), "line");           // keep_trailing_newline=False
    EXPECT_EQ(render("a\r\nb"), "a\nb");
    EXPECT_EQ(render("  {%+ if true %}x{% endif %}"), "  x");
    EXPECT_EQ(render("{% raw %}{{ not evaluated }}{% endraw %}"), "{{ not evaluated }}");
    EXPECT_EQ(render("{{ {'a': {'b': 1}} }}"), "{'a': {'b': 1}}");
}

TEST(JinjaParser, PrecedenceAndLiterals)
{
    EXPECT_EQ(render("{{ 1 + 2 * 3 ** 2 }}"), "19");
    EXPECT_EQ(render("{{ 'a' ~ (1 + 2) }} {{ 'b' ~ 2 * 2 }}"), "a3 b4");
    EXPECT_EQ(render("{{ not true or true }}"), "True");
    EXPECT_EQ(render("{{ 1 if false else 2 if true else 3 }}"), "2");
    EXPECT_EQ(render("{{ -2 ** 2 }}"), "4"); // jinja: unary binds tighter than **
    EXPECT_EQ(render("{{ 'ab' 'cd' }}"), "abcd");
    EXPECT_EQ(render("{{ [1, 2,] }} {{ (1, 2) }} {{ () }}"), "[1, 2] (1, 2) ()");
    EXPECT_EQ(render("{{ x is not none and x is string }}", {{"x", "s"}}), "True");
    EXPECT_EQ(render("{{ 3 is divisibleby 3 }} {{ 4 is divisibleby(3) }}"), "True False");
    EXPECT_EQ(render("{{ 'a' not in 'abc' }}"), "False");
    EXPECT_EQ(render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 1 }} {{ 1 < 3 < 2 }}"), "True True False");
}

TEST(JinjaEvaluator, PythonValueSemantics)
{
    EXPECT_EQ(render("{{ true }} {{ none }} {{ 1.0 }} {{ 1e16 }} {{ 0.0001 }} {{ 1/4 }}"),
              "True None 1.0 1e+16 0.0001 0.25");
    EXPECT_EQ(render("{{ ['x', \"it's\"] }}"), "['x', \"it's\"]");
    EXPECT_EQ(render("{{ 1 == 1.0 }} {{ true == 1 }} {{ [1] == [1] }} {{ {} == {} }}"),
              "True True True True");
    EXPECT_EQ(render("{{ -7 // 2 }} {{ -7 % 3 }} {{ 7.5 // 2 }}"), "-4 2 3.0");
    EXPECT_EQ(render("{% if [] or {} or '' or 0 %}t{% else %}f{% endif %}"), "f");
    EXPECT_EQ(render("{{ 'ΣΑΣ'|lower }} {{ 'straße'|upper }} {{ 'élan vital'|title }}"),
              "σας STRASSE Élan Vital");
    EXPECT_EQ(render("{{ 'héllo'|length }} {{ 'héllo'[1] }} {{ 'héllo'[::-1] }}"), "5 é olléh");
    EXPECT_EQ(render("{{ undefined_var }}|{{ undefined_var|default('d') }}"), "|d");
    EXPECT_EQ(render("{{ m.missing is defined }}", {{"m", json::object()}}), "False");
}

TEST(JinjaEvaluator, ScopingLoopsAndNamespaces)
{
    EXPECT_EQ(render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}"), "1");
    EXPECT_EQ(render("{% set ns = namespace(x=1) %}{% for i in [1, 2] %}{% set ns.x = ns.x + i "
                     "%}{% endfor %}{{ ns.x }}"),
              "4");
    EXPECT_EQ(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
                     {{"d", {{"b", 1}, {"a", 2}}}}),
              "b=1;a=2;");
    EXPECT_EQ(render("{% for i in [] %}x{% else %}empty{% endfor %}"), "empty");
    EXPECT_EQ(render("{% for i in [1,2,3] if i > 1 %}{{ loop.index }}/{{ loop.length }} "
                     "{% endfor %}"),
              "1/2 2/2 ");
    EXPECT_EQ(
        render("{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{{ loop.previtem|default('-') "
               "}}{% endfor %}"),
        "a-b0a1");
    EXPECT_EQ(render("{% macro m(a, b='B') %}{{ a }}{{ b }}{{ varargs }}{% endmacro %}"
                     "{{ m(1) }} {{ m(1, b=2) }} {{ m(1, 2, 3) }}"),
              "1B[] 12[] 12[3]");
    EXPECT_EQ(render("{% macro w() %}<{{ caller() }}>{% endmacro %}{% call w() %}in{% endcall %}"),
              "<in>");
    EXPECT_EQ(render("{% set a, b = 1, 2 %}{{ b }}{{ a }}{% set s | upper %}x{% endset %}{{ s }}"),
              "21X");
    EXPECT_EQ(render("{% set l = [] %}{{ l.append(1) }}{{ l }}"), "None[1]");
}

TEST(JinjaEvaluator, FiltersAndTojson)
{
    const json ctx = {{"d", {{"z", 1}, {"a", {1.5, nullptr, true, "é\n\"x\""}}}}};
    EXPECT_EQ(render("{{ d|tojson }}", ctx), R"({"z": 1, "a": [1.5, null, true, "é\n\"x\""]})");
    EXPECT_EQ(render("{{ d|tojson(indent=2, sort_keys=true) }}", ctx),
              "{\n  \"a\": [\n    1.5,\n    null,\n    true,\n    \"é\\n\\\"x\\\"\"\n  ],\n"
              "  \"z\": 1\n}");
    EXPECT_EQ(render("{{ '<b>'|tojson }}"), "\"<b>\""); // transformers: no HTML escaping
    EXPECT_EQ(render("{{ [3,1,2]|sort|join(',') }} {{ ['b','A','a']|unique|list }}"),
              "1,2,3 ['b', 'A']");
    EXPECT_EQ(render("{{ 'hello world'|title }} {{ 'ab'|upper }} {{ ' x '|trim }}"),
              "Hello World AB x");
    EXPECT_EQ(render("{{ [{'n': 1}, {'n': 2}]|map(attribute='n')|sum }}"), "3");
    EXPECT_EQ(render("{{ [1,2,3,4]|select('even')|list }} {{ [1,2,3]|reject('odd')|list }}"),
              "[2, 4] [2]");
    EXPECT_EQ(render("{{ 'a\nb'|indent(2, first=true) }}"), "  a\n  b");
    EXPECT_EQ(render("{{ 2.5|round }} {{ 3.5|round }} {{ 1.005|round(2) }} {{ 7|round }}"),
              "2.0 4.0 1.0 7");
    EXPECT_EQ(render("{{ 'x'|nosuchfilter }}"),
              "RENDER ERROR: template:1:8: No filter named 'nosuchfilter'.");
}

TEST(JinjaErrors, SyntaxErrorsNameLineAndColumn)
{
    EXPECT_EQ(errorOf("line one\n{% if x %}\nno end"),
              "t.jinja:3:7: unexpected end of template, expected 'elif'");
    EXPECT_EQ(errorOf("{{ 1 + }}"), "t.jinja:1:8: unexpected '}}'");
    EXPECT_EQ(errorOf("ab\n  {{ 'unterminated }}"), "t.jinja:2:6: unterminated string literal");
    EXPECT_EQ(errorOf("{% endfor %}"), "t.jinja:1:4: unknown statement 'endfor'");
    EXPECT_EQ(errorOf("{# never closed"), "t.jinja:1:1: missing end of comment tag");
    EXPECT_EQ(errorOf("{% break %}"), "t.jinja:1:4: 'break' outside of a for loop");
}

TEST(JinjaErrors, RuntimeErrorsNameLineAndColumn)
{
    EXPECT_EQ(errorOf("\n\n   {{ raise_exception('Roles must alternate') }}"),
              "t.jinja:3:7: Roles must alternate");
    EXPECT_EQ(errorOf("{{ x.y }}"), "t.jinja:1:5: 'x' is undefined");
    EXPECT_EQ(errorOf("{{ m.a.b }}", {{"m", json::object()}}),
              "t.jinja:1:7: 'dict object' has no attribute 'a'");
    EXPECT_EQ(errorOf("{{ 'a' + 1 }}"),
              "t.jinja:1:8: can only concatenate str (not \"int\") to str");
    EXPECT_EQ(errorOf("{{ 1 // 0 }}"), "t.jinja:1:6: integer division or modulo by zero");
    EXPECT_EQ(errorOf("{% for x in none %}{% endfor %}"),
              "t.jinja:1:4: 'NoneType' object is not iterable");
}

TEST(JinjaLimits, StepsOutputAndRecursionAreBounded)
{
    RenderLimits small;
    small.maxSteps = 10'000;
    EXPECT_NE(errorOf("{% for i in range(100000) %}{{ i }}{% endfor %}", json::object(), small)
                  .find("step limit"),
              std::string::npos);
    RenderLimits tiny;
    tiny.maxOutputBytes = 100;
    EXPECT_NE(errorOf("{% for i in range(1000) %}xxxxxxxx{% endfor %}", json::object(), tiny)
                  .find("output exceeds the limit of 100 bytes"),
              std::string::npos);
    EXPECT_NE(errorOf("{{ 'x' * 100000000000 }}").find("output exceeds"), std::string::npos);
    // Empty things repeated a huge number of times are empty at once (a fuzzing timeout).
    EXPECT_EQ(render("[{{ '' * 400000400000 }}]"), "[]");
    EXPECT_EQ(render("{{ ([] * 400000400000) | length }}"), "0");
    EXPECT_EQ(render("{{ 'ab' * 3 }}"), "ababab");
    EXPECT_NE(errorOf("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
                  .find("maximum recursion depth"),
              std::string::npos);
    std::string nested;
    for (int i = 0; i < 5000; ++i)
        nested += "{% if true %}";
    EXPECT_NE(errorOf(nested).find("too deep"), std::string::npos);
    EXPECT_NE(errorOf("{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}")
                  .find("too deep"),
              std::string::npos);
}

TEST(JinjaLimits, DeepContextIsRefused)
{
    json deep = json::array();
    for (int i = 0; i < 1000; ++i)
        deep = json::array({deep});
    EXPECT_NE(errorOf("{{ x }}", {{"x", deep}}).find("nested more than 256 levels"),
              std::string::npos);
}

TEST(JinjaLimits, StrftimeNowIsFixable)
{
    auto t = Template::parse("{{ strftime_now('%Y-%m-%d %H:%M') }}");
    ASSERT_TRUE(t.ok());
    t->setFixedTime(1721990000);
    auto out = t->render(json::object());
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(*out, "2024-07-26 10:33");
}

// ---------------------------------------------------------------- ChatTemplate::load

namespace {

class TempDir
{
public:
    TempDir()
    {
        m_path =
            fs::temp_directory_path() /
            ("jinja_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempDir() { fs::remove_all(m_path); }
    void write(const std::string &name, const std::string &text) const
    {
        std::ofstream(m_path / name, std::ios::binary) << text;
    }
    std::string str() const { return m_path.string(); }

private:
    fs::path m_path;
};

const json kMessages = json::array({{{"role", "user"}, {"content", "hi"}}});

} // namespace

TEST(ChatTemplateLoad, StringTemplateWithObjectTokens)
{
    TempDir dir;
    dir.write("tokenizer_config.json",
              R"({"bos_token": {"content": "<B>", "lstrip": false}, "eos_token": "<E>",
                  "chat_template": "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{{ eos_token }}{{ add_generation_prompt }}"})");
    auto t = engine::ChatTemplate::load(dir.str());
    ASSERT_TRUE(t.ok()) << t.error().message;
    auto out = t->apply(kMessages, nullptr, true);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(*out, "<B>hi<E>True");
}

TEST(ChatTemplateLoad, NamedTemplatesPickToolUseWhenToolsGiven)
{
    TempDir dir;
    dir.write("tokenizer_config.json",
              R"({"chat_template": [{"name": "default", "template": "plain"},
                                    {"name": "tool_use", "template": "tools={{ tools|length }}"}]})");
    auto t = engine::ChatTemplate::load(dir.str());
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t->apply(kMessages, nullptr, false), "plain");
    EXPECT_EQ(*t->apply(kMessages, json::array({json::object()}), false), "tools=1");
}

TEST(ChatTemplateLoad, ChatTemplateJinjaFileAndFireworksJson)
{
    TempDir dir;
    dir.write("tokenizer_config.json", R"({"chat_template": "config", "eos_token": "</s>"})");
    dir.write("chat_template.jinja", "file {{ messages[0].content }}\n");
    auto t = engine::ChatTemplate::load(dir.str());
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t->apply(kMessages, nullptr, false), "file hi");

    dir.write("fireworks.json", R"({"conversation_config": {"style": "jinja", "args": {
        "template": "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}{{ eos_token }}",
        "system": "be brief", "special_tokens_map": {"eos_token": "<|end|>"}}}})");
    t = engine::ChatTemplate::load(dir.str());
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t->apply(kMessages, nullptr, false), "[system:be brief][user:hi]<|end|>");
}

TEST(ChatTemplateLoad, ClearErrors)
{
    TempDir dir;
    auto none = engine::ChatTemplate::load(dir.str());
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, engine::Error::Code::Unsupported);

    dir.write("tokenizer_config.json", R"({"chat_template": "{% if %}"})");
    auto bad = engine::ChatTemplate::load(dir.str());
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("tokenizer_config.json: chat_template:1:7"),
              std::string::npos)
        << bad.error().message;

    dir.write("tokenizer_config.json", R"({"chat_template": 42})");
    bad = engine::ChatTemplate::load(dir.str());
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, engine::Error::Code::Corrupt);

    dir.write("tokenizer_config.json", "{not json");
    bad = engine::ChatTemplate::load(dir.str());
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("not valid JSON"), std::string::npos);

    dir.write("tokenizer_config.json", R"({"chat_template": "x"})");
    dir.write("fireworks.json", R"({"conversation_config": {"style": "alpaca"}})");
    bad = engine::ChatTemplate::load(dir.str());
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, engine::Error::Code::Unsupported);
    EXPECT_NE(bad.error().message.find("alpaca"), std::string::npos);
}
