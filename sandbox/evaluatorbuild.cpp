#include "evaluatorbuild.h"

#include <QFile>
#include <QRegularExpression>

#include <cctype>
#include <cstring>
#include <optional>
#include <vector>

#include <zlib.h>

namespace sandbox {

namespace {

// An evaluator's code is small (the app refuses folders above 64 MiB); more than this
// unpacked is refused rather than held in memory.
constexpr qint64 kMaxUnpacked = 256ll * 1024 * 1024;

bool gunzip(const QByteArray &in, QByteArray *out, QString *error)
{
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        *error = QStringLiteral("cannot start gzip decoding");
        return false;
    }
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    z.avail_in = uInt(in.size());
    std::vector<char> chunk(1 << 16);
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef *>(chunk.data());
        z.avail_out = uInt(chunk.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            *error = QStringLiteral("not a gzip file (%1)")
                         .arg(QString::fromLatin1(z.msg ? z.msg : "truncated"));
            return false;
        }
        out->append(chunk.data(), qsizetype(chunk.size() - z.avail_out));
        if (out->size() > kMaxUnpacked) {
            inflateEnd(&z);
            *error = QStringLiteral("unpacks to more than 256 MiB");
            return false;
        }
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            inflateEnd(&z);
            *error = QStringLiteral("the gzip stream is truncated");
            return false;
        }
    }
    inflateEnd(&z);
    return true;
}

QByteArray cString(const char *field, int width)
{
    int n = 0;
    while (n < width && field[n] != '\0')
        ++n;
    return QByteArray(field, n);
}

qint64 octal(const char *field, int width)
{
    qint64 v = 0;
    for (int i = 0; i < width && field[i] != '\0'; ++i) {
        if (field[i] == ' ')
            continue;
        if (field[i] < '0' || field[i] > '7')
            return -1;
        v = v * 8 + (field[i] - '0');
    }
    return v;
}

//! The `path=` record of a pax extended header, or "".
QByteArray paxPath(const QByteArray &records)
{
    for (const QByteArray &line : records.split('\n')) {
        const qsizetype space = line.indexOf(' ');
        if (space > 0 && line.mid(space + 1).startsWith("path="))
            return line.mid(space + 1 + 5);
    }
    return {};
}

QString syntaxError(const QString &what, const QString &file, int line)
{
    return QStringLiteral("SyntaxError: %1 (%2, line %3)").arg(what, file).arg(line);
}

QString indentationError(const QString &what, const QString &file, int line)
{
    return QStringLiteral("IndentationError: %1 (%2, line %3)").arg(what, file).arg(line);
}

QString tabError(const QString &file, int line)
{
    return QStringLiteral("TabError: inconsistent use of tabs and spaces in indentation (%1, "
                          "line %2)")
        .arg(file)
        .arg(line);
}

//! What a logical line starting at `at` opens when it ends with ':', in CPython's words for
//! "expected an indented block after …"; empty for anything else.
QString blockHeaderKind(const QByteArray &source, qsizetype at)
{
    const auto word = [&](qsizetype from, qsizetype *end) {
        qsizetype e = from;
        while (e < source.size() && (std::isalnum(quint8(source[e])) || source[e] == '_'))
            ++e;
        *end = e;
        return source.mid(from, e - from);
    };
    qsizetype end = at;
    QByteArray w = word(at, &end);
    if (w == "async") { // async def / for / with
        while (end < source.size() && (source[end] == ' ' || source[end] == '\t'))
            ++end;
        w = word(end, &end);
    }
    if (w == "def")
        return QStringLiteral("function definition");
    if (w == "class")
        return QStringLiteral("class definition");
    static const char *const statements[] = {"if",  "elif",   "else",    "for",   "while", "with",
                                             "try", "except", "finally", "match", "case"};
    for (const char *s : statements)
        if (w == s)
            return QStringLiteral("'%1' statement").arg(QLatin1String(s));
    return {};
}

} // namespace

bool readTarGz(const QString &path, QMap<QString, QByteArray> *files, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot be read");
        return false;
    }
    QByteArray tar;
    if (!gunzip(f.readAll(), &tar, error))
        return false;
    qsizetype at = 0;
    QByteArray longName;
    while (at + 512 <= tar.size()) {
        const char *h = tar.constData() + at;
        if (h[0] == '\0')
            return true; // the end-of-archive blocks
        unsigned sum = 0;
        for (int i = 0; i < 512; ++i)
            sum += (i >= 148 && i < 156) ? unsigned(' ') : quint8(h[i]);
        const qint64 size = octal(h + 124, 12);
        if (size < 0 || octal(h + 148, 8) != qint64(sum)) {
            *error = QStringLiteral("not a tar archive (bad header at byte %1)").arg(at);
            return false;
        }
        const qsizetype dataAt = at + 512;
        if (dataAt + size > tar.size()) {
            *error = QStringLiteral("the tar archive is truncated");
            return false;
        }
        const QByteArray data = tar.mid(dataAt, size);
        const char type = h[156];
        QByteArray name = cString(h, 100);
        if (memcmp(h + 257, "ustar", 5) == 0 && h[345] != '\0')
            name = cString(h + 345, 155) + '/' + name;
        if (!longName.isEmpty()) {
            name = longName;
            longName.clear();
        }
        if (type == 'L') // GNU long name of the next entry
            longName = cString(data.constData(), int(data.size()));
        else if (type == 'x') // pax header of the next entry
            longName = paxPath(data);
        else if (type == '0' || type == '\0') {
            QString p = QString::fromUtf8(name);
            while (p.startsWith(QLatin1String("./")))
                p = p.mid(2);
            files->insert(p, data);
        }
        at = dataAt + ((size + 511) / 512) * 512;
    }
    return true; // some writers omit the end-of-archive blocks
}

QString pythonSyntaxProblem(const QByteArray &source, const QString &fileName)
{
    struct Open
    {
        char bracket;
        int line;
    };
    struct Header
    {
        int line = 0;
        QString kind; //!< "function definition", "'if' statement"
    };
    std::vector<Open> open;
    const auto opener = [](char close) { return close == ')' ? '(' : close == ']' ? '[' : '{'; };
    // CPython's tokenizer: each indentation level as a column with tabs to the next multiple
    // of 8, and again with a tab counted as 1; the two must order the levels alike (TabError).
    std::vector<int> indents{0}, altIndents{0};
    std::optional<Header> pendingBlock; // a header ended with ':': the next code line indents
    Header logical;                     // the current logical line: where it began, its kind
    bool lineHasCode = false;
    char lastSignificant = 0; // of the current logical line, outside strings and comments
    bool lineStart = true;    // at the start of a physical line that starts a logical line
    int line = 1;
    const qsizetype n = source.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (lineStart) {
            lineStart = false;
            int col = 0, alt = 0;
            qsizetype j = i;
            for (; j < n; ++j) {
                const char c = source[j];
                if (c == ' ') {
                    ++col;
                    ++alt;
                } else if (c == '\t') {
                    col = (col / 8 + 1) * 8;
                    ++alt;
                } else if (c == '\f') {
                    col = alt = 0;
                } else {
                    break;
                }
            }
            const char first = j < n ? source[j] : '\n';
            if (first != '\n' && first != '\r' && first != '#' &&
                !(first == '\\' && j + 1 < n && source[j + 1] == '\n')) {
                // A line with code: the indentation rules, in the tokenizer's order (the
                // dedent's consistency before the parser's "expected an indented block").
                if (col > indents.back()) {
                    if (alt <= altIndents.back())
                        return tabError(fileName, line);
                    if (!pendingBlock)
                        return indentationError(QStringLiteral("unexpected indent"), fileName,
                                                line);
                    indents.push_back(col);
                    altIndents.push_back(alt);
                } else {
                    while (col < indents.back()) {
                        indents.pop_back();
                        altIndents.pop_back();
                    }
                    if (col != indents.back())
                        return indentationError(QStringLiteral("unindent does not match any "
                                                               "outer indentation level"),
                                                fileName, line);
                    if (alt != altIndents.back())
                        return tabError(fileName, line);
                    if (pendingBlock)
                        return indentationError(
                            QStringLiteral("expected an indented block after %1 on line %2")
                                .arg(pendingBlock->kind)
                                .arg(pendingBlock->line),
                            fileName, line);
                }
                pendingBlock.reset();
                lineHasCode = true;
                logical = {line, blockHeaderKind(source, j)};
            }
            i = j;
            if (i >= n)
                break;
        }
        const char c = source[i];
        if (c == '\n') {
            ++line;
            if (open.empty()) { // inside brackets a newline continues the logical line
                if (lineHasCode && lastSignificant == ':' && !logical.kind.isEmpty())
                    pendingBlock = logical;
                lineHasCode = false;
                lastSignificant = 0;
                lineStart = true;
            }
        } else if (c == '#') {
            while (i + 1 < n && source[i + 1] != '\n')
                ++i;
        } else if (c == '\\' && i + 1 < n && source[i + 1] == '\n') {
            ++i; // an explicit line join: the next physical line continues this one
            ++line;
            continue;
        } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
            continue;
        } else if (c == '(' || c == '[' || c == '{') {
            open.push_back({c, line});
        } else if (c == ')' || c == ']' || c == '}') {
            if (open.empty())
                return syntaxError(QStringLiteral("unmatched '%1'").arg(QLatin1Char(c)), fileName,
                                   line);
            if (open.back().bracket != opener(c)) {
                QString what =
                    QStringLiteral("closing parenthesis '%1' does not match opening "
                                   "parenthesis '%2'")
                        .arg(QString(QLatin1Char(c)), QString(QLatin1Char(open.back().bracket)));
                if (open.back().line != line)
                    what += QStringLiteral(" on line %1").arg(open.back().line);
                return syntaxError(what, fileName, line);
            }
            open.pop_back();
        } else if (c == '"' || c == '\'') {
            const bool triple = i + 2 < n && source[i + 1] == c && source[i + 2] == c;
            const int startLine = line;
            i += triple ? 3 : 1;
            bool closed = false;
            for (; i < n; ++i) {
                const char s = source[i];
                if (s == '\\') { // escapes (raw strings too cannot end in one backslash)
                    if (i + 1 < n && source[i + 1] == '\n')
                        ++line;
                    ++i;
                } else if (s == '\n') {
                    if (!triple)
                        break;
                    ++line;
                } else if (s == c &&
                           (!triple || (i + 2 < n && source[i + 1] == c && source[i + 2] == c))) {
                    i += triple ? 2 : 0;
                    closed = true;
                    break;
                }
            }
            if (!closed)
                return triple ? syntaxError(QStringLiteral("unterminated triple-quoted string "
                                                           "literal (detected at line %1)")
                                                .arg(line),
                                            fileName, startLine)
                              : syntaxError(QStringLiteral("unterminated string literal "
                                                           "(detected at line %1)")
                                                .arg(startLine),
                                            fileName, startLine);
        }
        if (c != '\n' && c != '#')
            lastSignificant = c;
    }
    if (!open.empty())
        return syntaxError(
            QStringLiteral("'%1' was never closed").arg(QLatin1Char(open.back().bracket)), fileName,
            open.back().line);
    if (lineHasCode && lastSignificant == ':' && !logical.kind.isEmpty())
        pendingBlock = logical; // the last line has no newline
    if (pendingBlock)           // CPython names the file's last line
        return indentationError(QStringLiteral("expected an indented block after %1 on line %2")
                                    .arg(pendingBlock->kind)
                                    .arg(pendingBlock->line),
                                fileName, std::max(1, source.endsWith('\n') ? line - 1 : line));
    return {};
}

QString evaluatorBuildProblem(const QString &entryPoint, const QStringList &uploadedFiles)
{
    QMap<QString, QByteArray> files;
    for (const QString &path : uploadedFiles) {
        const QString name = path.section(QLatin1Char('/'), -1);
        if (name.endsWith(QLatin1String(".tar.gz")) || name.endsWith(QLatin1String(".tgz"))) {
            QString error;
            if (!readTarGz(path, &files, &error))
                return QStringLiteral("The uploaded %1 is not a gzip'd tar archive: %2.")
                    .arg(name, error);
            continue;
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("The uploaded %1 cannot be read.").arg(name);
        files.insert(name, f.readAll());
    }
    if (entryPoint.trimmed().isEmpty())
        return {}; // nothing names the code to import
    // path.py::function or module::function (a module names module/path.py).
    const QString t = entryPoint.trimmed();
    const qsizetype sep = t.lastIndexOf(QStringLiteral("::"));
    if (sep <= 0 || sep + 2 >= t.size())
        return QStringLiteral("The entry point \"%1\" is not path.py::function or "
                              "module::function.")
            .arg(t);
    QString file = t.left(sep);
    const QString function = t.mid(sep + 2);
    if (!file.endsWith(QLatin1String(".py")) && !file.contains(QLatin1Char('/')))
        file = file.replace(QLatin1Char('.'), QLatin1Char('/')) + QStringLiteral(".py");
    const auto source = files.constFind(file);
    if (source == files.constEnd())
        return QStringLiteral("The entry point %1: %2 is not in the uploaded code.").arg(t, file);
    const QRegularExpression def(QStringLiteral("^[ \\t]*(async[ \\t]+)?def[ \\t]+%1[ \\t]*\\(")
                                     .arg(QRegularExpression::escape(function)),
                                 QRegularExpression::MultilineOption);
    if (!def.match(QString::fromUtf8(*source)).hasMatch())
        return QStringLiteral("The entry point %1: %2 defines no function %3.")
            .arg(t, file, function);
    const QString syntax = pythonSyntaxProblem(*source, file);
    if (!syntax.isEmpty())
        return QStringLiteral("The entry point %1 cannot be imported: %2").arg(t, syntax);
    return {};
}

} // namespace sandbox
