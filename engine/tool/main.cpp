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

#include "toolcommon.h"

#include <engine/host/server/servecommand.h>

#include <cstdio>
#include <exception>
#include <string>

#include <firedeck/version.h>

using namespace enginetool;

namespace {

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
