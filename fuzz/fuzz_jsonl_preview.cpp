// libFuzzer target for the dataset preview (models::JsonlPreview::read: the first rows of a JSONL
// file the user picked, shown before an upload). Byte 0 is the number of rows asked for (0..63),
// the rest the file. Besides "no crash, no sanitizer report": at most that many rows (valid or
// not) are seen, each row or error names a line that was read, and the error summary is text.

#include <models/jsonlpreview.h>

#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("preview.jsonl"));
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(reinterpret_cast<const char *>(data + 1), qint64(size - 1)) != qint64(size - 1))
            std::abort();
    }
    const int maxRows = data[0] % 64;
    const models::JsonlPreview p = models::JsonlPreview::read(path, maxRows);
    if (!p.ioError.isEmpty() || p.rows.size() + p.errors.size() > maxRows)
        std::abort();
    for (const auto &row : p.rows)
        if (row.line < 1 || row.line > p.linesRead || row.json.isEmpty())
            std::abort();
    for (const auto &e : p.errors)
        if (e.line < 1 || e.line > p.linesRead || e.message.isEmpty())
            std::abort();
    if (!p.errors.isEmpty() && p.errorSummary().isEmpty())
        std::abort();
    return 0;
}
