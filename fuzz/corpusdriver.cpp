// The corpus regression driver: a main() for the normal (gcc, no libFuzzer) build that feeds
// every file under the given files or folders to the target's LLVMFuzzerTestOneInput, so a
// finding saved to fuzz/corpus/<target>/ stays fixed. A crash, abort or sanitizer report fails
// the ctest that runs it.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char **argv)
{
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p(argv[i]);
        if (fs::is_directory(p)) {
            for (const auto &e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else if (fs::is_regular_file(p)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "corpus: %s is neither a file nor a folder\n", argv[i]);
            return 2;
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "corpus: no input files\n");
        return 2;
    }
    for (const fs::path &f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) {
            std::fprintf(stderr, "corpus: cannot read %s\n", f.c_str());
            return 2;
        }
        // Named before the call, so the log says which file crashed.
        std::fprintf(stderr, "corpus: %s (%zu bytes)\n", f.c_str(), bytes.size());
        // A copy in its own allocation, as libFuzzer gives it: ASan sees reads past the end.
        std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
        LLVMFuzzerTestOneInput(data.data(), data.size());
    }
    std::printf("corpus: %zu inputs ran\n", files.size());
    return 0;
}
