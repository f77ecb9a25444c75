// firedeck-dataset: the dataset wizard's checks without the GUI.
//
//   firedeck-dataset check FILE [--format F] [--eval FILE] [--model DIR] [--max-context N]
//                               [--epochs N] [--source jsonl|json|csv] [--csv-prompt COL]
//                               [--csv-completion COL] [--csv-system COL] [--max-problems N]
//                               [--json]
//
//   firedeck-dataset clean FILE [--out FILE] [--split random|last ...]   (see --help)
//
// Exit status: 0 when the platform would accept the file(s), 1 when not, 2 on usage errors.

#include "commands.h"

#include <cstdio>
#include <cstring>
#include <string>

#include <firedeck/version.h>

int main(int argc, char **argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(firedeckdataset::usage(), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    if (command == "--version") {
        std::printf("firedeck-dataset %s\n", FIREDECK_VERSION);
        return 0;
    }
    if (command == "check")
        return firedeckdataset::check(argc - 2, argv + 2);
    if (command == "clean")
        return firedeckdataset::clean(argc - 2, argv + 2);
    std::fprintf(stderr, "firedeck-dataset: unknown command '%s'\n\n%s", command.c_str(),
                 firedeckdataset::usage());
    return 2;
}
