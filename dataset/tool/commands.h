#pragma once

// The commands of firedeck-dataset; each returns the process exit status
// (0 accepted / done, 1 not accepted / failed, 2 usage error).

namespace firedeckdataset {

const char *usage();
int check(int argc, char **argv);
int clean(int argc, char **argv);

} // namespace firedeckdataset
