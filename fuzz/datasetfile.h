#pragma once

// The dataset validator reads files, so its fuzz targets write each input to a scratch file
// first (one per process, reused: libFuzzer runs inputs one after another).

#include <cstddef>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace fuzzing {

inline std::string scratchPath(const char *suffix)
{
    const char *tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/firedeck-fuzz-" + std::to_string(getpid()) +
           suffix;
}

inline bool writeFile(const std::string &path, const char *data, std::size_t size)
{
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        return false;
    const bool ok = std::fwrite(data, 1, size, f) == size;
    return std::fclose(f) == 0 && ok;
}

} // namespace fuzzing
