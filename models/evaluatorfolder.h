#pragma once

// An evaluator's code folder on disk: its files, a preview of the entry point the platform
// will call, and the gzip'd tar the upload sends (platform-api.md §4.3).

#include <QString>
#include <QStringList>

namespace models {

//! Files of the folder, relative and sorted; caches and VCS folders (.git, __pycache__,
//! .venv, venv, node_modules) are left out, as they are from the archive.
QStringList evaluatorFolderFiles(const QString &dir);
//! A first guess at the entry point: the first Python file defining `evaluate` (or any
//! function with "reward" or "evaluate" in its name), as `file.py::function`; empty if none.
QString guessEvaluatorEntryPoint(const QString &dir);

//! What the entry point names, read from the folder.
struct EntryPointPreview
{
    bool ok = false;
    QString file;    //!< relative path of the entry file
    int line = 0;    //!< 1-based line of the function's `def`
    QString excerpt; //!< the function's first lines
    QString problem; //!< why it is not usable (ok == false)
};
EntryPointPreview previewEvaluatorEntryPoint(const QString &dir, const QString &entryPoint);

//! Writes the folder's files (evaluatorFolderFiles) as a gzip'd ustar archive to
//! `archivePath`. False with a message when the folder is too large (> 64 MiB), a path does
//! not fit a tar header, or a file cannot be read.
bool writeEvaluatorArchive(const QString &dir, const QString &archivePath, QString *error);

} // namespace models
