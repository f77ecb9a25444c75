#pragma once

// What every firedeck-engine command shares: its arguments, the one-line error on stderr, and
// the backend named by --backend.

#include <engine/session/backendselector.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace enginetool {

using Clock = std::chrono::steady_clock;

//! Prints "firedeck-engine: MESSAGE" on stderr; the command's exit status (1).
int fail(const std::string &message);
int fail(const engine::Error &e);

struct Args
{
    std::vector<std::string> positional;
    std::map<std::string, std::string> options; //!< "--name value", without the dashes
    std::string error;                          //!< an option without its value
};

Args parseArgs(int argc, char **argv, int first);
//! Reads --`name` into `out` when given; false with `error` set when it is not a number.
bool numberOption(const Args &a, const std::string &name, double &out, std::string &error);
std::string readStdin();
double secondsSince(Clock::time_point t);
//! The backend named by --backend (auto when absent), with the selector's reason.
engine::Result<engine::BackendSelection>
backendFromArgs(const Args &a, std::shared_ptr<const engine::Model> model, int64_t context,
                int threads);

// The commands; each returns the process's exit status.
int cmdBench(const Args &a);
int cmdEvalLogits(const Args &a);
int cmdMakeRandomModel(const Args &a);
int cmdTokenize(const Args &a);
int cmdDetokenize(const Args &a);
int cmdTemplate(const Args &a);
int cmdChat(const Args &a);

} // namespace enginetool
