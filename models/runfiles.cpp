#include "runfiles.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace models {

namespace {

//! "loss, learning_rate" - the series a file carries, a long list cut after eight.
QString seriesNamesText(const TrainingRun &run)
{
    QStringList names;
    for (const RunSeries &s : run.series)
        names << s.name;
    if (names.size() > 8) {
        const qsizetype more = names.size() - 8;
        names = names.mid(0, 8);
        names << QCoreApplication::translate("models::RunFiles", "%1 more").arg(more);
    }
    return names.join(QStringLiteral(", "));
}

//! 1-based line of a byte offset.
int lineOfOffset(const QByteArray &text, qsizetype offset)
{
    return int(text.left(offset).count('\n')) + 1;
}

std::optional<double> readNumber(const QString &text)
{
    const QString t = text.trimmed();
    bool ok = false;
    const double d = t.toDouble(&ok);
    if (ok)
        return d;
    const QString lower = t.toLower();
    if (lower == QLatin1String("nan"))
        return std::nan("");
    if (lower == QLatin1String("inf") || lower == QLatin1String("+inf") ||
        lower == QLatin1String("infinity"))
        return qInf();
    if (lower == QLatin1String("-inf") || lower == QLatin1String("-infinity"))
        return -qInf();
    return std::nullopt;
}

std::optional<double> readWallTime(const QString &text)
{
    if (auto d = readNumber(text); d && std::isfinite(*d))
        return *d > 1e11 ? *d / 1000.0 : *d; // larger than seconds can be: milliseconds
    const QDateTime dt = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (dt.isValid())
        return dt.toMSecsSinceEpoch() / 1000.0;
    return std::nullopt;
}

//! Python's json module (and so the Hugging Face Trainer) writes a NaN or infinite value as the
//! bare token NaN, Infinity or -Infinity, which JSON and Qt refuse. Outside strings they become
//! the quoted words the log_history reader takes as non-finite numbers.
QByteArray quotePythonNonFiniteTokens(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size() + 64);
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size())
                out += json[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
            continue;
        }
        const QByteArrayView rest = QByteArrayView(json).sliced(i);
        bool replaced = false;
        for (const QByteArrayView token : {QByteArrayView("NaN"), QByteArrayView("-Infinity"),
                                           QByteArrayView("Infinity")}) {
            if (rest.startsWith(token)) {
                out += '"';
                out += token;
                out += '"';
                i += token.size() - 1;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            out += c;
    }
    return out;
}

//! Splits one CSV record (RFC 4180 quoting, no embedded newlines).
QStringList splitCsvLine(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields.append(field);
            field.clear();
        } else {
            field += c;
        }
    }
    fields.append(field);
    return fields;
}

} // namespace

std::optional<RunFileFormat> guessRunFileFormat(const QString &path, const QByteArray &head)
{
    const QString lower = path.toLower();
    if (lower.endsWith(QLatin1String(".csv")))
        return RunFileFormat::Csv;
    if (lower.endsWith(QLatin1String(".jsonl")) || lower.endsWith(QLatin1String(".ndjson")))
        return RunFileFormat::MetricsJsonl;
    if (lower.endsWith(QLatin1String(".json")))
        return head.contains("log_history") || lower.endsWith(QLatin1String("trainer_state.json"))
                   ? RunFileFormat::TrainerState
                   : RunFileFormat::MetricsJsonl;
    const QByteArray t = head.trimmed();
    if (t.startsWith('{'))
        return head.contains("log_history") ? RunFileFormat::TrainerState
                                            : RunFileFormat::MetricsJsonl;
    if (!t.isEmpty() && t.split('\n').value(0).contains(','))
        return RunFileFormat::Csv;
    return std::nullopt;
}

TrainingRun parseTrainerState(const QByteArray &json, const QString &name)
{
    TrainingRun run;
    run.name = name;
    QJsonParseError error;
    QByteArray text = json;
    QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        // Quoting adds no line breaks, so a later error's line is the file's line.
        if (QByteArray quoted = quotePythonNonFiniteTokens(json); quoted != json) {
            text = std::move(quoted);
            doc = QJsonDocument::fromJson(text, &error);
        }
    }
    if (error.error != QJsonParseError::NoError) {
        // A Trainer killed while writing leaves the file cut short: Qt's "unterminated array"
        // does not say that the file simply stops.
        const bool endsEarly = text.mid(error.offset).trimmed().isEmpty();
        run.issues.append({lineOfOffset(text, error.offset), QString(),
                           endsEarly ? QStringLiteral("not valid JSON, the file ends before the "
                                                      "JSON does (was it cut short?)")
                                     : QStringLiteral("not valid JSON (%1)")
                                           .arg(error.errorString())});
        return run;
    }
    if (!doc.isObject()) {
        run.issues.append({1, QString(), QStringLiteral("not a JSON object")});
        return run;
    }
    const QJsonObject root = doc.object();
    for (const char *key : {"max_steps", "num_train_epochs", "train_batch_size", "logging_steps",
                            "eval_steps", "save_steps", "best_metric", "global_step"}) {
        const QJsonValue v = root.value(QLatin1String(key));
        if (v.isDouble())
            run.parameters.insert(QLatin1String(key), metricValueText(v.toDouble()));
    }
    const QJsonValue history = root.value(QLatin1String("log_history"));
    if (!history.isArray()) {
        run.issues.append(
            {0, QStringLiteral("log_history"),
             history.isUndefined() ? QStringLiteral("missing") : QStringLiteral("not an array")});
        return run;
    }
    const QJsonArray entries = history.toArray();
    double lastEpoch = 0, lastEpochStep = 0;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("log_history[%1]").arg(i);
        if (!entries[i].isObject()) {
            run.issues.append({0, where, QStringLiteral("not an object")});
            continue;
        }
        const QJsonObject e = entries[i].toObject();
        const QJsonValue step = e.value(QLatin1String("step"));
        if (!step.isDouble()) {
            run.issues.append(
                {0, where + QStringLiteral(".step"),
                 step.isUndefined() ? QStringLiteral("missing") : QStringLiteral("not a number")});
            continue;
        }
        const double x = step.toDouble();
        // The Trainer ends its log with a summary of the whole run (train_runtime, the mean
        // train_loss, total_flos, samples per second): settings of the run to compare, not
        // points of curves, where each stood as one lone dot at the last step.
        if (e.contains(QLatin1String("train_runtime"))) {
            for (auto it = e.begin(); it != e.end(); ++it)
                if (it.value().isDouble() && it.key() != QLatin1String("step") &&
                    it.key() != QLatin1String("epoch"))
                    run.parameters.insert(it.key() == QLatin1String("train_runtime")
                                              ? QStringLiteral("train_runtime (s)")
                                              : it.key(),
                                          metricValueText(it.value().toDouble()));
            continue;
        }
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (it.key() == QLatin1String("step"))
                continue;
            if (it.value().isDouble()) {
                run.seriesNamed(it.key()).points.append(QPointF(x, it.value().toDouble()));
            } else if (it.value().isString()) {
                // Python writes NaN/Infinity as JSON numbers Qt refuses; some tools quote them.
                if (auto d = readNumber(it.value().toString()); d && !std::isfinite(*d))
                    run.seriesNamed(it.key()).points.append(QPointF(x, *d));
            }
        }
        if (const QJsonValue epoch = e.value(QLatin1String("epoch")); epoch.isDouble()) {
            if (epoch.toDouble() > lastEpoch) {
                lastEpoch = epoch.toDouble();
                lastEpochStep = x;
            }
        }
    }
    if (lastEpoch > 0 && lastEpochStep > 0)
        run.stepsPerEpoch = lastEpochStep / lastEpoch;
    if (run.parameters.isEmpty())
        run.parametersNote = QCoreApplication::translate(
            "models::RunFiles", "This trainer_state.json names no settings (max_steps, "
                                "num_train_epochs, train_batch_size …) and no closing summary.");
    return run;
}

TrainingRun parseMetricsJsonlRun(const QByteArray &jsonl, const QString &name)
{
    TrainingRun run;
    run.name = name;
    client::MetricsJsonlParser parser;
    parser.feed(jsonl);
    parser.finish();
    appendMetricPoints(run, parser.takeSeries());
    for (const client::MetricsParseIssue &issue : parser.result().issues)
        run.issues.append({issue.line, QString(), issue.message});
    // Drop wall-time lists that say nothing, so "has wall times" means something.
    for (RunSeries &s : run.series)
        if (!s.hasWallTimes())
            s.wallTimes.clear();
    const int epoch =
        std::max(run.indexOf(QStringLiteral("train/epoch")), run.indexOf(QStringLiteral("epoch")));
    if (epoch >= 0 && !run.series[epoch].points.isEmpty()) {
        const QPointF last = run.series[epoch].points.last();
        if (last.y() > 0)
            run.stepsPerEpoch = last.x() / last.y();
    }
    run.parametersNote =
        QCoreApplication::translate(
            "models::RunFiles",
            "A metrics JSONL file carries no parameters, only metrics by step: %1.")
            .arg(seriesNamesText(run));
    return run;
}

TrainingRun parseMetricsCsv(const QByteArray &csv, const QString &name)
{
    TrainingRun run;
    run.name = name;
    const QList<QByteArray> lines = csv.split('\n');
    int headerLine = 0;
    QStringList header;
    for (int i = 0; i < lines.size(); ++i) {
        const QString text = QString::fromUtf8(lines[i]).trimmed();
        if (!text.isEmpty()) {
            header = splitCsvLine(text);
            headerLine = i + 1;
            break;
        }
    }
    if (header.isEmpty()) {
        run.issues.append({0, QString(), QStringLiteral("the file is empty")});
        return run;
    }
    for (QString &h : header)
        h = h.trimmed();
    static const QStringList stepNames = {QStringLiteral("step"), QStringLiteral("global_step"),
                                          QStringLiteral("_step"), QStringLiteral("iteration"),
                                          QStringLiteral("iter")};
    static const QStringList timeNames = {QStringLiteral("timestamp"), QStringLiteral("_timestamp"),
                                          QStringLiteral("wall_time"), QStringLiteral("time"),
                                          QStringLiteral("walltime")};
    int stepColumn = 0;
    int timeColumn = -1;
    for (int c = header.size() - 1; c >= 0; --c) {
        if (stepNames.contains(header[c].toLower()))
            stepColumn = c;
        if (timeNames.contains(header[c].toLower()))
            timeColumn = c;
    }
    QList<int> seriesIndex(header.size(), -1);
    for (int c = 0; c < header.size(); ++c)
        if (c != stepColumn && c != timeColumn)
            seriesIndex[c] = int(run.series.size()),
            run.series.append(RunSeries{header[c], {}, {}});
    for (int i = headerLine; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        const QString text = QString::fromUtf8(lines[i]).trimmed();
        if (text.isEmpty())
            continue;
        const QStringList cells = splitCsvLine(text);
        if (cells.size() != header.size())
            run.issues.append({lineNo, QString(),
                               QStringLiteral("%1 fields, the header has %2")
                                   .arg(cells.size())
                                   .arg(header.size())});
        const auto step = readNumber(cells.value(stepColumn));
        if (!step || !std::isfinite(*step)) {
            run.issues.append({lineNo, header[stepColumn],
                               QStringLiteral("the step \"%1\" is not a number")
                                   .arg(cells.value(stepColumn).trimmed())});
            continue;
        }
        double wall = std::nan("");
        if (timeColumn >= 0 && !cells.value(timeColumn).trimmed().isEmpty()) {
            if (auto t = readWallTime(cells.value(timeColumn)))
                wall = *t;
            else
                run.issues.append({lineNo, header[timeColumn],
                                   QStringLiteral("\"%1\" is not a time")
                                       .arg(cells.value(timeColumn).trimmed())});
        }
        for (int c = 0; c < header.size() && c < cells.size(); ++c) {
            if (seriesIndex[c] < 0 || cells[c].trimmed().isEmpty())
                continue;
            const auto v = readNumber(cells[c]);
            if (!v) {
                run.issues.append(
                    {lineNo, header[c],
                     QStringLiteral("\"%1\" is not a number").arg(cells[c].trimmed())});
                continue;
            }
            RunSeries &s = run.series[seriesIndex[c]];
            s.points.append(QPointF(*step, *v));
            s.wallTimes.append(wall);
        }
    }
    // Columns that never held a number are not series; lists of unknown times say nothing.
    run.series.removeIf([](const RunSeries &s) { return s.points.isEmpty(); });
    for (RunSeries &s : run.series)
        if (!s.hasWallTimes())
            s.wallTimes.clear();
    run.parametersNote =
        QCoreApplication::translate(
            "models::RunFiles",
            "A CSV file carries no parameters, only columns of numbers by %1: %2.")
            .arg(header[stepColumn], seriesNamesText(run));
    return run;
}

std::optional<TrainingRun> loadRunFile(const QString &path, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<TrainingRun> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QFileInfo info(path);
    if (info.isDir()) {
        // A Trainer's output folder: its trainer_state.json is the run.
        const QFileInfo state(QDir(path).filePath(QStringLiteral("trainer_state.json")));
        if (!state.isFile())
            return fail(QStringLiteral("%1 is a folder without a trainer_state.json; open a "
                                       "trainer_state.json, a metrics JSONL or a CSV file")
                            .arg(QDir::toNativeSeparators(info.absoluteFilePath())));
        info = state;
    }
    QFile f(info.filePath());
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("Cannot read %1: %2")
                        .arg(QDir::toNativeSeparators(info.absoluteFilePath()), f.errorString()));
    const QByteArray bytes = f.readAll();
    if (bytes.trimmed().isEmpty())
        return fail(QStringLiteral("%1 is empty").arg(info.fileName()));
    const auto format = guessRunFileFormat(info.filePath(), bytes.left(4096));
    if (!format)
        return fail(QStringLiteral("%1 is not a trainer_state.json, a metrics JSONL or a CSV")
                        .arg(info.fileName()));
    TrainingRun run;
    switch (*format) {
    case RunFileFormat::TrainerState: {
        // trainer_state.json sits in the run's (or checkpoint's) folder: that name says more.
        // Every run has a checkpoint-500: the run's folder above it tells them apart.
        const QDir folder = info.dir();
        QString name = folder.dirName();
        if (name.startsWith(QLatin1String("checkpoint-"))) {
            QDir parent = folder;
            if (parent.cdUp() && !parent.dirName().isEmpty())
                name = parent.dirName() + QLatin1Char('/') + name;
        }
        run = parseTrainerState(bytes, name);
        break;
    }
    case RunFileFormat::MetricsJsonl:
        run = parseMetricsJsonlRun(bytes, info.completeBaseName());
        break;
    case RunFileFormat::Csv:
        run = parseMetricsCsv(bytes, info.completeBaseName());
        break;
    }
    run.source = info.absoluteFilePath();
    if (run.pointCount() == 0)
        return fail(run.issues.isEmpty()
                        ? QStringLiteral("%1 holds no numeric series").arg(info.fileName())
                        : QStringLiteral("Nothing could be read from %1: %2")
                              .arg(info.fileName(), run.issues.first().text()));
    return run;
}

} // namespace models
