#include "toolcommon.h"

#include <engine/model/model.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>

using namespace engine;

namespace enginetool {

int fail(const std::string &message)
{
    std::fprintf(stderr, "firedeck-engine: %s\n", message.c_str());
    return 1;
}

int fail(const Error &e)
{
    return fail(e.message);
}

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

std::string readStdin()
{
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

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

} // namespace enginetool
