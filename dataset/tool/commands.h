#pragma once

// The commands of firedeck-dataset; each returns the process exit status
// (0 accepted / done, 1 not accepted / failed, 2 usage error).

#include <dataset/recordreader.h>

#include <optional>
#include <string>

namespace firedeckdataset {

//! The CSV columns named on the command line (--csv-prompt, --csv-completion, --csv-system).
struct CsvColumnsGiven
{
    std::optional<std::string> prompt, completion, system;
};
//! For a file read as CSV: the columns its header most likely means (question → user, answer
//! → assistant, as the wizard guesses them), the ones given on the command line kept. Any
//! other file: the defaults with the given ones.
dataset::CsvMapping csvMappingFor(const std::string &file, dataset::SourceKind source,
                                  const CsvColumnsGiven &given);

const char *usage();
int check(int argc, char **argv);
int clean(int argc, char **argv);

} // namespace firedeckdataset
