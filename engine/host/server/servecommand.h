#pragma once

// `firedeck-engine serve MODEL_DIR [--lora DIR] [--port N] [--host H] [--api-key K]
// [--backend auto|cpu|cuda]`: the local OpenAI-compatible server without the GUI. This header
// is plain C++ so the Qt-free tool can include it; the tool calls it only when it was linked
// with engine_server (FIREDECK_ENGINE_SERVER).

namespace engineserver {

//! Runs the server until SIGINT or SIGTERM; argv[1] is "serve". Returns the exit status.
int runServeCommand(int argc, char **argv);

//! The port `serve` and the app's Serve switch use unless told otherwise.
constexpr int kDefaultPort = 8480;

} // namespace engineserver
