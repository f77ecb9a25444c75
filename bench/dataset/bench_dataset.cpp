// bench_dataset: validation throughput, peak memory and cancel latency of the dataset
// validator on a generated SFT JSONL file (1-2 GB), and token counting speed with a model
// folder's tokenizer + chat template on 1 and 2 threads. Prints figures; asserts nothing.
//
//   bench_dataset [--size-mb N] [--file PATH] [--keep] [--model DIR] [--token-mb N]
//
// The generated file is written once and then read from the page cache (a hot-cache figure;
// drop caches between runs for a cold-disk one).

#include <dataset/tokencounter.h>
#include <dataset/validator.h>

#include <engine/jinja/chattemplate.h>
#include <engine/tokenizer/tokenizer.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

long peakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

// Distinct SFT rows of ~400-900 bytes: a system prompt on some, 1-2 turns, one row in 50 with
// a tool schema and a tool call.
void generate(const std::string &path, uint64_t bytes)
{
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        std::exit(1);
    }
    static const char *words[] = {"the",    "model",   "answers", "question", "about",  "data",
                                  "tokens", "context", "quickly", "because",  "values", "ranges",
                                  "résumé", "naïve",   "日本語",  "emoji 🚀",  "loss",   "epoch"};
    std::string line;
    uint64_t written = 0;
    uint64_t i = 0;
    unsigned seed = 12345;
    auto text = [&](int n) {
        std::string s;
        for (int k = 0; k < n; ++k) {
            seed = seed * 1103515245u + 12345u;
            s += words[(seed >> 16) % (sizeof words / sizeof *words)];
            s += ' ';
        }
        return s;
    };
    while (written < bytes) {
        line = "{\"messages\":[";
        if (i % 3 == 0)
            line += "{\"role\":\"system\",\"content\":\"You are a helpful assistant #" +
                    std::to_string(i % 97) + ".\"},";
        line += "{\"role\":\"user\",\"content\":\"Question " + std::to_string(i) + ": " +
                text(20 + int(i % 40)) + "\"},";
        line += "{\"role\":\"assistant\",\"content\":\"" + text(30 + int(i % 60)) + "\"}";
        if (i % 7 == 0)
            line += ",{\"role\":\"user\",\"content\":\"And then? " + text(10) +
                    "\"},{\"role\":\"assistant\",\"content\":\"" + text(25) + "\",\"weight\":1}";
        line += "]";
        if (i % 50 == 0)
            line += ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\","
                    "\"description\":\"Looks up a word\",\"parameters\":{\"type\":\"object\"}}}]";
        line += "}\n";
        std::fwrite(line.data(), 1, line.size(), f);
        written += line.size();
        ++i;
    }
    std::fclose(f);
}

// The same rendered texts through the engine tokenizer (1 and 2 threads) and, when
// bench/dataset/tokenizers-ref has node_modules, through Hugging Face's Rust tokenizers.
void compareEncoders(const std::string &part, const std::string &modelDir)
{
    auto tokenizer = engine::Tokenizer::load(modelDir);
    auto tmpl = engine::ChatTemplate::load(modelDir);
    if (!tokenizer || !tmpl) {
        std::printf("encode comparison: cannot load %s\n", modelDir.c_str());
        return;
    }
    std::vector<std::string> texts;
    std::ifstream in(part);
    auto t = Clock::now();
    for (std::string line; std::getline(in, line);) {
        const auto row = nlohmann::ordered_json::parse(line, nullptr, false);
        if (row.is_discarded() || !row.contains("messages"))
            continue;
        auto text =
            tmpl->apply(row["messages"], row.value("tools", nlohmann::ordered_json()), false);
        if (text)
            texts.push_back(std::move(*text));
    }
    double bytes = 0;
    for (const auto &x : texts)
        bytes += double(x.size());
    std::printf("rendered %zu examples (%.1f MB of text) with the chat template in %.2f s\n",
                texts.size(), bytes / 1e6, seconds(t));
    auto second = engine::Tokenizer::load(modelDir);
    const std::shared_ptr<const engine::Tokenizer> perThread[2] = {*tokenizer, *second};
    // Shared: both threads use one Tokenizer (its word cache has one mutex); own: one each,
    // as dataset::countTokens does.
    for (auto [threads, shared] : {std::pair{1, true}, std::pair{2, true}, std::pair{2, false}}) {
        std::vector<uint64_t> counts(std::size_t(threads), 0);
        t = Clock::now();
        std::vector<std::thread> pool;
        for (int w = 0; w < threads; ++w)
            pool.emplace_back([&, w, shared = shared, threads = threads] {
                const engine::Tokenizer &tok = *perThread[shared ? 0 : w];
                for (std::size_t i = std::size_t(w); i < texts.size(); i += std::size_t(threads))
                    counts[std::size_t(w)] += tok.encode(texts[i], false).size();
            });
        for (auto &th : pool)
            th.join();
        const double s = seconds(t);
        uint64_t total = 0;
        for (uint64_t c : counts)
            total += c;
        std::printf("engine tokenizer encode, %d thread%s%s: %llu tokens in %.2f s = %.2f M "
                    "tokens/s\n",
                    threads, threads == 1 ? "" : "s",
                    threads == 1 ? "" : (shared ? " sharing one tokenizer" : " with one each"),
                    (unsigned long long)total, s, double(total) / s / 1e6);
    }
    const std::string ref = std::string(FIREDECK_SOURCE_DIR) + "/bench/dataset/tokenizers-ref";
    if (!std::filesystem::exists(ref + "/node_modules/@anush008/tokenizers")) {
        std::printf("hf tokenizers: not installed (cd %s && npm install)\n", ref.c_str());
        return;
    }
    const std::string textsPath = part + ".texts.json";
    {
        std::ofstream out(textsPath);
        out << nlohmann::json(texts).dump();
    }
    std::fflush(stdout);
    const std::string cmd =
        "node " + ref + "/compare.mjs '" + modelDir + "/tokenizer.json' '" + textsPath + "'";
    if (std::system(cmd.c_str()) != 0)
        std::printf("hf tokenizers: the comparison failed (%s)\n", cmd.c_str());
    std::filesystem::remove(textsPath);
}

} // namespace

int main(int argc, char **argv)
{
    uint64_t sizeMb = 1024;
    uint64_t tokenMb = 8;
    std::string file, modelDir;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--size-mb" && i + 1 < argc)
            sizeMb = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--token-mb" && i + 1 < argc)
            tokenMb = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--file" && i + 1 < argc)
            file = argv[++i];
        else if (a == "--model" && i + 1 < argc)
            modelDir = argv[++i];
        else if (a == "--keep")
            keep = true;
        else {
            std::fprintf(stderr, "usage: bench_dataset [--size-mb N] [--file PATH] [--keep] "
                                 "[--model DIR] [--token-mb N]\n");
            return 2;
        }
    }
    const bool generated = file.empty();
    if (generated) {
        file = (std::filesystem::temp_directory_path() /
                ("bench-dataset-" + std::to_string(getpid()) + ".jsonl"))
                   .string();
        const auto t = Clock::now();
        generate(file, sizeMb << 20);
        std::printf("generated %s: %.0f MB in %.1f s\n", file.c_str(),
                    double(std::filesystem::file_size(file)) / 1e6, seconds(t));
    }
    const double mb = double(std::filesystem::file_size(file)) / 1e6;
    std::printf("cpu cores: %u\n", std::thread::hardware_concurrency());
    std::printf("peak RSS before validation: %ld MB\n", peakRssMb());

    // Validation, twice (the first run also warms the page cache when --file was given).
    for (int run = 1; run <= 2; ++run) {
        const auto t = Clock::now();
        const auto report = dataset::validate(file);
        const double s = seconds(t);
        std::printf("validate run %d: %.0f MB, %llu examples, %llu problems, %.2f s = %.0f MB/s "
                    "(format %s)\n",
                    run, mb, (unsigned long long)report.train.examples,
                    (unsigned long long)(report.train.errors + report.train.warnings), s, mb / s,
                    std::string(dataset::formatId(report.train.checkedAs)).c_str());
    }
    std::printf("peak RSS after validation: %ld MB\n", peakRssMb());

    // Cancel latency: the flag is set while the pass runs; time until validate() returns.
    double worstMs = 0;
    for (int run = 0; run < 5; ++run) {
        std::atomic<bool> cancel{false};
        Clock::time_point cancelledAt;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20 + 40 * run));
            cancelledAt = Clock::now();
            cancel = true;
        });
        dataset::ValidationOptions options;
        options.cancel = &cancel;
        const auto report = dataset::validate(file, options);
        const auto returned = Clock::now();
        canceller.join();
        const double ms = std::chrono::duration<double, std::milli>(returned - cancelledAt).count();
        if (report.cancelled)
            worstMs = std::max(worstMs, ms);
        std::printf("cancel %d: cancelled=%d, returned %.2f ms after the flag\n", run,
                    int(report.cancelled), ms);
    }
    std::printf("cancel latency, worst of the cancelled runs: %.2f ms\n", worstMs);

    if (!modelDir.empty()) {
        // Token counting on the first token-mb MB of the file.
        const std::string part = file + ".tokens";
        {
            FILE *in = std::fopen(file.c_str(), "rb");
            FILE *out = std::fopen(part.c_str(), "wb");
            char buf[1 << 16];
            uint64_t copied = 0;
            while (copied < (tokenMb << 20) && std::fgets(buf, sizeof buf, in)) {
                std::fputs(buf, out);
                copied += std::strlen(buf);
            }
            std::fclose(in);
            std::fclose(out);
        }
        const double partMb = double(std::filesystem::file_size(part)) / 1e6;
        for (int threads : {1, 2}) {
            dataset::TokenCountOptions options;
            options.modelDir = modelDir;
            options.threads = threads;
            const auto t = Clock::now();
            const auto stats = dataset::countTokens(part, options);
            const double s = seconds(t);
            if (!stats.error.empty()) {
                std::printf("tokens: %s\n", stats.error.c_str());
                break;
            }
            std::printf("tokens, %d thread%s: %.1f MB, %llu examples, %llu tokens in %.2f s = "
                        "%.2f M tokens/s, %.1f MB/s (incl. loading the tokenizer)\n",
                        threads, threads == 1 ? "" : "s", partMb,
                        (unsigned long long)stats.tokens.size(),
                        (unsigned long long)stats.totalTokens, s,
                        double(stats.totalTokens) / s / 1e6, partMb / s);
        }
        compareEncoders(part, modelDir);
        std::filesystem::remove(part);
    }
    if (generated && !keep)
        std::filesystem::remove(file);
    return 0;
}
