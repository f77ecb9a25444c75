#include "commands.h"

#include <dataset/cleaner.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

namespace firedeckdataset {

namespace {

const char *kCleanUsage =
    "usage: firedeck-dataset clean FILE [--out FILE] [--keep-invalid] [--keep-duplicates]\n"
    "                              [--model DIR --max-context N] [--format F]\n"
    "                              [--split random|last --eval-percent P [--seed S]\n"
    "                               --train-out FILE --eval-out FILE]\n"
    "Writes a cleaned JSONL copy (invalid lines, duplicates and blank lines dropped; with\n"
    "--model and --max-context also examples longer than N tokens) and/or a train/eval split\n"
    "to new files. FILE itself is never written.\n"
    "Exit status: 0 written, 1 failed, 2 usage error.\n";

int cleanUsage(const std::string &message)
{
    std::fprintf(stderr, "firedeck-dataset: %s\n\n%s", message.c_str(), kCleanUsage);
    return 2;
}

template <typename T> bool parse(const char *text, T &out)
{
    const char *end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, out);
    return ec == std::errc() && ptr == end;
}

} // namespace

int clean(int argc, char **argv)
{
    std::string file, modelDir;
    int maxContext = 0;
    dataset::CleanOptions options;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        const bool takesValue = a == "--out" || a == "--model" || a == "--max-context" ||
                                a == "--format" || a == "--split" || a == "--eval-percent" ||
                                a == "--seed" || a == "--train-out" || a == "--eval-out";
        const char *v = nullptr;
        if (takesValue) {
            if (i + 1 >= argc)
                return cleanUsage(a + " needs a value");
            v = argv[++i];
        }
        if (a == "--help" || a == "-h") {
            std::fputs(kCleanUsage, stdout);
            return 0;
        } else if (a == "--keep-invalid") {
            options.dropInvalid = false;
        } else if (a == "--keep-duplicates") {
            options.dropDuplicates = false;
        } else if (a == "--out") {
            options.outPath = v;
        } else if (a == "--train-out") {
            options.trainPath = v;
        } else if (a == "--eval-out") {
            options.evalPath = v;
        } else if (a == "--model") {
            modelDir = v;
        } else if (a == "--max-context") {
            if (!parse(v, maxContext) || maxContext < 1)
                return cleanUsage("--max-context needs a positive whole number");
        } else if (a == "--format") {
            options.format = dataset::formatFromId(v);
            if (!options.format)
                return cleanUsage(std::string("unknown format '") + v + "'");
        } else if (a == "--split") {
            const std::string s = v;
            if (s == "random")
                options.split = dataset::SplitMode::Random;
            else if (s == "last")
                options.split = dataset::SplitMode::Last;
            else
                return cleanUsage("--split is random or last");
        } else if (a == "--eval-percent") {
            if (!parse(v, options.evalPercent) || !(options.evalPercent > 0) ||
                !(options.evalPercent < 100))
                return cleanUsage("--eval-percent is a number between 0 and 100");
        } else if (a == "--seed") {
            if (!parse(v, options.seed))
                return cleanUsage("--seed needs a whole number");
        } else if (!a.empty() && a[0] == '-') {
            return cleanUsage("unknown option " + a);
        } else if (file.empty()) {
            file = a;
        } else {
            return cleanUsage("more than one FILE given");
        }
    }
    if (file.empty())
        return cleanUsage("no FILE given");
    if (options.outPath.empty() && options.split == dataset::SplitMode::None)
        return cleanUsage("give --out, or --split with --train-out and --eval-out");
    if (options.split != dataset::SplitMode::None &&
        (options.trainPath.empty() || options.evalPath.empty()))
        return cleanUsage("--split needs --train-out and --eval-out");
    if ((maxContext > 0) != !modelDir.empty())
        return cleanUsage("dropping over-length examples needs both --model and --max-context");

    // A spreadsheet's CSV: its question/answer columns, as check and the wizard read them.
    options.csv = csvMappingFor(file, options.source, {});

    dataset::TokenStats tokens;
    if (!modelDir.empty()) {
        dataset::TokenCountOptions count;
        count.modelDir = modelDir;
        count.format = options.format;
        count.source = options.source;
        count.csv = options.csv;
        count.maxContext = maxContext;
        tokens = dataset::countTokens(file, count);
        if (!tokens.error.empty()) {
            std::fprintf(stderr, "firedeck-dataset: %s\n", tokens.error.c_str());
            return 2;
        }
        options.tokens = &tokens;
        options.maxTokens = uint32_t(maxContext);
    }
    const dataset::CleanResult r = dataset::cleanAndSplit(file, options);
    if (!r.error.empty()) {
        std::fprintf(stderr, "firedeck-dataset: %s\n", r.error.c_str());
        return 1;
    }
    std::printf("read %llu records; kept %llu; dropped %llu invalid, %llu duplicates, "
                "%llu over %d tokens, %llu blank\n",
                (unsigned long long)r.records, (unsigned long long)r.kept,
                (unsigned long long)r.droppedInvalid, (unsigned long long)r.droppedDuplicates,
                (unsigned long long)r.droppedOverLength, maxContext,
                (unsigned long long)r.droppedBlank);
    if (options.split != dataset::SplitMode::None)
        std::printf("split: %llu train, %llu eval\n", (unsigned long long)r.trainRows,
                    (unsigned long long)r.evalRows);
    for (const std::string &w : r.written)
        std::printf("wrote %s\n", w.c_str());
    return 0;
}

} // namespace firedeckdataset
