#include "curvechart.h"
#include "roundticks.h"

#include <QAbstractAxis>
#include <QGraphicsLineItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>

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

//! Qt Charts draws nothing sensible for y <= 0 on a log axis; such points are left out.
QList<QPointF> positiveOnly(QList<QPointF> points)
{
    points.removeIf([](const QPointF &p) { return !(p.y() > 0); });
    return points;
}

} // namespace

// The chart goes to QChartView's constructor: QChartView(parent) makes a default chart of its
// own, and a later setChart() gives up ownership of that one without deleting it (LeakSanitizer
// found one QChart and its scene items leaked per chart view).
CurveChart::CurveChart(QWidget *parent) : QChartView(new QChart, parent)
{
    QChart *chart = this->chart(); // the view owns it
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_baseMargins = chart->margins();
    connect(chart, &QChart::plotAreaChanged, this, &CurveChart::plotAreaChanged);
    setRenderHint(QPainter::Antialiasing, false);
    setRubberBand(QChartView::RectangleRubberBand);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(helpText());
    setWhatsThis(helpText());

    m_x = new QValueAxis;
    m_yLinear = new QValueAxis;
    m_yLog = new QLogValueAxis;
    m_yLog->setLabelFormat(QStringLiteral("%g"));
    m_yLog->setBase(10);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_yLinear, Qt::AlignLeft);
    m_yRight = new QValueAxis;
    chart->addAxis(m_yRight, Qt::AlignRight);
    m_yRight->setVisible(false);
    // Axis labels grouped as the locale writes numbers (1,000,000, not 1000000), also in the C
    // locale, which omits group separators unless asked.
    QLocale numbers;
    numbers.setNumberOptions(numbers.numberOptions() & ~QLocale::OmitGroupSeparator);
    chart->setLocale(numbers);
    chart->setLocalizeNumbers(true);
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
    ++m_generation;
    scheduleRefresh(0);
}

void CurveChart::setSmoother(Smoother smoother)
{
    m_smoother = std::move(smoother);
    ++m_generation;
    for (Curve &c : m_curves)
        c.smoothDirty = true;
    scheduleRefresh(0);
}

void CurveChart::setSmootherExtension(SmootherExtension extension)
{
    m_smootherExtension = std::move(extension);
}

void CurveChart::setRangeFinder(RangeFinder rangeFinder)
{
    m_rangeFinder = std::move(rangeFinder);
    ++m_generation;
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
    // The smoothed curve is extended when drawn (smoothedOf), not smoothed again.
    m_curves[size_t(index)].raw.append(points);
    scheduleRefresh(appendBatchMs);
}

void CurveChart::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    ++m_generation;
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
    // The left axis stays the chart's first vertical one (axes(Qt::Vertical).first()).
    chart()->removeAxis(m_yRight);
    chart()->addAxis(m_yRight, Qt::AlignRight);
    for (Curve &c : m_curves) {
        if (c.onRight) { // a log axis shows every scale: all curves go back left
            c.line->detachAxis(m_yRight);
            c.rawLine->detachAxis(m_yRight);
            c.onRight = false;
            styleCurve(c);
        }
        c.line->attachAxis(to);
        c.rawLine->attachAxis(to);
    }
    m_markerSeries->attachAxis(to);
    m_logY = on;
    ++m_generation;
    m_yZoomed = false; // a linear y zoom means nothing on a log axis
    m_applying = false;
    refreshNow();
}

void CurveChart::setWholeNumberTicks(Qt::Orientations axes)
{
    m_wholeNumberTicks = axes;
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

void CurveChart::scheduleRefresh(int delayMs)
{
    if (m_refreshTimer.isActive() && m_refreshTimer.remainingTime() <= delayMs)
        return;
    m_refreshTimer.start(delayMs);
}

void CurveChart::scheduleFrameRefresh()
{
    const qint64 since = m_sinceRefresh.isValid() ? m_sinceRefresh.elapsed() : frameMs;
    scheduleRefresh(int(std::max<qint64>(0, frameMs - since)));
}

int CurveChart::plotPixelWidth() const
{
    const int w = int(chart()->plotArea().width());
    return w > 10 ? w : std::max(100, width());
}

const QList<QPointF> &CurveChart::smoothedOf(Curve &curve)
{
    if (!(m_smoothing > 0 && m_smoother)) {
        curve.smoothed.clear(); // a copy sharing raw's data would make every append copy it
        curve.smoothDirty = true;
        return curve.raw;
    }
    if (curve.smoothDirty) {
        curve.smoothed = m_smoother(curve.raw, m_smoothing);
        curve.smoothDirty = false;
    } else if (curve.smoothed.size() != curve.raw.size()) {
        // Points were appended: smooth only those when the page gave us the means.
        if (m_smootherExtension && curve.smoothed.size() < curve.raw.size())
            m_smootherExtension(curve.raw, m_smoothing, curve.smoothed);
        else
            curve.smoothed = m_smoother(curve.raw, m_smoothing);
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
        auto [lo, hi] = dataXRange();
        if (hi >= lo && m_xExtentLo <= m_xExtentHi) { // the other panels' range, with data
            lo = std::min(lo, m_xExtentLo);
            hi = std::max(hi, m_xExtentHi);
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        } else if (hi == lo && lo > 0) {
            // One x so far (the first evaluation at step 54): from 0, as the run's other
            // panels are, rather than 53.6 to 54.4 in fractions of a step.
            lo = 0;
            hi *= 1.05;
        } else if (hi == lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        m_xMin = lo;
        m_xMax = hi;
    }

    const int columns = showRaw ? std::max(1, plotPixelWidth() / 2) : plotPixelWidth();
    for (Curve &c : m_curves)
        if (c.visible)
            updateReduction(c, showRaw, columns);
    findCoincidingCurves();
    assignScaleSides();
    CurveRange y, right;
    for (Curve &c : m_curves) {
        if (!c.visible || !m_rangeFinder || !c.range.valid || (m_yZoomed && !c.onRight))
            continue;
        CurveRange &r = c.onRight ? right : y;
        r.lo = r.valid ? std::min(r.lo, c.range.lo) : c.range.lo;
        r.hi = r.valid ? std::max(r.hi, c.range.hi) : c.range.hi;
        r.valid = true;
    }
    if (right.valid && right.hi > right.lo) {
        m_yRightMin = right.lo;
        m_yRightMax = right.hi;
    }
    if (!m_yZoomed) {
        if (!m_rangeFinder) {
            // Without a finder: the full range of what is drawn.
            for (const Curve &c : m_curves) {
                if (!c.visible || c.onRight)
                    continue;
                for (const QPointF &p : c.reducedLine) {
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
    applyToChart(markerPoints);
    m_applying = false;
    m_sinceRefresh.start();
    Q_EMIT viewChanged();
}

void CurveChart::updateReduction(Curve &c, bool showRaw, int columns)
{
    const ReductionKey key{m_xMin,       m_xMax, columns,         c.raw.size(),
                           m_generation, m_logY, m_ignoreOutliers};
    if (key == c.reducedFor)
        return; // same data, same view: same points (a legend click, a marker, a resize back)
    const QList<QPointF> &smooth = smoothedOf(c);
    // Qt Charts strokes every point it is given twice (the line, and its hit-test shape),
    // which costs more than all our numbers together. With smoothing on, both the faint
    // raw band and the 2 px smoothed line get one min/max pair per two pixel columns,
    // which looks the same; a raw curve shown alone keeps one pair per column.
    c.reducedLine = reduce(smooth, columns);
    c.reducedRaw = showRaw ? reduce(c.raw, columns) : QList<QPointF>();
    c.range = {};
    if (m_rangeFinder) {
        // The raw curve sets the range when shown; with outliers ignored its spikes run
        // off the top rather than flatten everything else. The range is taken over what is
        // drawn: the per-column minima and maxima hold the visible extremes exactly, and a
        // spike is still one column in a thousand, so percentiles leave it out, at a few
        // thousand points instead of every point in view.
        const bool reduced = m_reducer != nullptr;
        const QList<QPointF> &measured =
            showRaw ? (reduced ? c.reducedRaw : c.raw) : (reduced ? c.reducedLine : smooth);
        c.range = m_rangeFinder(measured, m_xMin, m_xMax, m_ignoreOutliers, m_logY);
    }
    c.reducedFor = key;
}

void CurveChart::applyToChart(const QList<QPointF> &markerPoints)
{
    // Every axis range change and every replace() makes each non-empty series recompute its
    // path and hit-test outline. So when the axes move, the series are emptied first (cheap),
    // the axes set, and then each series gets its points once; a series whose points are the
    // same as before is left alone.
    const bool showRaw = m_smoothing > 0 && m_smoother;
    QAbstractAxis *yAxis = m_logY ? static_cast<QAbstractAxis *>(m_yLog) : m_yLinear;
    const double yMinNow = m_logY ? m_yLog->min() : m_yLinear->min();
    const double yMaxNow = m_logY ? m_yLog->max() : m_yLinear->max();
    bool anyRight = false;
    for (const Curve &c : m_curves)
        anyRight = anyRight || (c.visible && c.onRight);
    const bool axesMove =
        m_x->min() != m_xMin || m_x->max() != m_xMax || yMinNow != m_yMin || yMaxNow != m_yMax ||
        (anyRight && (m_yRight->min() != m_yRightMin || m_yRight->max() != m_yRightMax));
    bool visibilityChanged = false;
    const auto show = [&](QLineSeries *series, bool visible) {
        if (series->isVisible() != visible) {
            series->setVisible(visible);
            visibilityChanged = true;
        }
    };
    if (axesMove) {
        for (Curve &c : m_curves) {
            if (c.line->count() > 0)
                c.line->clear();
            if (c.rawLine->count() > 0)
                c.rawLine->clear();
        }
        if (m_markerSeries->count() > 0)
            m_markerSeries->clear();
    }
    // Also when the axes did not move here: a rubber band or Qt's own zoom out moved them
    // before this redraw, and the tick interval must follow.
    const QRectF plot = chart()->plotArea();
    const int plotHeight = int(plot.height() > 10 ? plot.height() : height());
    const auto minStep = [this](Qt::Orientation axis) {
        return m_wholeNumberTicks.testFlag(axis) ? 1.0 : 0.0;
    };
    setRangeWithRoundTicks(m_x, m_xMin, m_xMax, std::clamp(plotPixelWidth() / 110, 2, 12),
                           minStep(Qt::Horizontal));
    if (m_logY)
        yAxis->setRange(m_yMin, m_yMax);
    else
        setRangeWithRoundTicks(m_yLinear, m_yMin, m_yMax, std::clamp(plotHeight / 45, 2, 10),
                               minStep(Qt::Vertical));
    if (m_yRight->isVisible() != anyRight)
        m_yRight->setVisible(anyRight);
    if (anyRight)
        setRangeWithRoundTicks(m_yRight, m_yRightMin, m_yRightMax,
                               std::clamp(plotHeight / 45, 2, 10));
    static const QList<QPointF> none;
    for (Curve &c : m_curves) {
        show(c.line, c.visible);
        show(c.rawLine, c.visible && showRaw);
        const QList<QPointF> &line = c.visible ? c.reducedLine : none;
        const QList<QPointF> &raw = c.visible && showRaw ? c.reducedRaw : none;
        if (c.line->points() != line)
            c.line->replace(line);
        // A line through one point draws nothing (an evaluation run once showed an empty
        // chart), and a few far-apart measurements read better as dots on their line.
        const bool dots = !line.isEmpty() && (line.size() == 1 ||
                                              plotPixelWidth() / line.size() >= sparseDotSpacingPx);
        if (c.line->pointsVisible() != dots)
            c.line->setPointsVisible(dots);
        if (c.rawLine->points() != raw)
            c.rawLine->replace(raw);
    }
    if (m_markerSeries->points() != markerPoints)
        m_markerSeries->replace(markerPoints);
    if (m_markerSeries->isVisible() == markerPoints.isEmpty()) {
        m_markerSeries->setVisible(!markerPoints.isEmpty());
        visibilityChanged = true;
    }
    if (visibilityChanged)
        syncLegend(); // showing a series shows its legend marker, the raw one's too
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

qreal CurveChart::naturalPlotLeft() const
{
    return mapFromScene(chart()->mapToScene(chart()->plotArea().topLeft())).x() -
           m_plotLeftPadding;
}

void CurveChart::setPlotLeftPadding(qreal px)
{
    px = std::max<qreal>(0, std::round(px));
    if (px == m_plotLeftPadding)
        return;
    m_plotLeftPadding = px;
    QMargins margins = m_baseMargins;
    margins.setLeft(margins.left() + int(px));
    chart()->setMargins(margins);
}

} // namespace widgets
