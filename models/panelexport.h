#pragma once

// A panel's series written to disk as CSV or JSON, raw and smoothed side by side, whole or not
// at all (QSaveFile: a failed or cancelled write leaves any earlier file untouched). QtCore.

#include <QList>
#include <QPointF>
#include <QString>

namespace models {

//! One curve of a panel as shown: x in the panel's unit, raw y and the smoothed y at the same x.
struct ExportedSeries
{
    QString run;
    QString name;
    QList<QPointF> raw;
    QList<QPointF> smoothed; //!< same length and x as raw (equal to raw when not smoothed)
};

struct PanelExport
{
    QString panel;      //!< e.g. "Loss"
    QString xAxis;      //!< "step", "epoch" or "seconds"
    double smoothing{}; //!< the EMA weight the smoothed values were made with
    QList<ExportedSeries> series;
};

//! Columns run,series,<xAxis>,raw,smoothed; one row per point; NaN/inf written as nan/inf.
//! Fields with commas or quotes are quoted.
QByteArray panelExportCsv(const PanelExport &data);
//! {"panel","x_axis","smoothing","series":[{"run","name","x":[...],"raw":[...],
//! "smoothed":[...]}]}; non-finite numbers become null (JSON has none).
QByteArray panelExportJson(const PanelExport &data);

//! Writes bytes to path whole or not at all; on failure *error says why.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error = nullptr);

} // namespace models
