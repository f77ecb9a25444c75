#include "curvechart.h"

#include <QAbstractAxis>
#include <QGraphicsLineItem>
#include <QKeyEvent>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QScatterSeries>
#include <QValueAxis>
#include <QWheelEvent>
#ifdef FIREDECK_HAVE_SVG
#include <QSvgGenerator>
#endif

#include <algorithm>
#include <cmath>
#include <limits>

namespace widgets {

namespace {

const QList<QColor> &curveColors()
{
    static const QList<QColor> colors{QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c),
                                      QColor(0xd62728), QColor(0x9467bd), QColor(0x8c564b),
                                      QColor(0xe377c2), QColor(0x17becf)};
    return colors;
}

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

//! Qt Charts draws nothing sensible for y <= 0 on a log axis; such points are left out.
QList<QPointF> positiveOnly(QList<QPointF> points)
{
    points.removeIf([](const QPointF &p) { return !(p.y() > 0); });
    return points;
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

CurveChart::CurveChart(QWidget *parent) : QChartView(parent)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    setChart(chart); // the view owns the chart
    setRenderHint(QPainter::Antialiasing, false);
    setRubberBand(QChartView::RectangleRubberBand);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);

    m_x = new QValueAxis;
    m_yLinear = new QValueAxis;
    m_yLog = new QLogValueAxis;
    m_yLog->setLabelFormat(QStringLiteral("%g"));
    m_yLog->setBase(10);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_yLinear, Qt::AlignLeft);
    connect(m_x, &QValueAxis::rangeChanged, this, [this] { onAxisRangeChanged(); });
    connect(m_yLinear, &QValueAxis::rangeChanged, this, [this] { onAxisRangeChanged(); });
    connect(m_yLog, &QLogValueAxis::rangeChanged, this, [this] { onAxisRangeChanged(); });

    m_markerSeries = new QScatterSeries;
    m_markerSeries->setName(QStringLiteral("warnings"));
    m_markerSeries->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_markerSeries->setMarkerSize(11);
    m_markerSeries->setColor(QColor(0xd62728));
    m_markerSeries->setBorderColor(Qt::white);
    chart->addSeries(m_markerSeries);
    attachToAxes(m_markerSeries);

    m_crossLine = new QGraphicsLineItem(chart);
    m_crossLine->setPen(QPen(QColor(0, 0, 0, 90), 0, Qt::DashLine));
    m_crossLine->setZValue(100);
    m_crossLine->hide();
    m_readout = new QLabel(viewport());
    m_readout->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_readout->setStyleSheet(
        QStringLiteral("background: rgba(255,255,255,230); border: 1px solid #999; padding: 3px;"));
    m_readout->hide();

    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { refreshNow(); });
    followPalette();
}

CurveChart::~CurveChart()
{
    // The axis that is not attached is ours to delete; the chart deletes the other.
    if (m_logY)
        delete m_yLinear;
    else
        delete m_yLog;
}

void CurveChart::setReducer(Reducer reducer)
{
    m_reducer = std::move(reducer);
    scheduleRefresh(0);
}

void CurveChart::setSmoother(Smoother smoother)
{
    m_smoother = std::move(smoother);
    for (Curve &c : m_curves)
        c.smoothDirty = true;
    scheduleRefresh(0);
}

void CurveChart::setRangeFinder(RangeFinder rangeFinder)
{
    m_rangeFinder = std::move(rangeFinder);
    scheduleRefresh(0);
}

void CurveChart::attachToAxes(QAbstractSeries *series)
{
    series->attachAxis(m_x);
    series->attachAxis(m_logY ? static_cast<QAbstractAxis *>(m_yLog) : m_yLinear);
}

void CurveChart::clearCurves()
{
    for (Curve &c : m_curves) {
        chart()->removeSeries(c.line);
        chart()->removeSeries(c.rawLine);
        delete c.line;
        delete c.rawLine;
    }
    m_curves.clear();
}

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
    for (QAbstractAxis *axis : std::initializer_list<QAbstractAxis *>{m_x, m_yLinear, m_yLog}) {
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

void CurveChart::setSeries(const QList<CurveSeries> &series)
{
    m_applying = true;
    clearCurves();
    for (const CurveSeries &s : series) {
        Curve c;
        c.name = s.name;
        c.color = s.color.isValid()
                      ? s.color
                      : curveColors()[qsizetype(m_curves.size()) % curveColors().size()];
        c.raw = s.points;
        c.rawLine = new QLineSeries;
        c.rawLine->setName(s.name + QStringLiteral(" (raw)"));
        c.rawLine->setPen(QPen(faintColor(c.color), 1));
        c.line = new QLineSeries;
        c.line->setName(s.name);
        c.line->setPen(QPen(c.color, 2));
        chart()->addSeries(c.rawLine);
        chart()->addSeries(c.line);
        attachToAxes(c.rawLine);
        attachToAxes(c.line);
        const QString name = s.name;
        if (QLegendMarker *marker = chart()->legend()->markers(c.line).value(0))
            connect(marker, &QLegendMarker::clicked, this, [this, name] {
                for (size_t i = 0; i < m_curves.size(); ++i) {
                    if (m_curves[i].name == name)
                        setSeriesVisible(int(i), !m_curves[i].visible);
                }
            });
        m_curves.push_back(std::move(c));
    }
    m_applying = false;
    syncLegend();
    resetZoom();
}

int CurveChart::seriesCount() const
{
    return int(m_curves.size());
}

void CurveChart::appendPoints(int index, const QList<QPointF> &points)
{
    if (index < 0 || index >= seriesCount() || points.isEmpty())
        return;
    Curve &c = m_curves[size_t(index)];
    c.raw.append(points);
    c.smoothDirty = true;
    scheduleRefresh(50);
}

void CurveChart::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    for (Curve &c : m_curves)
        c.smoothDirty = true;
    refreshNow();
}

void CurveChart::setLogY(bool on)
{
    if (on == m_logY)
        return;
    m_applying = true;
    QAbstractAxis *from = m_logY ? static_cast<QAbstractAxis *>(m_yLog) : m_yLinear;
    QAbstractAxis *to = on ? static_cast<QAbstractAxis *>(m_yLog) : m_yLinear;
    // Points <= 0 must be gone before a log axis sees them.
    for (Curve &c : m_curves) {
        c.line->clear();
        c.rawLine->clear();
    }
    m_markerSeries->clear();
    chart()->removeAxis(from); // detaches every series; ownership comes back to us
    chart()->addAxis(to, Qt::AlignLeft);
    for (Curve &c : m_curves) {
        c.line->attachAxis(to);
        c.rawLine->attachAxis(to);
    }
    m_markerSeries->attachAxis(to);
    m_logY = on;
    m_yZoomed = false; // a linear y zoom means nothing on a log axis
    m_applying = false;
    refreshNow();
}

void CurveChart::setIgnoreOutliers(bool on)
{
    if (on == m_ignoreOutliers)
        return;
    m_ignoreOutliers = on;
    m_yZoomed = false;
    refreshNow();
}

void CurveChart::setSeriesVisible(int index, bool visible)
{
    if (index < 0 || index >= seriesCount())
        return;
    m_curves[size_t(index)].visible = visible;
    refreshNow();
}

bool CurveChart::isSeriesVisible(int index) const
{
    return index >= 0 && index < seriesCount() && m_curves[size_t(index)].visible;
}

void CurveChart::setMarkers(const QList<CurveMarker> &markers)
{
    m_markers = markers;
    std::sort(m_markers.begin(), m_markers.end(),
              [](const CurveMarker &a, const CurveMarker &b) { return a.x < b.x; });
    refreshNow();
}

void CurveChart::resetZoom()
{
    m_xZoomed = false;
    m_yZoomed = false;
    refreshNow();
}

QRectF CurveChart::visibleRange() const
{
    return QRectF(QPointF(m_xMin, m_yMin), QPointF(m_xMax, m_yMax));
}

void CurveChart::scheduleRefresh(int delayMs)
{
    if (m_refreshTimer.isActive() && m_refreshTimer.remainingTime() <= delayMs)
        return;
    m_refreshTimer.start(delayMs);
}

int CurveChart::plotPixelWidth() const
{
    const int w = int(chart()->plotArea().width());
    return w > 10 ? w : std::max(100, width());
}

const QList<QPointF> &CurveChart::smoothedOf(Curve &curve)
{
    if (curve.smoothDirty) {
        curve.smoothed =
            (m_smoothing > 0 && m_smoother) ? m_smoother(curve.raw, m_smoothing) : curve.raw;
        curve.smoothDirty = false;
    }
    return curve.smoothed;
}

QList<QPointF> CurveChart::reduce(const QList<QPointF> &points, int columns) const
{
    QList<QPointF> out = m_reducer ? m_reducer(points, m_xMin, m_xMax, columns) : points;
    return m_logY ? positiveOnly(std::move(out)) : out;
}

void CurveChart::refreshNow()
{
    m_refreshTimer.stop();
    m_applying = true;
    const bool showRaw = m_smoothing > 0 && m_smoother;

    if (!m_xZoomed) {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (const Curve &c : m_curves) {
            if (!c.visible || c.raw.isEmpty())
                continue;
            lo = std::min(lo, c.raw.first().x());
            hi = std::max(hi, c.raw.last().x());
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        } else if (hi == lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        m_xMin = lo;
        m_xMax = hi;
    }

    CurveRange y;
    for (Curve &c : m_curves) {
        c.line->setVisible(c.visible);
        c.rawLine->setVisible(c.visible && showRaw);
        if (!c.visible) {
            c.line->clear();
            c.rawLine->clear();
            continue;
        }
        const QList<QPointF> &smooth = smoothedOf(c);
        // Qt Charts strokes every point it is given twice (the line, and its hit-test shape),
        // which costs more than all our numbers together. With smoothing on, both the faint
        // raw band and the 2 px smoothed line get one min/max pair per two pixel columns,
        // which looks the same; a raw curve shown alone keeps one pair per column.
        const int columns = showRaw ? std::max(1, plotPixelWidth() / 2) : plotPixelWidth();
        const QList<QPointF> line = reduce(smooth, columns);
        const QList<QPointF> rawLine = showRaw ? reduce(c.raw, columns) : QList<QPointF>();
        c.line->replace(line);
        c.rawLine->replace(rawLine);
        if (!m_yZoomed && m_rangeFinder) {
            // The raw curve sets the range when shown; with outliers ignored its spikes run
            // off the top rather than flatten everything else. The range is taken over what is
            // drawn: the per-column minima and maxima hold the visible extremes exactly, and a
            // spike is still one column in a thousand, so percentiles leave it out, at a few
            // thousand points instead of every point in view.
            const bool reduced = m_reducer != nullptr;
            const QList<QPointF> &measured =
                showRaw ? (reduced ? rawLine : c.raw) : (reduced ? line : smooth);
            const CurveRange r = m_rangeFinder(measured, m_xMin, m_xMax, m_ignoreOutliers, m_logY);
            if (r.valid && (!y.valid || r.lo < y.lo))
                y.lo = r.lo;
            if (r.valid && (!y.valid || r.hi > y.hi))
                y.hi = r.hi;
            y.valid = y.valid || r.valid;
        }
    }
    if (!m_yZoomed) {
        if (!m_rangeFinder) {
            // Without a finder: the full range of what is drawn.
            for (const Curve &c : m_curves) {
                for (const QPointF &p : c.line->points()) {
                    if (!std::isfinite(p.y()))
                        continue;
                    y.lo = y.valid ? std::min(y.lo, p.y()) : p.y();
                    y.hi = y.valid ? std::max(y.hi, p.y()) : p.y();
                    y.valid = true;
                }
            }
        }
        if (!y.valid || !(y.hi > y.lo)) {
            const double mid = y.valid ? y.lo : (m_logY ? 1 : 0);
            y.lo = m_logY ? (mid > 0 ? mid / 2 : 0.1) : mid - 0.5;
            y.hi = m_logY ? (mid > 0 ? mid * 2 : 10) : mid + 0.5;
        }
        m_yMin = y.lo;
        m_yMax = y.hi;
    }

    QList<QPointF> markerPoints;
    for (const CurveMarker &m : m_markers) {
        if (m.x < m_xMin || m.x > m_xMax)
            continue;
        double my = m.y;
        if (!std::isfinite(my) || (m_logY && !(my > 0)))
            my = m_logY ? m_yMin * std::pow(m_yMax / m_yMin, 0.95)
                        : m_yMin + 0.95 * (m_yMax - m_yMin);
        markerPoints.append(QPointF(m.x, my));
    }
    m_markerSeries->replace(markerPoints);
    m_markerSeries->setVisible(!markerPoints.isEmpty());

    applyAxisRanges();
    syncLegend();
    m_applying = false;
    Q_EMIT viewChanged();
}

void CurveChart::applyAxisRanges()
{
    m_x->setRange(m_xMin, m_xMax);
    if (m_logY)
        m_yLog->setRange(m_yMin, m_yMax);
    else
        m_yLinear->setRange(m_yMin, m_yMax);
}

void CurveChart::syncLegend()
{
    // Hiding a series hides its legend marker too; the entry must stay to be clicked back on.
    QLegend *legend = chart()->legend();
    for (QLegendMarker *marker : legend->markers(m_markerSeries))
        marker->setVisible(false);
    for (const Curve &c : m_curves) {
        for (QLegendMarker *marker : legend->markers(c.rawLine))
            marker->setVisible(false);
        for (QLegendMarker *marker : legend->markers(c.line)) {
            marker->setVisible(true);
            QColor label = legend->labelColor();
            label.setAlpha(c.visible ? 255 : 90);
            marker->setLabelBrush(label);
            QColor swatch = c.color;
            swatch.setAlpha(c.visible ? 255 : 60);
            marker->setBrush(swatch);
        }
    }
}

void CurveChart::onAxisRangeChanged()
{
    if (m_applying)
        return;
    // The user moved the view (rubber band, pan, Qt's right-click zoom out): keep it.
    const double x0 = m_x->min();
    const double x1 = m_x->max();
    const double y0 = m_logY ? m_yLog->min() : m_yLinear->min();
    const double y1 = m_logY ? m_yLog->max() : m_yLinear->max();
    if (x0 != m_xMin || x1 != m_xMax) {
        m_xMin = x0;
        m_xMax = x1;
        m_xZoomed = true;
    }
    if (y0 != m_yMin || y1 != m_yMax) {
        m_yMin = y0;
        m_yMax = y1;
        m_yZoomed = true;
    }
    scheduleRefresh(0);
}

void CurveChart::setXRange(double lo, double hi)
{
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return;
    m_xMin = lo;
    m_xMax = hi;
    m_xZoomed = true;
    m_yZoomed = false;
    refreshNow();
}

void CurveChart::zoomX(double factor, double centerX)
{
    const double lo = centerX - (centerX - m_xMin) * factor;
    const double hi = centerX + (m_xMax - centerX) * factor;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return;
    m_xMin = lo;
    m_xMax = hi;
    m_xZoomed = true;
    refreshNow();
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
        chart()->scroll(-d.x(), d.y()); // reaches onAxisRangeChanged, which keeps the view
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
    const QPointF chartPos = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    if (!chart()->plotArea().contains(chartPos) || m_curves.empty()) {
        event->ignore();
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    const double x = chart()->mapToValue(chartPos, m_curves.front().line).x();
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
        chart()->scroll(-plot.width() / 10, 0);
        break;
    case Qt::Key_Right:
        chart()->scroll(plot.width() / 10, 0);
        break;
    case Qt::Key_Up:
        chart()->scroll(0, plot.height() / 10);
        break;
    case Qt::Key_Down:
        chart()->scroll(0, -plot.height() / 10);
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
    setToolTip(QString());
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
        lines.append(line);
    }
    // Markers within 4 pixels of the cursor add their text.
    const double perPixel = (m_xMax - m_xMin) / std::max(1.0, plot.width());
    for (const CurveMarker &m : m_markers) {
        if (std::abs(m.x - x) <= 4 * perPixel)
            lines.append(QStringLiteral("⚠ ") + m.text);
    }
    m_crosshair = lines.join(QLatin1Char('\n'));
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

QList<QPointF> CurveChart::displayedPoints(int index) const
{
    if (index < 0 || index >= seriesCount())
        return {};
    return m_curves[size_t(index)].line->points();
}

QString CurveChart::crosshairText() const
{
    return m_crosshair;
}

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
