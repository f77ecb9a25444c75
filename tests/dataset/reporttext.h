#pragma once

// For the dataset library's GoogleTest suites: a file read whole, and a report's problems as
// one line each (rule, line, field, message), which a failed expectation prints.

#include <dataset/validator.h>

#include <fstream>
#include <sstream>
#include <string>

namespace datasettest {

inline std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string describe(const dataset::FileReport &r)
{
    std::string s;
    for (const auto &p : r.problems)
        s += std::string(dataset::ruleId(p.rule)) + " line " + std::to_string(p.line) + " " +
             p.field + ": " + p.message + "\n";
    return s;
}

} // namespace datasettest
