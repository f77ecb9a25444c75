#pragma once

// The Local sandbox's "build" of an uploaded evaluator (platform-api.md §3.14, §4.3): it runs
// no code and installs nothing, but it refuses what the platform's build documents refusing
// (the training-prerequisites page's "Evaluator validation": the entry point function exists,
// the code's syntax is valid), with deterministic plain rules, so an evaluator can end
// BUILD_FAILED with the reason in its status. A missing requirements.txt (§4.3) is not refused
// here: eval-protocol and this app never upload without one, and the docs do not say the build
// refuses it. Nor are imports compared with requirements.txt: which module a distribution
// provides (scikit-learn gives sklearn, PyYAML gives yaml) is in its package metadata, and what
// the platform's build image has installed besides is not documented, so a plain rule would
// refuse code the platform builds.

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace sandbox {

//! Regular files of a gzip'd ustar archive by path ("./" stripped). False with a message when
//! the file is not a readable gzip'd tar.
bool readTarGz(const QString &path, QMap<QString, QByteArray> *files, QString *error);

//! A Python syntax error a plain scan can find: a bracket never closed, closed without being
//! opened or closed by the wrong kind, a string literal never ended, or indentation as
//! CPython's tokenizer checks it (IndentationError: unexpected indent, unindent does not match
//! any outer indentation level, expected an indented block after a header ending in ':';
//! TabError: tabs and spaces that order the levels differently with a tab as 8 columns and as
//! 1). Comments, strings, escapes, explicit line joins and newlines inside brackets are
//! honoured; nothing else of Python is checked. Empty when none, else the first problem in
//! CPython 3.11's words with the file and line: "SyntaxError: '(' was never closed (main.py,
//! line 4)", "IndentationError: unexpected indent (main.py, line 2)".
QString pythonSyntaxProblem(const QByteArray &source, const QString &fileName);

//! Why the build of an evaluator with `entryPoint` (path.py::function or module::function)
//! from these uploaded files fails; empty when it succeeds. A .tar.gz / .tgz file is unpacked
//! (eval-protocol and this app upload the code folder as one), any other file is code under its
//! own name. Checked in order: each archive readable; the entry file present; the function
//! defined in it; the entry file's syntax (pythonSyntaxProblem). An empty entry point checks
//! only the archives.
QString evaluatorBuildProblem(const QString &entryPoint, const QStringList &uploadedFiles);

} // namespace sandbox
