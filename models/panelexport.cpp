#include "panelexport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>

namespace models {

namespace {

QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n')) {
        bytes.replace('"', "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

QByteArray csvNumber(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    return QByteArray::number(v, 'g', 17);
}

QJsonValue jsonNumber(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

} // namespace

QByteArray panelExportCsv(const PanelExport &data)
{
    QByteArray out = "run,series," + csvField(data.xAxis) + ",raw,smoothed\n";
    for (const ExportedSeries &s : data.series) {
        const QByteArray prefix = csvField(s.run) + ',' + csvField(s.name) + ',';
        for (qsizetype i = 0; i < s.raw.size(); ++i) {
            const double smooth = i < s.smoothed.size() ? s.smoothed[i].y() : s.raw[i].y();
            out += prefix + csvNumber(s.raw[i].x()) + ',' + csvNumber(s.raw[i].y()) + ',' +
                   csvNumber(smooth) + '\n';
        }
    }
    return out;
}

QByteArray panelExportJson(const PanelExport &data)
{
    QJsonArray series;
    for (const ExportedSeries &s : data.series) {
        QJsonArray xs, raw, smoothed;
        for (qsizetype i = 0; i < s.raw.size(); ++i) {
            xs.append(jsonNumber(s.raw[i].x()));
            raw.append(jsonNumber(s.raw[i].y()));
            smoothed.append(jsonNumber(i < s.smoothed.size() ? s.smoothed[i].y() : s.raw[i].y()));
        }
        series.append(QJsonObject{{QStringLiteral("run"), s.run},
                                  {QStringLiteral("name"), s.name},
                                  {QStringLiteral("x"), xs},
                                  {QStringLiteral("raw"), raw},
                                  {QStringLiteral("smoothed"), smoothed}});
    }
    const QJsonObject root{{QStringLiteral("panel"), data.panel},
                           {QStringLiteral("x_axis"), data.xAxis},
                           {QStringLiteral("smoothing"), data.smoothing},
                           {QStringLiteral("series"), series}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = QStringLiteral("Could not write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace models
