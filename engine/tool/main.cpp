// firedeck-engine: command-line front end of the local inference engine.
//   chat DIR [--backend auto|cpu|cuda] [--adapter DIR] [--temperature T] [--top-p P] [--top-k K]
//        [--max-tokens N] [--seed S]
//   tokenize DIR | detokenize DIR | template DIR
//   bench DIR [--backend auto|cpu|cuda] [--prompt-tokens 16] [--new-tokens 256] [--context N]
//         [--threads N] [--bandwidth-mib 2048]
//   make-random-model CONFIG_DIR OUT_DIR [--dtype bf16|f16|f32] [--seed S]
//   eval-logits DIR --tokens 1,2,3 --out FILE [--greedy N] [--backend auto|cpu|cuda]
//   serve MODEL_DIR [--lora DIR] [--port N] [--host H] [--api-key K] [--backend auto|cpu|cuda]
//         (the local OpenAI-compatible server; only in builds with Qt)
// Errors are one line on stderr and a non-zero exit status.

#include <engine/cpu/cpubackend.h>
#include <engine/model/loraadapter.h>
#include <engine/model/model.h>
#include <engine/model/randommodel.h>
#include <engine/session/backendselector.h>
#include <engine/session/session.h>

#if ENGINE_HAVE_CUDA
#include <engine/cuda/cudadevice.h>
#endif

#include <engine/jinja/chattemplate.h>
#include <engine/host/server/servecommand.h>
#include <engine/tokenizer/tokenizer.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <firedeck/version.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

using namespace engine;

namespace {

using Clock = std::chrono::steady_clock;

int fail(const std::string &message)
{
    std::fprintf(stderr, "firedeck-engine: %s\n", message.c_str());
    return 1;
}

int fail(const Error &e)
{
    return fail(e.message);
}

struct Args
{
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    std::string error;
};

Args parseArgs(int argc, char **argv, int first)
{
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string s = argv[i];
        if (s.rfind("--", 0) == 0) {
            if (i + 1 >= argc) {
                a.error = "option " + s + " needs a value";
                return a;
            }
            a.options[s.substr(2)] = argv[++i];
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

bool numberOption(const Args &a, const std::string &name, double &out, std::string &error)
{
    auto it = a.options.find(name);
    if (it == a.options.end())
        return true;
    char *end = nullptr;
    out = std::strtod(it->second.c_str(), &end);
    if (!end || *end != '\0' || it->second.empty()) {
        error = "--" + name + " expects a number, got '" + it->second + "'";
        return false;
    }
    return true;
}

[[maybe_unused]] std::string readStdin()
{
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Multi-threaded streaming read over a buffer far larger than the last-level cache: the
// machine's achievable read bandwidth, the ceiling for memory-bound decode.
double measureBandwidthGBs(cpu::ThreadPool &pool, std::size_t bytes)
{
    const std::size_t n = bytes / sizeof(float);
    std::vector<float> buf(n);
    pool.parallelFor(static_cast<int64_t>(n), [&](int64_t b, int64_t e, int) {
        for (int64_t i = b; i < e; ++i)
            buf[static_cast<std::size_t>(i)] = static_cast<float>(i & 7);
    });
    // Each block is dotted with itself: one memory stream (the second operand hits L1), read
    // with the same vector code as the decode kernels.
    const auto &k = cpu::bestDotKernels();
    const std::size_t block = 1 << 14;
    double best = 0;
    std::vector<double> sinks(static_cast<std::size_t>(pool.size()));
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = Clock::now();
        pool.parallelFor(static_cast<int64_t>(n / block), [&](int64_t b, int64_t e, int t) {
            double s = 0;
            for (int64_t blk = b; blk < e; ++blk) {
                const float *p = buf.data() + blk * static_cast<int64_t>(block);
                s += k.f32(p, p, static_cast<int64_t>(block));
            }
            sinks[static_cast<std::size_t>(t)] += s;
        });
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::max(best, double((n / block) * block * sizeof(float)) / sec / 1e9);
    }
    if (sinks[0] == -1.0)
        std::printf(" ");
    return best;
}

// The backend named by --backend (auto when absent), with the selector's reason.
Result<BackendSelection> backendFromArgs(const Args &a, std::shared_ptr<const Model> model,
                                         int64_t context, int threads)
{
    BackendRequest request;
    request.contextLength = context;
    request.threads = threads;
    if (auto it = a.options.find("backend"); it != a.options.end()) {
        auto kind = parseBackendKind(it->second);
        if (!kind)
            return makeError(Error::Code::InvalidArgument, "--" + kind.error().message);
        request.kind = *kind;
    }
    return selectBackend(std::move(model), request);
}

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

int cmdBench(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine bench DIR [--backend auto|cpu|cuda] [--prompt-tokens "
                    "16] [--new-tokens 256] [--depth N] [--threads N] [--bandwidth-mib 2048]");
    double promptTokens = 16, newTokens = 256, threads = 0, bwMiB = 2048, context = 0;
    std::string err;
    if (!numberOption(a, "prompt-tokens", promptTokens, err) ||
        !numberOption(a, "new-tokens", newTokens, err) ||
        !numberOption(a, "threads", threads, err) ||
        !numberOption(a, "bandwidth-mib", bwMiB, err) ||
        !numberOption(a, "context", context, err) || !numberOption(a, "depth", context, err))
        return fail(err);
    if (promptTokens < 1 || newTokens < 1 || context < 0)
        return fail("--prompt-tokens and --new-tokens must be at least 1");
    // --depth N (older name --context N): decode with N positions already in the cache (the
    // prompt is N tokens, prefilled and timed as usual).
    if (context > 0)
        promptTokens = context;
    const std::string dir = a.positional[0];
    const auto t0 = Clock::now();
    auto model = Model::load(dir);
    if (!model)
        return fail(model.error());
    const double loadMs = secondsSince(t0) * 1000.0;
    const ModelConfig &c = model.value()->config();
    const int64_t ctx = static_cast<int64_t>(promptTokens + newTokens) + 1;
    auto estimate = estimateMemory(c, model.value()->weightDType(), ctx);
    const auto tb = Clock::now();
    auto selection = backendFromArgs(a, model.value(), ctx, static_cast<int>(threads));
    if (!selection)
        return fail(selection.error());
    const double backendMs = secondsSince(tb) * 1000.0;
    Backend &b = *selection->backend;
    auto *cpuBackend = dynamic_cast<cpu::CpuBackend *>(&b);
    std::printf("model            %s (%s, %s weights, %lld layers, hidden %lld, vocab %lld)\n",
                dir.c_str(), architectureName(c.arch), dtypeName(model.value()->weightDType()),
                (long long)c.numLayers, (long long)c.hiddenSize, (long long)c.vocabSize);
    std::printf("backend          %s (%s)\n", b.name(), selection->reason.c_str());
    if (cpuBackend)
        std::printf("threads          %d (kernels: %s; KV cache %s; prefill GEMM activations %s)\n",
                    cpuBackend->threads(), cpuBackend->isa(), dtypeName(cpuBackend->kvDType()),
                    cpuBackend->bf16Activations() ? "bf16" : "fp32");
    std::printf("memory estimate  %.1f MiB (weights %.1f, KV %.1f, activations %.1f; CPU layout)\n",
                estimate.total() / 1048576.0, estimate.weightBytes / 1048576.0,
                estimate.kvCacheBytes / 1048576.0, estimate.activationBytes / 1048576.0);
    std::printf("load time        %.1f ms (mmap) + %.1f ms backend setup%s\n", loadMs, backendMs,
                cpuBackend ? "" : " (weights uploaded)");

    std::vector<int32_t> prompt(static_cast<std::size_t>(promptTokens));
    for (std::size_t i = 0; i < prompt.size(); ++i)
        prompt[i] = static_cast<int32_t>((i * 7919 + 13) % static_cast<std::size_t>(c.vocabSize));
    std::vector<float> logits(static_cast<std::size_t>(c.vocabSize));
    const bool device = b.samplesOnDevice();
    SamplingParams greedy;
    greedy.temperature = 0;
    // Warm-up: touches every weight page (CPU) or captures the decode graph and loads the
    // cuBLAS kernels (CUDA), so the timings below measure steady state.
    if (auto r = b.forward(
            std::span<const int32_t>(prompt.data(), std::min<std::size_t>(prompt.size(), 8)), 0,
            logits.data(), false);
        !r)
        return fail(r.error());
    if (device) {
        if (auto r = b.resetSampler(greedy, prompt, 0); !r)
            return fail(r.error());
        for (int64_t p = 0; p < 3; ++p)
            if (auto r = b.sampleNext(prompt[0], p); !r)
                return fail(r.error());
    }
    // Prefill and time to first token (prefill + picking the first token).
    const auto tp = Clock::now();
    int32_t next = 0;
    if (device) {
        if (auto r = b.resetSampler(greedy, prompt, 0); !r)
            return fail(r.error());
        if (auto r = b.forward(prompt, 0, nullptr, false); !r)
            return fail(r.error());
    } else if (auto r = b.forward(prompt, 0, logits.data(), false); !r) {
        return fail(r.error());
    }
    const double prefillS = secondsSince(tp);
    if (device) {
        auto first = b.sampleNext(-1, 0);
        if (!first)
            return fail(first.error());
        next = first->id;
    } else {
        next =
            static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    }
    const double ttftS = secondsSince(tp);
    int64_t pos = static_cast<int64_t>(prompt.size());
    const int64_t steps = static_cast<int64_t>(newTokens);
    const auto td = Clock::now();
    for (int64_t s = 0; s < steps; ++s) {
        if (device) {
            auto r = b.sampleNext(next, pos++);
            if (!r)
                return fail(r.error());
            next = r->id;
        } else {
            if (auto r = b.forward(std::span<const int32_t>(&next, 1), pos++, logits.data(), false);
                !r)
                return fail(r.error());
            next = static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) -
                                        logits.begin());
        }
    }
    const double decodeS = secondsSince(td);
    const double decodeTps = steps / decodeS;
    // Bytes read per decoded token: every matrix (incl. output layer) once, one embedding row,
    // and the K/V of every earlier position (average over the run; the CPU cache's dtype, bf16
    // on the GPU).
    const double kvElem = cpuBackend ? double(dtypeSize(cpuBackend->kvDType())) : 2.0;
    const double avgPos = promptTokens + newTokens / 2.0;
    const double kvBytes = 2.0 * c.numLayers * c.numKvHeads * c.headDim * kvElem * avgPos;
    const double bytesPerToken = double(model.value()->weightBytesPerToken()) + kvBytes;
    const double effective = bytesPerToken * decodeTps / 1e9;
    double bandwidth = 0;
    std::string bandwidthHow;
    if (cpuBackend) {
        bandwidth = measureBandwidthGBs(cpuBackend->pool(), static_cast<std::size_t>(bwMiB) << 20);
        char text[96];
        std::snprintf(text, sizeof text, "multi-threaded streaming read of %.0f MiB", bwMiB);
        bandwidthHow = text;
    }
#if ENGINE_HAVE_CUDA
    else {
        auto bw = cuda::measureDeviceCopyBandwidth(static_cast<std::size_t>(bwMiB) << 20);
        if (!bw)
            return fail(bw.error());
        bandwidth = *bw / 1e9;
        char text[128];
        std::snprintf(text, sizeof text,
                      "device-to-device copy of %.0f MiB, read + write bytes, best of 20", bwMiB);
        bandwidthHow = text;
    }
#endif
    std::printf("prefill          %lld tokens, %.1f tok/s (%.2f ms)\n", (long long)prompt.size(),
                prompt.size() / prefillS, prefillS * 1000.0);
    std::printf("time to first token %.2f ms (%lld-token prompt)\n", ttftS * 1000.0,
                (long long)prompt.size());
    std::printf("decode           %lld tokens, %.2f tok/s (%.3f ms/token) from position %lld\n",
                (long long)steps, decodeTps, 1000.0 / decodeTps, (long long)prompt.size());
    std::printf("bytes per token  %.1f MiB (weights %.1f MiB + KV %.2f MiB)\n",
                bytesPerToken / 1048576.0, model.value()->weightBytesPerToken() / 1048576.0,
                kvBytes / 1048576.0);
    std::printf("effective        %.2f GB/s\n", effective);
    std::printf("memory bandwidth %.2f GB/s (%s)\n", bandwidth, bandwidthHow.c_str());
    std::printf("roofline         %.1f tok/s (bandwidth / bytes per token)\n",
                bandwidth * 1e9 / bytesPerToken);
    std::printf("fraction         %.0f%%\n", 100.0 * effective / bandwidth);
    return 0;
}

// eval-logits: the logits of every prompt position (raw little-endian f32 [positions][vocab]
// to --out) and the greedy continuation (JSON on stdout), for comparisons with transformers
// (tests/engine/gpu/compare_transformers.py).
int cmdEvalLogits(const Args &a)
{
    if (a.positional.size() != 1 || !a.options.count("tokens") || !a.options.count("out"))
        return fail("usage: firedeck-engine eval-logits DIR --tokens 1,2,3 --out FILE "
                    "[--greedy N] [--backend auto|cpu|cuda] [--threads N]");
    std::vector<int32_t> prompt;
    const std::string &list = a.options.at("tokens");
    for (std::size_t at = 0; at < list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        char *end = nullptr;
        const long v = std::strtol(list.c_str() + at, &end, 10);
        if (end != list.c_str() + comma)
            return fail("--tokens expects comma-separated ids, got '" + list + "'");
        prompt.push_back(static_cast<int32_t>(v));
        at = comma + 1;
    }
    double greedySteps = 0, threads = 0;
    std::string err;
    if (!numberOption(a, "greedy", greedySteps, err) || !numberOption(a, "threads", threads, err))
        return fail(err);
    auto model = Model::load(a.positional[0]);
    if (!model)
        return fail(model.error());
    const int64_t vocab = model.value()->config().vocabSize;
    const int64_t ctx = static_cast<int64_t>(prompt.size() + greedySteps) + 1;
    auto selection = backendFromArgs(a, model.value(), ctx, static_cast<int>(threads));
    if (!selection)
        return fail(selection.error());
    Backend &b = *selection->backend;
    std::vector<float> logits(prompt.size() * static_cast<std::size_t>(vocab));
    if (auto r = b.forward(prompt, 0, logits.data(), true); !r)
        return fail(r.error());
    FILE *f = std::fopen(a.options.at("out").c_str(), "wb");
    if (!f || std::fwrite(logits.data(), sizeof(float), logits.size(), f) != logits.size())
        return fail("cannot write " + a.options.at("out"));
    std::fclose(f);
    std::vector<float> last(logits.end() - vocab, logits.end());
    nlohmann::json greedy = nlohmann::json::array();
    int64_t pos = static_cast<int64_t>(prompt.size());
    for (int64_t s = 0; s < static_cast<int64_t>(greedySteps); ++s) {
        const int32_t next =
            static_cast<int32_t>(std::max_element(last.begin(), last.end()) - last.begin());
        greedy.push_back(next);
        if (auto r = b.forward(std::span<const int32_t>(&next, 1), pos++, last.data(), false); !r)
            return fail(r.error());
    }
    nlohmann::json out = {{"backend", b.name()},
                          {"reason", selection->reason},
                          {"positions", prompt.size()},
                          {"vocab", vocab},
                          {"greedy", greedy}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

int cmdMakeRandomModel(const Args &a)
{
    if (a.positional.size() != 2)
        return fail("usage: firedeck-engine make-random-model CONFIG_DIR OUT_DIR [--dtype "
                    "bf16|f16|f32] [--seed S]");
    const std::string dtypeName = a.options.count("dtype") ? a.options.at("dtype") : "bf16";
    DType dtype;
    if (dtypeName == "bf16")
        dtype = DType::BF16;
    else if (dtypeName == "f16")
        dtype = DType::F16;
    else if (dtypeName == "f32")
        dtype = DType::F32;
    else
        return fail("--dtype must be bf16, f16 or f32, got '" + dtypeName + "'");
    double seed = 1;
    std::string err;
    if (!numberOption(a, "seed", seed, err))
        return fail(err);
    auto cfg = readTextFile(a.positional[0] + "/config.json");
    if (!cfg)
        return fail(cfg.error());
    if (auto r = writeRandomModel(cfg.value(), a.positional[1], dtype, static_cast<uint64_t>(seed));
        !r)
        return fail(r.error());
    std::printf("wrote %s/model.safetensors\n", a.positional[1].c_str());
    return 0;
}

class DetokenizerStream : public TokenTextStream
{
public:
    explicit DetokenizerStream(std::shared_ptr<const Tokenizer> t) : m_detok(std::move(t)) {}
    std::string push(int32_t id) override { return m_detok.push(id); }
    std::string finish() override { return m_detok.finish(); }

private:
    StreamingDetokenizer m_detok;
};

int cmdTokenize(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine tokenize DIR < text");
    auto tok = Tokenizer::load(a.positional[0]);
    if (!tok)
        return fail(tok.error());
    const bool special =
        !(a.options.count("add-special-tokens") && a.options.at("add-special-tokens") == "false");
    std::printf("%s\n", nlohmann::json(tok.value()->encode(readStdin(), special)).dump().c_str());
    return 0;
}

int cmdDetokenize(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine detokenize DIR < [ids]");
    auto tok = Tokenizer::load(a.positional[0]);
    if (!tok)
        return fail(tok.error());
    auto j = nlohmann::json::parse(readStdin(), nullptr, false);
    if (j.is_discarded() || !j.is_array())
        return fail("stdin: expected a JSON array of token ids");
    std::vector<int32_t> ids;
    for (const auto &v : j) {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 ||
            v.get<int64_t>() >= tok.value()->vocabSize())
            return fail("stdin: " + v.dump() + " is not a token id (0.." +
                        std::to_string(tok.value()->vocabSize() - 1) + ")");
        ids.push_back(static_cast<int32_t>(v.get<int64_t>()));
    }
    std::fwrite(tok.value()->decode(ids).data(), 1, tok.value()->decode(ids).size(), stdout);
    return 0;
}

int cmdTemplate(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine template DIR < conversation.json");
    auto tmpl = ChatTemplate::load(a.positional[0]);
    if (!tmpl)
        return fail(tmpl.error());
    auto j = nlohmann::ordered_json::parse(readStdin(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("messages") || !j["messages"].is_array())
        return fail("stdin: expected {\"messages\": [...], \"tools\": [...], "
                    "\"add_generation_prompt\": true}");
    const nlohmann::ordered_json tools =
        j.contains("tools") ? j["tools"] : nlohmann::ordered_json();
    const bool addGen = !j.contains("add_generation_prompt") ||
                        !j["add_generation_prompt"].is_boolean() ||
                        j["add_generation_prompt"].get<bool>();
    auto out = tmpl->apply(j["messages"], tools, addGen);
    if (!out)
        return fail(out.error());
    std::fwrite(out->data(), 1, out->size(), stdout);
    return 0;
}

std::atomic<bool> g_cancel{false};

int cmdChat(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine chat DIR [--backend auto|cpu|cuda] [--adapter DIR] "
                    "[--temperature T] [--top-p P] "
                    "[--top-k K] "
                    "[--max-tokens N] [--seed S] [--threads N] [--context N]");
    const std::string dir = a.positional[0];
    auto model = Model::load(dir);
    if (!model)
        return fail(model.error());
    auto tok = Tokenizer::load(dir);
    if (!tok)
        return fail(tok.error());
    const GenerationDefaults &d = model.value()->defaults();
    // fireworks.json's conversation_config template wins over tokenizer_config.json's.
    auto tmpl = d.chatTemplate.empty()
                    ? ChatTemplate::load(dir)
                    : ChatTemplate::fromSource(
                          d.chatTemplate, d.bosToken.empty() ? tok.value()->bosToken() : d.bosToken,
                          d.eosToken.empty() ? tok.value()->eosToken() : d.eosToken);
    if (!tmpl)
        return fail(tmpl.error());
    GenerationRequest req = requestFromDefaults(d);
    double temperature = req.sampling.temperature, topP = req.sampling.topP,
           topK = req.sampling.topK, maxTokens = static_cast<double>(req.maxTokens), seed = 0,
           threads = 0, context = 0;
    std::string err;
    if (!numberOption(a, "temperature", temperature, err) || !numberOption(a, "top-p", topP, err) ||
        !numberOption(a, "top-k", topK, err) || !numberOption(a, "max-tokens", maxTokens, err) ||
        !numberOption(a, "seed", seed, err) || !numberOption(a, "threads", threads, err) ||
        !numberOption(a, "context", context, err))
        return fail(err);
    req.sampling.temperature = static_cast<float>(temperature);
    req.sampling.topP = static_cast<float>(topP);
    req.sampling.topK = static_cast<int32_t>(topK);
    req.sampling.seed = static_cast<uint64_t>(seed);
    req.maxTokens = static_cast<int64_t>(maxTokens);
    if (auto eos = tok.value()->eosId())
        req.stopTokenIds.push_back(*eos);
    auto selection =
        backendFromArgs(a, model.value(), static_cast<int64_t>(context), static_cast<int>(threads));
    if (!selection)
        return fail(selection.error());
    std::fprintf(stderr, "firedeck-engine chat: %s backend (%s)\n", selection->backend->name(),
                 selection->reason.c_str());
    auto session = std::make_unique<Session>(std::move(selection->backend));
    if (a.options.count("adapter")) {
        auto adapter = LoraAdapter::load(a.options.at("adapter"), model.value()->config());
        if (!adapter)
            return fail(adapter.error());
        if (auto r = session->attachAdapter(adapter.value()); !r)
            return fail(r.error());
        // An adapter's fireworks.json defaults override the base model's.
        const GenerationDefaults &ad = adapter.value()->fireworksDefaults();
        if (ad.temperature || ad.topP || ad.topK || ad.maxTokens || !ad.stop.empty()) {
            const GenerationRequest fromAdapter = requestFromDefaults(ad);
            if (ad.temperature && !a.options.count("temperature"))
                req.sampling.temperature = fromAdapter.sampling.temperature;
            if (ad.topP && !a.options.count("top-p"))
                req.sampling.topP = fromAdapter.sampling.topP;
            if (ad.topK && !a.options.count("top-k"))
                req.sampling.topK = fromAdapter.sampling.topK;
            if (ad.maxTokens && !a.options.count("max-tokens"))
                req.maxTokens = fromAdapter.maxTokens;
            if (!ad.stop.empty())
                req.stop = ad.stop;
        }
    }
    std::signal(SIGINT, [](int) { g_cancel = true; });
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    if (!d.systemPrompt.empty())
        messages.push_back({{"role", "system"}, {"content", d.systemPrompt}});
    const auto initial = messages;
    std::string line;
    std::fprintf(stderr, "firedeck-engine chat: %s. /reset clears the conversation, /quit exits.\n",
                 dir.c_str());
    while (std::fputs("> ", stderr), std::getline(std::cin, line)) {
        if (line == "/quit")
            break;
        if (line == "/reset") {
            messages = initial;
            continue;
        }
        if (line.empty())
            continue;
        messages.push_back({{"role", "user"}, {"content", line}});
        auto prompt = tmpl->apply(messages, nlohmann::ordered_json(), true);
        if (!prompt) {
            fail(prompt.error());
            messages.erase(messages.end() - 1);
            continue;
        }
        const std::vector<int32_t> ids = tok.value()->encode(prompt.value(), false);
        if (auto fits = checkPromptFitsModel(ids, *tok.value(), model.value()->config().vocabSize);
            !fits) {
            fail(fits.error());
            messages.erase(messages.end() - 1);
            continue;
        }
        g_cancel = false;
        auto shared = tok.value();
        auto result = session->generate(
            ids, req,
            [](const StreamEvent &e) {
                std::fwrite(e.text.data(), 1, e.text.size(), stdout);
                std::fflush(stdout);
            },
            &g_cancel, [shared] { return std::make_unique<DetokenizerStream>(shared); });
        if (!result) {
            fail(result.error());
            messages.erase(messages.end() - 1);
            continue;
        }
        const Choice &c = result->choices[0];
        std::printf("\n");
        std::fprintf(stderr,
                     "[%s, %lld prompt + %lld tokens, %.0f ms to first token, %.1f tok/s]\n",
                     finishReasonName(c.finishReason), (long long)result->usage.promptTokens,
                     (long long)result->usage.completionTokens, result->timings.timeToFirstTokenMs,
                     result->timings.decodeTokensPerSecond);
        messages.push_back({{"role", "assistant"}, {"content", c.text}});
    }
    return 0;
}

void usage()
{
    std::fprintf(
        stderr,
        "usage: firedeck-engine COMMAND ...\n"
        "  chat DIR [--backend auto|cpu|cuda] [--adapter DIR] [--temperature T] "
        "[--top-p P] [--top-k K] [--max-tokens N] [--seed S]\n"
        "  tokenize DIR            text on stdin -> JSON array of ids\n"
        "  detokenize DIR          JSON array of ids on stdin -> text\n"
        "  template DIR            "
        "{\"messages\":[...],\"tools\":[...],\"add_generation_prompt\":true} -> prompt\n"
        "  bench DIR [--backend auto|cpu|cuda] [--prompt-tokens 16] [--new-tokens 256] "
        "[--context N] [--threads N]\n"
        "  make-random-model CONFIG_DIR OUT_DIR [--dtype bf16|f16|f32] [--seed S]\n"
        "  eval-logits DIR --tokens 1,2,3 --out FILE [--greedy N] [--backend B]\n"
        "  serve MODEL_DIR [--lora DIR] [--port N] [--host H] [--api-key K] [--backend B]\n"
        "                          the local OpenAI-compatible server (127.0.0.1 unless --host)\n"
        "  --version               the version, and whether the CUDA backend is built in\n");
}

} // namespace

int run(int argc, char **argv);

int main(int argc, char **argv)
{
    // The engine reports errors as values; this only guards the tool's own JSON handling.
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        return fail(std::string("unexpected error: ") + e.what());
    }
}

int run(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    const std::string cmd = argv[1];
    if (cmd == "--version" || cmd == "version") {
        std::printf("firedeck-engine %s (CUDA backend %s)\n", FIREDECK_VERSION,
                    FIREDECK_ENGINE_CUDA ? "built in" : "not built in");
        return 0;
    }
    if (cmd == "serve") {
#if FIREDECK_ENGINE_SERVER
        return engineserver::runServeCommand(argc, argv);
#else
        return fail("this build has no server: firedeck-engine was built without Qt "
                    "(FIREDECK_ENGINE_ONLY); build Firedeck with Qt 6 for `serve`");
#endif
    }
    const Args args = parseArgs(argc, argv, 2);
    if (!args.error.empty())
        return fail(args.error);
    if (cmd == "bench") {
        if (args.options.count(
                "make-model")) { // bench --make-model CONFIG_DIR OUT_DIR --dtype bf16
            Args m = args;
            m.positional.insert(m.positional.begin(), args.options.at("make-model"));
            m.options.erase("make-model");
            return cmdMakeRandomModel(m);
        }
        return cmdBench(args);
    }
    if (cmd == "make-random-model")
        return cmdMakeRandomModel(args);
    if (cmd == "eval-logits")
        return cmdEvalLogits(args);
    if (cmd == "tokenize")
        return cmdTokenize(args);
    if (cmd == "detokenize")
        return cmdDetokenize(args);
    if (cmd == "template")
        return cmdTemplate(args);
    if (cmd == "chat")
        return cmdChat(args);
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        usage();
        return 0;
    }
    return fail("unknown command '" + cmd + "' (see firedeck-engine --help)");
}
