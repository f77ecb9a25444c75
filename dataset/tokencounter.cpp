#include "tokencounter.h"

#include "validator.h"

#include <engine/jinja/chattemplate.h>
#include <engine/tokenizer/tokenizer.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace dataset {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kBatchRecords = 64;
constexpr uint64_t kOwnTokenizerBytes = 64ull << 20;

struct Batch
{
    uint64_t index = 0;
    std::string bytes; // the records, back to back
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    std::vector<uint64_t> lines;
    std::vector<uint64_t> rows;
    std::vector<uint64_t> offsets;
    std::vector<int64_t> counts; // -1: not counted (errors[i] says why)
    std::vector<std::string> errors;
};

class Counter
{
public:
    Counter(Format format, const engine::ChatTemplate &tmpl, const engine::Tokenizer &tokenizer)
        : m_format(format), m_template(tmpl), m_tokenizer(tokenizer)
    {}

    int64_t count(std::string_view json, std::string &error) const
    {
        const Json row = Json::parse(json, nullptr, false);
        if (row.is_discarded() || !row.is_object()) {
            error = "the line is not a JSON object";
            return -1;
        }
        switch (m_format) {
        case Format::Dpo: {
            const Json *input = find(row, "input");
            const Json *prompt = input ? find(*input, "messages") : nullptr;
            if (!prompt || !prompt->is_array()) {
                error = "no 'input.messages' to count";
                return -1;
            }
            const Json tools = input->value("tools", Json());
            int64_t longest = -1;
            for (const char *key : {"preferred_output", "non_preferred_output"}) {
                const Json *answer = find(row, key);
                if (!answer || !answer->is_array()) {
                    error = std::string("no '") + key + "' to count";
                    return -1;
                }
                Json messages = *prompt;
                for (const Json &m : *answer)
                    messages.push_back(m);
                const int64_t n = render(messages, tools, false, error);
                if (n < 0)
                    return -1;
                longest = std::max(longest, n);
            }
            return longest;
        }
        case Format::Batch: {
            const Json *body = find(row, "body");
            const Json *messages = body ? find(*body, "messages") : nullptr;
            if (!messages || !messages->is_array()) {
                error = "no 'body.messages' to count";
                return -1;
            }
            return render(*messages, body->value("tools", Json()), true, error);
        }
        case Format::Rft:
        case Format::SftChat:
        case Format::SftVision:
        case Format::Unknown: {
            const Json *messages = find(row, "messages");
            if (!messages || !messages->is_array()) {
                error = "no 'messages' to count";
                return -1;
            }
            // An RFT row is a prompt: the model's answer starts after the generation prompt.
            return render(*messages, row.value("tools", Json()), m_format == Format::Rft, error);
        }
        }
        return -1;
    }

private:
    static const Json *find(const Json &o, const char *key)
    {
        const auto it = o.find(key);
        return it == o.end() ? nullptr : &*it;
    }

    int64_t render(const Json &messages, const Json &tools, bool generationPrompt,
                   std::string &error) const
    {
        const auto text =
            m_template.apply(messages, tools.is_array() ? tools : Json(), generationPrompt);
        if (!text) {
            error = "the chat template refused the example: " + text.error().message;
            return -1;
        }
        return int64_t(m_tokenizer.encode(*text, false).size());
    }

    Format m_format;
    const engine::ChatTemplate &m_template;
    const engine::Tokenizer &m_tokenizer;
};

int readContextLength(const std::string &modelDir)
{
    std::ifstream in(modelDir + "/config.json");
    if (!in)
        return 0;
    const nlohmann::json config = nlohmann::json::parse(in, nullptr, false);
    if (config.is_discarded() || !config.is_object())
        return 0;
    for (const char *key : {"max_position_embeddings", "max_sequence_length", "n_positions"}) {
        const auto it = config.find(key);
        if (it != config.end() && it->is_number_integer())
            return int(it->get<int64_t>());
    }
    return 0;
}

uint32_t percentile(const std::vector<uint32_t> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const std::size_t i = std::min(sorted.size() - 1, std::size_t(p * double(sorted.size() - 1)));
    return sorted[i];
}

} // namespace

std::vector<uint64_t> TokenStats::histogram(uint32_t binWidth) const
{
    if (binWidth == 0)
        binWidth = 1;
    std::vector<uint64_t> bins(maxTokens / binWidth + 1, 0);
    for (uint32_t n : tokens)
        ++bins[n / binWidth];
    return bins;
}

void TokenStats::compareWith(int limit, std::size_t maxListed)
{
    maxContext = std::max(0, limit);
    overLength = 0;
    longest.clear();
    if (maxContext == 0)
        return;
    for (std::size_t i = 0; i < tokens.size() && i < lines.size(); ++i) {
        if (tokens[i] <= uint32_t(maxContext))
            continue;
        ++overLength;
        if (longest.size() < maxListed)
            longest.push_back({lines[i], tokens[i], i < rows.size() ? rows[i] : 0});
    }
}

TokenStats countTokens(const std::string &path, const TokenCountOptions &options)
{
    TokenStats stats;
    const auto started = std::chrono::steady_clock::now();
    auto tokenizer = engine::Tokenizer::load(options.modelDir);
    if (!tokenizer) {
        stats.error =
            "cannot load the tokenizer of " + options.modelDir + ": " + tokenizer.error().message;
        return stats;
    }
    auto tmpl = engine::ChatTemplate::load(options.modelDir);
    if (!tmpl) {
        stats.error =
            "cannot load the chat template of " + options.modelDir + ": " + tmpl.error().message;
        return stats;
    }
    stats.modelContextLength = readContextLength(options.modelDir);
    stats.maxContext = options.maxContext > 0 ? options.maxContext : stats.modelContextLength;
    stats.format = options.format.value_or(Format::Unknown);
    if (!options.format)
        stats.format = sniffFormat(path, options.source, options.csv).format;

    RecordReader reader;
    if (!reader.open(path, options.source, options.csv, &stats.error))
        return stats;
    stats.bytes = reader.fileSize();

    const int threads = options.threads > 0 ? options.threads
                                            : std::max(1, int(std::thread::hardware_concurrency()));
    // Workers take batches from `todo` and put them into `done`; the reading thread keeps at
    // most 2 batches per worker in flight, so memory does not grow with the file.
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch> todo;
    std::map<uint64_t, Batch> done;
    bool closing = false;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            // Each worker renders with its own copy of the template (the interpreter keeps
            // per-render state; a copy costs nothing next to a file) and encodes with its own
            // tokenizer: engine::Tokenizer's word cache sits behind one mutex, and two threads
            // sharing it may encode no faster than one (bench_dataset measures both).
            const engine::ChatTemplate localTemplate = *tmpl;
            std::shared_ptr<const engine::Tokenizer> own = *tokenizer;
            // Loading a tokenizer takes about a second of CPU: worth it for big files only.
            if (t > 0 && stats.bytes > kOwnTokenizerBytes) {
                auto copy = engine::Tokenizer::load(options.modelDir);
                if (copy)
                    own = *copy;
            }
            const Counter counter(stats.format, localTemplate, *own);
            for (;;) {
                Batch batch;
                {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return closing || !todo.empty(); });
                    if (todo.empty())
                        return;
                    batch = std::move(todo.front());
                    todo.pop_front();
                }
                batch.counts.resize(batch.spans.size());
                batch.errors.resize(batch.spans.size());
                for (std::size_t i = 0; i < batch.spans.size(); ++i) {
                    if (options.cancel && options.cancel->load(std::memory_order_relaxed))
                        break;
                    const auto [start, size] = batch.spans[i];
                    batch.counts[i] = counter.count(
                        std::string_view(batch.bytes.data() + start, size), batch.errors[i]);
                }
                {
                    std::lock_guard lock(mutex);
                    done.emplace(batch.index, std::move(batch));
                }
                changed.notify_all();
            }
        });
    }

    uint64_t nextToMerge = 0;
    auto merge = [&](Batch &batch) {
        for (std::size_t i = 0; i < batch.counts.size(); ++i) {
            const int64_t n = batch.counts[i];
            if (n < 0) {
                ++stats.failed;
                if (stats.failures.size() < options.maxListed)
                    stats.failures.push_back({Rule::InvalidJson, batch.lines[i], batch.offsets[i],
                                              "", batch.errors[i], batch.rows[i]});
                continue;
            }
            const auto tokens = uint32_t(n);
            stats.tokens.push_back(tokens);
            stats.lines.push_back(batch.lines[i]);
            stats.rows.push_back(batch.rows[i]);
            stats.totalTokens += tokens;
            if (stats.maxContext > 0 && tokens > uint32_t(stats.maxContext)) {
                ++stats.overLength;
                if (stats.longest.size() < options.maxListed)
                    stats.longest.push_back({batch.lines[i], tokens, batch.rows[i]});
            }
        }
    };
    // Merges finished batches in file order; with `wait`, blocks until `keep` or fewer
    // batches are still out.
    auto drain = [&](std::size_t keep) {
        std::unique_lock lock(mutex);
        for (;;) {
            while (!done.empty() && done.begin()->first == nextToMerge) {
                Batch batch = std::move(done.begin()->second);
                done.erase(done.begin());
                ++nextToMerge;
                lock.unlock();
                merge(batch);
                lock.lock();
            }
            if (todo.size() + done.size() <= keep)
                return;
            changed.wait(lock);
        }
    };

    Batch batch;
    uint64_t batchIndex = 0;
    uint64_t nextProgress = 1u << 20;
    Record record;
    auto flush = [&] {
        if (batch.spans.empty())
            return;
        batch.index = batchIndex++;
        {
            std::lock_guard lock(mutex);
            todo.push_back(std::move(batch));
        }
        changed.notify_all();
        batch = Batch();
        drain(std::size_t(2 * threads));
    };
    while (reader.next(record)) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
            stats.cancelled = true;
            break;
        }
        std::string_view bytes(record.data, record.size);
        if (bytes.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        ++stats.examples;
        batch.spans.emplace_back(batch.bytes.size(), bytes.size());
        batch.bytes.append(bytes);
        batch.lines.push_back(record.line);
        batch.rows.push_back(record.row);
        batch.offsets.push_back(record.offset);
        if (batch.spans.size() == kBatchRecords)
            flush();
        if (options.progress && reader.bytesRead() >= nextProgress) {
            nextProgress = reader.bytesRead() + (1u << 20);
            options.progress(reader.bytesRead(), stats.bytes);
        }
    }
    if (!stats.cancelled)
        flush();
    {
        std::lock_guard lock(mutex);
        closing = true;
        if (stats.cancelled)
            todo.clear();
    }
    changed.notify_all();
    for (std::thread &w : workers)
        w.join();
    if (!stats.cancelled)
        drain(0);
    if (options.cancel && options.cancel->load())
        stats.cancelled = true;

    if (!stats.tokens.empty()) {
        std::vector<uint32_t> sorted = stats.tokens;
        std::sort(sorted.begin(), sorted.end());
        stats.minTokens = sorted.front();
        stats.maxTokens = sorted.back();
        stats.p50 = percentile(sorted, 0.50);
        stats.p95 = percentile(sorted, 0.95);
        stats.p99 = percentile(sorted, 0.99);
    }
    if (options.progress && !stats.cancelled)
        options.progress(stats.bytes, stats.bytes);
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return stats;
}

} // namespace dataset
