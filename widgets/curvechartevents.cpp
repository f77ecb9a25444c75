// CurveChart's interaction: Ctrl+wheel and key zoom, middle-drag and arrow-key pan, double click
// and Home to reset, and the crosshair with its readout. Zoom and pan only move the view's
// ranges and ask for a redraw at the next frame, so a burst of wheel notches or mouse moves
// costs one redraw per frame, not one per event.

#include "curvechart.h"

#include <QGraphicsLineItem>
#include <QKeyEvent>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace widgets {

namespace {

QString number(double v)
{
    // Token counts read 1,310,720 as on the axis, not 1.31072e+06.
    if (std::isfinite(v) && std::abs(v) >= 1e5 && std::abs(v) < 1e15) {
        QLocale grouping;
        grouping.setNumberOptions(grouping.numberOptions() & ~QLocale::OmitGroupSeparator);
        return grouping.toString(qint64(std::llround(v)));
    }
    return QString::number(v, 'g', 6);
}

//! Index of the point nearest to x in points sorted by x, or -1.
qsizetype nearestIndex(const QList<QPointF> &points, double x)
{
    if (points.isEmpty())
        return -1;
    auto it = std::lower_bound(points.cbegin(), points.cend(), x,
                               [](const QPointF &p, double v) { return p.x() < v; });
    if (it == points.cend())
        return points.size() - 1;
    const qsizetype i = it - points.cbegin();
    if (i > 0 && x - points[i - 1].x() < points[i].x() - x)
        return i - 1;
    return i;
}

} // namespace

void CurveChart::zoomX(double factor, double centerX)
{
    const double lo = centerX - (centerX - m_xMin) * factor;
    const double hi = centerX + (m_xMax - centerX) * factor;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return;
    m_xMin = lo;
    m_xMax = hi;
    m_xZoomed = true;
    scheduleFrameRefresh();
}

void CurveChart::panBy(double dx, double dy)
{
    // The view's own ranges move (not the axes through QChart::scroll, which would make every
    // series recompute its geometry once per axis, and again when its points are replaced).
    const QRectF plot = chart()->plotArea();
    if (!(plot.width() > 0 && plot.height() > 0))
        return;
    if (dx != 0) {
        const double d = dx * (m_xMax - m_xMin) / plot.width();
        m_xMin += d;
        m_xMax += d;
        m_xZoomed = true;
    }
    if (dy != 0) {
        if (m_logY && m_yMin > 0 && m_yMax > 0) {
            const double lo = std::log(m_yMin);
            const double hi = std::log(m_yMax);
            const double d = dy * (hi - lo) / plot.height();
            m_yMin = std::exp(lo + d);
            m_yMax = std::exp(hi + d);
        } else {
            const double d = dy * (m_yMax - m_yMin) / plot.height();
            m_yMin += d;
            m_yMax += d;
        }
        m_yZoomed = true;
    }
    scheduleFrameRefresh();
}

void CurveChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panFrom = event->position().toPoint();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void CurveChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint pos = event->position().toPoint();
        const QPoint d = pos - m_panFrom;
        m_panFrom = pos;
        panBy(-d.x(), d.y());
        event->accept();
    } else {
        QChartView::mouseMoveEvent(event);
    }
    updateCrosshair(event->position());
}

void CurveChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton && m_panning) {
        m_panning = false;
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void CurveChart::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void CurveChart::wheelEvent(QWheelEvent *event)
{
    // Charts sit in scrolling pages: the plain wheel scrolls the page (a person scrolling down
    // got every chart under the pointer zoomed), Ctrl+wheel zooms, as TensorBoard and W&B do.
    const QPointF chartPos = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    if (!(event->modifiers() & Qt::ControlModifier) || !chart()->plotArea().contains(chartPos) ||
        m_curves.empty()) {
        event->ignore();
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    // From the view's own range: the axes lag behind it until the next frame's redraw.
    const QRectF plot = chart()->plotArea();
    const double x = m_xMin + (chartPos.x() - plot.left()) / plot.width() * (m_xMax - m_xMin);
    zoomX(std::pow(0.8, steps), x);
    event->accept();
}

void CurveChart::keyPressEvent(QKeyEvent *event)
{
    const QRectF plot = chart()->plotArea();
    switch (event->key()) {
    case Qt::Key_Home:
        resetZoom();
        break;
    case Qt::Key_Left:
        panBy(-plot.width() / 10, 0);
        break;
    case Qt::Key_Right:
        panBy(plot.width() / 10, 0);
        break;
    case Qt::Key_Up:
        panBy(0, plot.height() / 10);
        break;
    case Qt::Key_Down:
        panBy(0, -plot.height() / 10);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomX(0.8, (m_xMin + m_xMax) / 2);
        break;
    case Qt::Key_Minus:
        zoomX(1.25, (m_xMin + m_xMax) / 2);
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void CurveChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    scheduleRefresh(0); // the number of pixel columns changed
}

void CurveChart::leaveEvent(QEvent *event)
{
    hideCrosshair();
    QChartView::leaveEvent(event);
}

void CurveChart::hideCrosshair()
{
    m_crosshair.clear();
    m_crossLine->hide();
    m_readout->hide();
    // Over the axes and the legend the tooltip says how to move the view; over the plot the
    // readout takes its place.
    setToolTip(helpText());
}

QString CurveChart::helpText()
{
    return tr("Ctrl+wheel or +/- zooms; dragging a rectangle zooms into it.\n"
              "The middle button or the arrow keys pan; double-click or Home shows all the data.\n"
              "The wheel alone scrolls the page.");
}

void CurveChart::updateCrosshair(const QPointF &viewPos)
{
    const QPointF chartPos = chart()->mapFromScene(mapToScene(viewPos.toPoint()));
    const QRectF plot = chart()->plotArea();
    if (m_curves.empty() || !plot.contains(chartPos)) {
        hideCrosshair();
        return;
    }
    const double x = chart()->mapToValue(chartPos, m_curves.front().line).x();
    const bool showRaw = m_smoothing > 0 && m_smoother;
    QStringList lines{QStringLiteral("x = %1").arg(number(x))};
    for (Curve &c : m_curves) {
        if (!c.visible)
            continue;
        const QList<QPointF> &smooth = smoothedOf(c);
        const qsizetype i = nearestIndex(smooth, x);
        if (i < 0)
            continue;
        QString line = QStringLiteral("%1: %2").arg(c.name, number(smooth[i].y()));
        if (showRaw && i < c.raw.size())
            line += QStringLiteral(" (raw %1)").arg(number(c.raw[i].y()));
        if (smooth[i].x() != x)
            line += QStringLiteral(" at %1").arg(number(smooth[i].x()));
        if (c.onRight)
            line += tr(" (right axis)");
        lines.append(line);
    }
    // Markers within 4 pixels of the cursor add their text.
    const double perPixel = (m_xMax - m_xMin) / std::max(1.0, plot.width());
    for (const CurveMarker &m : m_markers) {
        if (std::abs(m.x - x) <= 4 * perPixel)
            lines.append(QStringLiteral("⚠ ") + m.text);
    }
    m_crosshair = lines.join(QLatin1Char('\n'));
    setToolTip(QString());
    m_crossLine->setLine(chartPos.x(), plot.top(), chartPos.x(), plot.bottom());
    m_crossLine->show();
    m_readout->setText(m_crosshair);
    m_readout->adjustSize();
    QPoint at = viewPos.toPoint() + QPoint(14, 14);
    if (at.x() + m_readout->width() > viewport()->width())
        at.setX(int(viewPos.x()) - m_readout->width() - 14);
    if (at.y() + m_readout->height() > viewport()->height())
        at.setY(int(viewPos.y()) - m_readout->height() - 14);
    m_readout->move(at);
    m_readout->show();
    m_readout->raise();
}

} // namespace widgets
