// firedeck-engine bench: load, prefill and decode timings of one model on one backend, beside
// the machine's memory bandwidth (the ceiling of memory-bound decode).

#include "toolcommon.h"

#include <engine/cpu/cpubackend.h>
#include <engine/model/model.h>
#include <engine/model/modelfolder.h>
#include <engine/session/session.h>

#if ENGINE_HAVE_CUDA
#include <engine/cuda/cudadevice.h>
#endif

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace engine;

namespace enginetool {

namespace {

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

} // namespace

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
    if (std::string why = whyNotAModelFolder(dir, {"DIR", "", false}); !why.empty())
        return fail(why);
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

} // namespace enginetool
