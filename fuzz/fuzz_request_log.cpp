// libFuzzer target for the local server's request log file (server-requests.jsonl, read back by
// models::ServerRequestLogModel::setFile at the next start; a crash may have torn its last line,
// and anything else may have written there). The bytes become the file (byte 0 odd: split at the
// first NUL into FILE.1, the older part, and FILE); then every row is shown in every column, and
// an entry read from the file must come back the same through toJsonLine / fromJsonLine.

#include <models/serverrequestlogmodel.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

//! What survives the round trip exactly (dates and large numbers may not: see below).
bool sameEntry(const engineserver::RequestLogEntry &a, const engineserver::RequestLogEntry &b)
{
    return a.status == b.status && a.client == b.client && a.method == b.method &&
           a.route == b.route && a.model == b.model && a.streamed == b.streamed &&
           a.finishReason == b.finishReason && a.error == b.error && a.id == b.id;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    static QTemporaryDir dir;
    if (!dir.isValid())
        std::abort();
    const QString path = dir.filePath(QStringLiteral("server-requests.jsonl"));
    QByteArray current(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QByteArray older;
    QFile::remove(path + QStringLiteral(".1"));
    if (data[0] & 1) {
        const qsizetype nul = current.indexOf('\0');
        if (nul >= 0) {
            older = current.left(nul);
            current = current.mid(nul + 1);
        }
        if (!writeFile(path + QStringLiteral(".1"), older))
            std::abort();
    }
    if (!writeFile(path, current))
        std::abort();

    models::ServerRequestLogModel model;
    if (!model.setFile(path))
        std::abort(); // a file it can read is always opened
    if (model.rowCount() > models::ServerRequestLogModel::kMaxRows || model.skippedLines() < 0)
        std::abort();
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column)
            for (const int role :
                 {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::TextAlignmentRole)})
                (void)model.data(model.index(row, column), role);
        const engineserver::RequestLogEntry *e = model.entry(row);
        if (!e || e->status == 0 || !e->received.isValid())
            std::abort(); // setFile keeps only entries that are ours
        const QByteArray line = models::ServerRequestLogModel::toJsonLine(*e);
        if (line.contains('\n'))
            std::abort(); // one entry, one line
        const auto again = models::ServerRequestLogModel::fromJsonLine(line);
        // A date past year 9999 after the move to UTC has no ISO form: such a line is skipped
        // at the next start, which is all that can happen to it.
        const int year = e->received.toUTC().date().year();
        if (!again && year >= 1 && year <= 9999)
            std::abort();
        if (again && !sameEntry(*e, *again))
            std::abort();
    }
    // Appending writes a line the next start reads back.
    if (model.rowCount() > 0) {
        const int before = model.rowCount();
        model.append(*model.entry(before - 1));
        models::ServerRequestLogModel reread;
        if (!reread.setFile(path) || reread.rowCount() < std::min(before, 1))
            std::abort();
    }
    return 0;
}
