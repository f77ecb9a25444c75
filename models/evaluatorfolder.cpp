#include "evaluatorfolder.h"

#include <client/evaluators.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <array>
#include <cstring>

namespace models {

namespace {

constexpr qint64 kMaxArchiveInput = 64ll * 1024 * 1024;

bool skippedFolder(const QString &relative)
{
    static const QStringList skipped = {
        QStringLiteral(".git"),         QStringLiteral("__pycache__"),
        QStringLiteral(".venv"),        QStringLiteral("venv"),
        QStringLiteral("node_modules"), QStringLiteral(".mypy_cache"),
        QStringLiteral(".pytest_cache")};
    for (const QString &part : relative.split(QLatin1Char('/')))
        if (skipped.contains(part))
            return true;
    return false;
}

quint32 crc32(const QByteArray &data)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 c = 0xFFFFFFFFu;
    for (char ch : data)
        c = table[(c ^ quint8(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void appendLe32(QByteArray &out, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        out.append(char((v >> (8 * i)) & 0xFF));
}

//! gzip (RFC 1952) around the raw deflate stream inside qCompress's zlib output, so no
//! zlib development package is needed.
QByteArray gzip(const QByteArray &data)
{
    const QByteArray z = qCompress(data, 9); // 4-byte size, 2-byte header, deflate, adler32
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff", 10);
    out.append(z.mid(6, z.size() - 10));
    appendLe32(out, crc32(data));
    appendLe32(out, quint32(data.size() & 0xFFFFFFFF));
    return out;
}

void putOctal(char *field, int width, qint64 value)
{
    const QByteArray digits = QByteArray::number(value, 8).rightJustified(width - 1, '0');
    memcpy(field, digits.constData(), size_t(width - 1));
    field[width - 1] = '\0';
}

//! One ustar header; false when the name fits neither `name` nor `prefix`/`name`.
bool tarHeader(QByteArray &out, const QByteArray &path, qint64 size, qint64 mtime)
{
    std::array<char, 512> h{};
    QByteArray name = path, prefix;
    if (name.size() > 100) {
        qsizetype cut = -1;
        for (qsizetype i = 1; i < path.size() && i <= 155 && cut < 0; ++i)
            if (path[i] == '/' && path.size() - i - 1 <= 100)
                cut = i;
        if (cut < 0)
            return false;
        prefix = path.left(cut);
        name = path.mid(cut + 1);
    }
    memcpy(h.data(), name.constData(), size_t(name.size()));
    putOctal(h.data() + 100, 8, 0644);
    putOctal(h.data() + 108, 8, 0);
    putOctal(h.data() + 116, 8, 0);
    putOctal(h.data() + 124, 12, size);
    putOctal(h.data() + 136, 12, mtime);
    memset(h.data() + 148, ' ', 8);
    h[156] = '0';
    memcpy(h.data() + 257,
           "ustar\0"
           "00",
           8);
    memcpy(h.data() + 345, prefix.constData(), size_t(prefix.size()));
    unsigned sum = 0;
    for (char c : h)
        sum += quint8(c);
    const QByteArray digits = QByteArray::number(sum, 8).rightJustified(6, '0');
    memcpy(h.data() + 148, digits.constData(), 6);
    h[154] = '\0';
    h[155] = ' ';
    out.append(h.data(), 512);
    return true;
}

} // namespace

QStringList evaluatorFolderFiles(const QString &dir)
{
    QStringList files;
    const QDir root(dir);
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = root.relativeFilePath(it.next());
        if (!skippedFolder(QFileInfo(relative).path()))
            files << relative;
    }
    files.sort();
    return files;
}

QString guessEvaluatorEntryPoint(const QString &dir)
{
    static const QRegularExpression def(QStringLiteral("^def\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\("),
                                        QRegularExpression::MultilineOption);
    QString fallback;
    for (const QString &file : evaluatorFolderFiles(dir)) {
        if (!file.endsWith(QLatin1String(".py")))
            continue;
        QFile f(QDir(dir).filePath(file));
        if (!f.open(QIODevice::ReadOnly) || f.size() > 1024 * 1024)
            continue;
        const QString text = QString::fromUtf8(f.readAll());
        for (auto m = def.globalMatch(text); m.hasNext();) {
            const QString function = m.next().captured(1);
            if (function == QLatin1String("evaluate"))
                return file + QStringLiteral("::") + function;
            if (fallback.isEmpty() && (function.contains(QLatin1String("reward")) ||
                                       function.contains(QLatin1String("evaluate"))))
                fallback = file + QStringLiteral("::") + function;
        }
    }
    return fallback;
}

EntryPointPreview previewEvaluatorEntryPoint(const QString &dir, const QString &entryPoint)
{
    EntryPointPreview p;
    const auto parsed = client::parseEvaluatorEntryPoint(entryPoint);
    if (!parsed) {
        p.problem = QObject::tr("The entry point must read file.py::function or "
                                "module::function.");
        return p;
    }
    p.file = parsed->file;
    QFile f(QDir(dir).filePath(parsed->file));
    if (!f.open(QIODevice::ReadOnly)) {
        p.problem =
            QObject::tr("%1 is not in %2.").arg(parsed->file, QDir::toNativeSeparators(dir));
        return p;
    }
    const QStringList lines = QString::fromUtf8(f.read(1024 * 1024)).split(QLatin1Char('\n'));
    const QRegularExpression def(QStringLiteral("^\\s*(async\\s+)?def\\s+%1\\s*\\(")
                                     .arg(QRegularExpression::escape(parsed->function)));
    for (int i = 0; i < lines.size(); ++i) {
        if (!def.match(lines[i]).hasMatch())
            continue;
        p.ok = true;
        p.line = i + 1;
        p.excerpt = lines.mid(i, 14).join(QLatin1Char('\n'));
        if (!QFileInfo::exists(QDir(dir).filePath(client::evaluatorRequirementsFileName()))) {
            p.ok = false;
            // Said with what to do: a scorer needing no package still needs the (empty) file.
            p.problem =
                QObject::tr("%1 has no %2, which the platform's build installs the "
                            "code's packages from: add one (empty when the code needs "
                            "only Python's standard library).")
                    .arg(QDir::toNativeSeparators(dir), client::evaluatorRequirementsFileName());
        }
        return p;
    }
    p.problem = QObject::tr("%1 defines no function %2.").arg(parsed->file, parsed->function);
    return p;
}

bool writeEvaluatorArchive(const QString &dir, const QString &archivePath, QString *error)
{
    QByteArray tar;
    qint64 total = 0;
    const QDir root(dir);
    for (const QString &file : evaluatorFolderFiles(dir)) {
        QFile f(root.filePath(file));
        total += f.size();
        if (total > kMaxArchiveInput) {
            *error = QObject::tr("The folder holds more than 64 MiB; an evaluator's code "
                                 "should be small (leave data sets out).");
            return false;
        }
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QObject::tr("Cannot read %1: %2").arg(file, f.errorString());
            return false;
        }
        const QByteArray data = f.readAll();
        if (!tarHeader(tar, file.toUtf8(), data.size(),
                       QFileInfo(f).lastModified().toSecsSinceEpoch())) {
            *error = QObject::tr("The path %1 is too long for a tar archive.").arg(file);
            return false;
        }
        tar.append(data);
        tar.append(QByteArray((512 - data.size() % 512) % 512, '\0'));
    }
    tar.append(QByteArray(1024, '\0')); // two empty blocks end the archive
    QSaveFile out(archivePath);
    if (!out.open(QIODevice::WriteOnly) || out.write(gzip(tar)) < 0 || !out.commit()) {
        *error = QObject::tr("Cannot write %1: %2").arg(archivePath, out.errorString());
        return false;
    }
    return true;
}

} // namespace models
