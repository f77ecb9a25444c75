#include "commands.h"

#include <dataset/tokencounter.h>
#include <dataset/validator.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace firedeckdataset {

const char *usage()
{
    return "usage: firedeck-dataset check FILE [--format sft|vision|dpo|rft|batch]\n"
           "                              [--eval FILE] [--model DIR] [--max-context N]\n"
           "                              [--epochs N] [--source jsonl|json|csv]\n"
           "                              [--csv-prompt COL] [--csv-completion COL]\n"
           "                              [--csv-system COL] [--max-problems N] [--json]\n"
           "Checks a dataset file against the platform's formats and limits and prints the\n"
           "detected format, counts and every problem with its line and field. A CSV's\n"
           "columns are guessed from its header (question, answer, system...) unless named;\n"
           "a JSONL file of prompt/completion lines is read as user and assistant messages.\n"
           "Exit status: 0 the platform would accept the file, 1 it would not, 2 usage error.\n"
           "\n"
           "       firedeck-dataset clean FILE [--out FILE] [--split random|last ...]\n"
           "Writes a cleaned copy and/or a train/eval split (firedeck-dataset clean --help).\n";
}

namespace {

struct CheckArgs
{
    std::string file;
    dataset::ValidationOptions options;
    CsvColumnsGiven csv;
    std::string modelDir;
    int maxContext = 0;
    bool json = false;
};

int usageError(const std::string &message)
{
    std::fprintf(stderr, "firedeck-dataset: %s\n\n%s", message.c_str(), usage());
    return 2;
}

std::optional<long long> number(const char *text)
{
    long long n = 0;
    const char *end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, n);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return n;
}

// Returns 0 when parsed, else the exit status.
int parseArgs(int argc, char **argv, CheckArgs &args)
{
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char *what) -> const char * {
            if (i + 1 >= argc)
                return nullptr;
            (void)what;
            return argv[++i];
        };
        if (a == "--json") {
            args.json = true;
        } else if (a == "--format" || a == "--eval" || a == "--model" || a == "--max-context" ||
                   a == "--epochs" || a == "--source" || a == "--csv-prompt" ||
                   a == "--csv-completion" || a == "--csv-system" || a == "--max-problems") {
            const char *v = value(a.c_str());
            if (!v)
                return usageError(a + " needs a value");
            if (a == "--format") {
                const auto f = dataset::formatFromId(v);
                if (!f)
                    return usageError(std::string("unknown format '") + v +
                                      "' (sft, vision, dpo, rft, batch)");
                args.options.format = f;
            } else if (a == "--eval") {
                args.options.evalPath = v;
            } else if (a == "--model") {
                args.modelDir = v;
            } else if (a == "--source") {
                const std::string s = v;
                if (s == "jsonl")
                    args.options.source = dataset::SourceKind::Jsonl;
                else if (s == "json")
                    args.options.source = dataset::SourceKind::JsonArray;
                else if (s == "csv")
                    args.options.source = dataset::SourceKind::Csv;
                else
                    return usageError("--source is jsonl, json or csv");
            } else if (a == "--csv-prompt") {
                args.csv.prompt = v;
            } else if (a == "--csv-completion") {
                args.csv.completion = v;
            } else if (a == "--csv-system") {
                args.csv.system = v;
            } else {
                const auto n = number(v);
                if (!n || *n < 1 || *n > 100'000'000)
                    return usageError(a + " needs a positive whole number");
                if (a == "--max-context")
                    args.maxContext = int(*n);
                else if (a == "--epochs")
                    args.options.epochs = int(*n);
                else
                    args.options.maxProblemsPerRule = std::size_t(*n);
            }
        } else if (!a.empty() && a[0] == '-') {
            return usageError("unknown option " + a);
        } else if (args.file.empty()) {
            args.file = a;
        } else {
            return usageError("more than one FILE given");
        }
    }
    if (args.file.empty())
        return usageError("no FILE given");
    args.options.csv = csvMappingFor(args.file, args.options.source, args.csv);
    if (args.maxContext > 0 && args.modelDir.empty())
        return usageError("--max-context needs --model (the tokenizer to count with)");
    return 0;
}

nlohmann::ordered_json fileJson(const dataset::FileReport &r)
{
    nlohmann::ordered_json j;
    j["path"] = r.path;
    j["source"] = dataset::sourceKindName(r.source);
    j["bytes"] = r.bytes;
    j["detectedFormat"] = dataset::formatId(r.detected);
    j["checkedAs"] = dataset::formatId(r.checkedAs);
    j["evidence"] = dataset::describeEvidence(r.evidence, dataset::recordNoun(r.source));
    j["records"] = r.records;
    j["examples"] = r.examples;
    j["examplesWithErrors"] = r.examplesWithErrors;
    j["duplicates"] = r.duplicates;
    j["errors"] = r.errors;
    j["warnings"] = r.warnings;
    j["accepted"] = r.accepted();
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (int i = 0; i < dataset::kRuleCount; ++i)
        if (r.ruleCounts[std::size_t(i)])
            counts[std::string(dataset::ruleId(dataset::Rule(i)))] = r.ruleCounts[std::size_t(i)];
    j["ruleCounts"] = counts;
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const dataset::Problem &p : r.problems) {
        nlohmann::ordered_json problem = {{"rule", dataset::ruleId(p.rule)},
                                          {"severity", dataset::severityName(p.severity())},
                                          {"line", p.line}};
        if (p.row)
            problem["row"] = p.row; // a CSV row, as a spreadsheet numbers it
        problem["field"] = p.field;
        problem["message"] = p.message;
        problems.push_back(std::move(problem));
    }
    j["problems"] = problems;
    return j;
}

//! "8", or for a CSV row below a value with line breaks "8 (row 6)": the spreadsheet's number.
std::string lineAndRow(uint64_t line, uint64_t row)
{
    std::string out = std::to_string(line);
    if (row && row != line)
        out += " (row " + std::to_string(row) + ")";
    return out;
}

void printFile(const dataset::FileReport &r, const char *role)
{
    std::printf("%s: %s (%s, %s bytes, %s records)\n", role, r.path.c_str(),
                std::string(dataset::sourceKindName(r.source)).c_str(),
                dataset::groupThousands(r.bytes).c_str(),
                dataset::groupThousands(r.records).c_str());
    std::printf("  format: %s", std::string(dataset::formatDisplayName(r.checkedAs)).c_str());
    if (r.detected != r.checkedAs)
        std::printf(" (the rows look like %s)",
                    std::string(dataset::formatDisplayName(r.detected)).c_str());
    std::printf("\n  evidence: %s\n",
                dataset::describeEvidence(r.evidence, dataset::recordNoun(r.source)).c_str());
    std::printf("  examples: %s, %s with errors, %s duplicates\n",
                dataset::groupThousands(r.examples).c_str(),
                dataset::groupThousands(r.examplesWithErrors).c_str(),
                dataset::groupThousands(r.duplicates).c_str());
    std::printf("  problems: %s errors, %s warnings\n", dataset::groupThousands(r.errors).c_str(),
                dataset::groupThousands(r.warnings).c_str());
    std::map<dataset::Rule, uint64_t> listed;
    for (const dataset::Problem &p : r.problems) {
        ++listed[p.rule];
        const std::string where =
            p.line ? "line " + lineAndRow(p.line, p.row) : std::string("file");
        std::printf("  %-7s %-10s %s%s%s [%s]\n",
                    std::string(dataset::severityName(p.severity())).c_str(), where.c_str(),
                    p.field.c_str(), p.field.empty() ? "" : ": ", p.message.c_str(),
                    std::string(dataset::ruleId(p.rule)).c_str());
    }
    for (const auto &[rule, n] : listed) {
        const uint64_t total = r.count(rule);
        if (total > n)
            std::printf("  … and %s more '%s' problems not listed\n",
                        dataset::groupThousands(total - n).c_str(),
                        std::string(dataset::ruleId(rule)).c_str());
    }
}

nlohmann::ordered_json tokensJson(const dataset::TokenStats &t, int epochs)
{
    nlohmann::ordered_json j;
    if (!t.error.empty()) {
        j["error"] = t.error;
        return j;
    }
    j["format"] = dataset::formatId(t.format);
    j["modelContextLength"] = t.modelContextLength;
    j["maxContext"] = t.maxContext;
    j["examples"] = t.examples;
    j["counted"] = t.tokens.size();
    j["failed"] = t.failed;
    j["totalTokens"] = t.totalTokens;
    j["trainingTokens"] = t.totalTokens * uint64_t(epochs);
    j["epochs"] = epochs;
    j["min"] = t.minTokens;
    j["mean"] = t.meanTokens();
    j["p50"] = t.p50;
    j["p95"] = t.p95;
    j["p99"] = t.p99;
    j["max"] = t.maxTokens;
    j["overLength"] = t.overLength;
    nlohmann::ordered_json longest = nlohmann::ordered_json::array();
    for (const auto &e : t.longest)
        longest.push_back(
            e.row ? nlohmann::ordered_json{{"line", e.line}, {"row", e.row}, {"tokens", e.tokens}}
                  : nlohmann::ordered_json{{"line", e.line}, {"tokens", e.tokens}});
    j["overLengthExamples"] = longest;
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const auto &f : t.failures)
        failures.push_back({{"line", f.line}, {"message", f.message}});
    j["failures"] = failures;
    j["perLine"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < t.tokens.size(); ++i)
        j["perLine"].push_back({t.lines[i], t.tokens[i]});
    return j;
}

void printTokens(const dataset::TokenStats &t, const std::string &modelDir, int epochs)
{
    using dataset::groupThousands;
    if (!t.error.empty()) {
        std::printf("tokens: %s\n", t.error.c_str());
        return;
    }
    std::printf("tokens (%s: tokenizer.json + chat template, %s):\n", modelDir.c_str(),
                std::string(dataset::formatDisplayName(t.format)).c_str());
    std::printf("  %s examples counted, %s not countable\n",
                groupThousands(t.tokens.size()).c_str(), groupThousands(t.failed).c_str());
    std::printf("  total %s tokens; × %d epoch%s = %s training tokens\n",
                groupThousands(t.totalTokens).c_str(), epochs, epochs == 1 ? "" : "s",
                groupThousands(t.totalTokens * uint64_t(epochs)).c_str());
    std::printf("  per example: min %u, mean %.1f, p50 %u, p95 %u, p99 %u, max %u\n", t.minTokens,
                t.meanTokens(), t.p50, t.p95, t.p99, t.maxTokens);
    if (t.maxContext > 0) {
        std::printf("  context: %s tokens%s; %s examples longer (truncated in training)\n",
                    groupThousands(uint64_t(t.maxContext)).c_str(),
                    t.maxContext == t.modelContextLength ? " (the model's config.json)" : "",
                    groupThousands(t.overLength).c_str());
        for (const auto &e : t.longest)
            std::printf("  over    line %-6s %s tokens\n", lineAndRow(e.line, e.row).c_str(),
                        groupThousands(e.tokens).c_str());
    } else {
        std::printf("  context: unknown (no config.json; pass --max-context N)\n");
    }
    for (const auto &f : t.failures)
        std::printf("  skipped line %-6s %s\n", lineAndRow(f.line, f.row).c_str(),
                    f.message.c_str());
    std::printf("  %.2f s\n", t.seconds);
}

} // namespace

dataset::CsvMapping csvMappingFor(const std::string &file, dataset::SourceKind source,
                                  const CsvColumnsGiven &given)
{
    dataset::CsvMapping csv;
    const auto kind = source == dataset::SourceKind::Auto ? dataset::guessSourceKind(file) : source;
    if (kind == dataset::SourceKind::Csv)
        csv = dataset::guessCsvMapping(dataset::readCsvHeader(file));
    csv.prompt = given.prompt.value_or(csv.prompt);
    csv.completion = given.completion.value_or(csv.completion);
    csv.system = given.system.value_or(csv.system);
    return csv;
}

int check(int argc, char **argv)
{
    CheckArgs args;
    if (const int status = parseArgs(argc, argv, args))
        return status;
    const dataset::Report report = dataset::validate(args.file, args.options);
    const bool accepted = report.accepted();
    std::optional<dataset::TokenStats> tokens;
    if (!args.modelDir.empty() && !report.cancelled) {
        dataset::TokenCountOptions options;
        options.modelDir = args.modelDir;
        options.format = report.train.checkedAs;
        options.source = args.options.source;
        options.csv = args.options.csv;
        options.maxContext = args.maxContext;
        tokens = dataset::countTokens(args.file, options);
    }
    if (args.json) {
        nlohmann::ordered_json out;
        out["accepted"] = accepted;
        out["train"] = fileJson(report.train);
        if (report.eval)
            out["eval"] = fileJson(*report.eval);
        if (tokens)
            out["tokens"] = tokensJson(*tokens, args.options.epochs);
        std::cout << out.dump(2) << "\n";
    } else {
        printFile(report.train, "train");
        if (report.eval)
            printFile(*report.eval, "eval");
        if (tokens)
            printTokens(*tokens, args.modelDir, args.options.epochs);
        std::printf("%s\n", accepted ? "accepted: the platform would take this dataset"
                                     : "NOT accepted: fix the errors above");
    }
    if (tokens && !tokens->error.empty()) {
        std::fprintf(stderr, "firedeck-dataset: %s\n", tokens->error.c_str());
        return 2;
    }
    return accepted ? 0 : 1;
}

} // namespace firedeckdataset
