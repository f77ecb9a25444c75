// CurveChart's export: the panel as it is drawn, to PNG, or to SVG when Qt SVG was found,
// without the crosshair's readout, written through QSaveFile so a failed write leaves no
// half file.

#include "curvechart.h"

#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#ifdef FIREDECK_HAVE_SVG
#include <QSvgGenerator>
#endif

namespace widgets {

bool CurveChart::exportPng(const QString &path, QString *error)
{
    const bool hadReadout = m_readout->isVisible();
    m_readout->hide(); // the crosshair is not part of the picture
    const QPixmap pixmap = grab();
    m_readout->setVisible(hadReadout);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !pixmap.save(&file, "PNG") || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

bool CurveChart::exportSvg(const QString &path, QString *error)
{
#ifdef FIREDECK_HAVE_SVG
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    const bool hadReadout = m_readout->isVisible();
    m_readout->hide();
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(size());
    generator.setViewBox(rect());
    generator.setTitle(chart()->title());
    QPainter painter;
    if (!painter.begin(&generator)) {
        m_readout->setVisible(hadReadout);
        if (error)
            *error = tr("Could not start the SVG writer.");
        file.cancelWriting();
        return false;
    }
    render(&painter);
    painter.end();
    m_readout->setVisible(hadReadout);
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
#else
    Q_UNUSED(path)
    if (error)
        *error = tr("This build has no SVG support (Qt SVG was not found).");
    return false;
#endif
}

} // namespace widgets
