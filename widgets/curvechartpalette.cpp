// CurveChart's colours: Qt Charts keeps its own light theme, so the chart follows the app's
// palette (the Light/Dark switch) itself, and raw curves are drawn faint in an opaque mix of
// their colour and the background.

#include "curvechart.h"

#include <QAbstractAxis>
#include <QGraphicsLineItem>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

namespace widgets {

QColor CurveChart::faintColor(const QColor &color) const
{
    // Faint = the colour mixed into the background, opaque: a translucent pen over the raw
    // curve's dense zigzag made each paint up to 10x slower (bench_curvechart, pan).
    const QColor bg = backgroundColor();
    const auto mix = [](int a, int b) { return (a * 30 + b * 70) / 100; };
    return QColor(mix(color.red(), bg.red()), mix(color.green(), bg.green()),
                  mix(color.blue(), bg.blue()));
}

void CurveChart::followPalette()
{
    // Qt Charts keeps its own light theme; the app's Light/Dark switch changes the palette.
    const QPalette p = palette();
    const QColor base = p.color(QPalette::Base);
    const QColor text = p.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    QChart *c = chart();
    c->setBackgroundBrush(base);
    c->setBackgroundPen(Qt::NoPen);
    c->setPlotAreaBackgroundVisible(false);
    c->setTitleBrush(text);
    c->legend()->setLabelColor(text);
    for (QAbstractAxis *axis :
         std::initializer_list<QAbstractAxis *>{m_x, m_yLinear, m_yLog, m_yRight}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    setBackgroundBrush(base);
    QColor cross = text;
    cross.setAlpha(90);
    m_crossLine->setPen(QPen(cross, 0, Qt::DashLine));
    QColor readout = base;
    readout.setAlpha(230);
    m_readout->setStyleSheet(
        QStringLiteral("background: %1; color: %2; border: 1px solid %3; padding: 3px;")
            .arg(readout.name(QColor::HexArgb), text.name(), p.color(QPalette::Mid).name()));
    for (Curve &curve : m_curves)
        curve.rawLine->setPen(QPen(faintColor(curve.color), 1));
    syncLegend();
}

void CurveChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange ||
        event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::StyleChange)
        followPalette();
}

QColor CurveChart::backgroundColor() const
{
    // Chart themes paint the background with a gradient, whose brush colour is meaningless.
    const QBrush brush = chart()->backgroundBrush();
    if (brush.gradient() && !brush.gradient()->stops().isEmpty())
        return brush.gradient()->stops().first().second;
    return brush.style() == Qt::NoBrush ? QColor(Qt::white) : brush.color();
}

} // namespace widgets
