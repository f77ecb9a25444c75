#pragma once

// The one chart for every curve in the app (training monitor, Overview sparklines, dataset
// histograms). It takes plain series of (x, y) points and knows nothing of the platform.
//
// Qt Charts is never handed the full series: on every view change (zoom, pan, resize, append)
// the chart asks its Reducer for at most about two points per pixel column of the visible x
// range and replaces the Qt Charts series in one call. The numbers (reduction, smoothing, y
// ranges) come in through hooks, so they stay unit-tested functions below this layer; the
// page wires them to models/curvemath (models::reduceMinMax, smoothEma, yRange).
//
// Reduction, smoothing and the y range run synchronously on the GUI thread; what costs is Qt
// Charts itself: every change of a series' points or of an axis range makes each line series
// rebuild its path and its hit-test outline (a QPainterPathStroker pass over every point). So a
// view change hands each series its points exactly once: series are emptied before the axes
// move, a series whose points did not change is not handed them again, reductions are cached
// per view, live appends smooth only the new points, and zoom, pan and appends are coalesced
// into at most one redraw per frame. bench/ui/bench_curvechart prints the figures.

#include <QChartView>
#include <QColor>
#include <QElapsedTimer>
#include <QList>
#include <QPointF>
#include <QString>
#include <QTimer>

#include <functional>
#include <limits>
#include <utility>
#include <vector>

class QLabel;
class QAbstractSeries;
class QGraphicsLineItem;
class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace widgets {

//! One named curve. points must be sorted by x (steps, epochs or seconds).
struct CurveSeries
{
    QString name;
    QList<QPointF> points;
    QColor color; //!< invalid: the chart picks one
};

//! A warning or note drawn at x (y NaN: near the top of the plot), with its text as tooltip.
struct CurveMarker
{
    double x = 0;
    double y = qQNaN();
    QString text;
};

//! A y range from the RangeFinder hook; invalid when there was nothing to measure.
struct CurveRange
{
    double lo = 0;
    double hi = 0;
    bool valid = false;
};

//! A reusable Qt Charts chart: raw series faint behind their smoothed curve, log y, zoom (rubber
//! band, Ctrl+wheel, +/-; the plain wheel is left to the scrolling page around it), pan (middle
//! drag, arrow keys), reset (double click, Home), a crosshair reading out every series at the
//! hovered x, legend entries that toggle series, warning markers, live append that keeps the user's
//! zoom, and PNG/SVG export.
class CurveChart : public QChartView
{
    Q_OBJECT

public:
    //! (sorted points, xMin, xMax, pixel columns) -> at most ~2 points per column.
    using Reducer = std::function<QList<QPointF>(const QList<QPointF> &, double, double, int)>;
    //! (points, weight in [0, 0.999]) -> smoothed points, same x.
    using Smoother = std::function<QList<QPointF>(const QList<QPointF> &, double)>;
    //! (points, weight, smoothed) extends `smoothed`, which holds the Smoother's result for the
    //! first smoothed.size() points, to all points; the result must equal the Smoother's.
    using SmootherExtension = std::function<void(const QList<QPointF> &, double, QList<QPointF> &)>;
    //! (points, xMin, xMax, ignoreOutliers, positiveOnly) -> y range with margin.
    using RangeFinder =
        std::function<CurveRange(const QList<QPointF> &, double, double, bool, bool)>;

    explicit CurveChart(QWidget *parent = nullptr);
    ~CurveChart() override;

    //! Hooks; without a Reducer the series go to Qt Charts unreduced (fine only for small data).
    void setReducer(Reducer reducer);
    void setSmoother(Smoother smoother);
    //! Optional: lets live appends smooth only the new points (without it, the whole curve is
    //! smoothed again on every redraw).
    void setSmootherExtension(SmootherExtension extension);
    void setRangeFinder(RangeFinder rangeFinder);

    //! Replaces all curves and resets the zoom.
    void setSeries(const QList<CurveSeries> &series);
    int seriesCount() const;
    //! Appends points (x beyond the curve's last x) to curve `index`. Redrawn in batches at most
    //! every appendBatchMs; a zoomed view stays where the user put it, otherwise it follows the
    //! data.
    void appendPoints(int index, const QList<QPointF> &points);

    //! TensorBoard-style smoothing weight, 0 (off) to 0.999; the raw curve stays faint behind.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }

    void setLogY(bool on);
    bool logY() const { return m_logY; }

    //! Ticks on whole numbers only along these axes, for values that are counts (examples per
    //! bin, rollouts): a histogram of two examples read "0.5" and "1.5". Default: neither.
    void setWholeNumberTicks(Qt::Orientations axes);

    //! When on (the default), the automatic y range ignores outliers (RangeFinder's choice).
    void setIgnoreOutliers(bool on);
    bool ignoresOutliers() const { return m_ignoreOutliers; }

    void setSeriesVisible(int index, bool visible);
    bool isSeriesVisible(int index) const;

    void setMarkers(const QList<CurveMarker> &markers);

    //! Back to the full data range with automatic y.
    void resetZoom();
    //! Zooms x to [lo, hi] (y follows automatically), as if the user had: the view stays there
    //! while points append. Used to centre a chart on a warning and to keep a zoom across
    //! setSeries(). Ignored unless lo < hi.
    void setXRange(double lo, double hi);
    bool isZoomed() const { return m_xZoomed || m_yZoomed; }
    //! The unzoomed x range covers at least [lo, hi] besides this chart's own curves: charts of
    //! one run line up (evaluations from step 10 under a loss from step 1). NaNs: none.
    void setXExtent(double lo, double hi);
    //! The x range of the visible curves' points (lo > hi when there are none).
    std::pair<double, double> dataXRange() const;
    //! Where the plot area's left edge would be without setPlotLeftPadding(), in the view's
    //! coordinates: it moves with the width of the y axis labels ("2" or "0.05").
    qreal naturalPlotLeft() const;
    //! Moves the plot area's left edge right by `px`, so that stacked charts of one run line up
    //! their axes whatever their labels.
    void setPlotLeftPadding(qreal px);
    //! The visible x and y ranges (x: left, right; y: top = lo, bottom = hi).
    QRectF visibleRange() const;
    //! Whether curve `index` is drawn against the right-hand y axis (its values are orders of
    //! magnitude from the first curve's: tokens beside epochs).
    bool isOnRightAxis(int index) const;
    //! The legend's text for curve `index` (its name, and "right axis" or "same as …").
    QString legendName(int index) const;

    //! Redraws now instead of at the next batch (tests, benchmarks).
    void refreshNow();
    //! How long appended points wait to be drawn together with the next ones.
    static constexpr int appendBatchMs = 50;
    //! Zoom and pan redraw at most once per this many ms (one 60 Hz frame).
    static constexpr int frameMs = 16;
    //! A curve is drawn with a dot on each point when it has one point, or when its points
    //! are at least this far apart on average.
    static constexpr int sparseDotSpacingPx = 40;
    //! The points handed to Qt Charts for curve `index` (smoothed, or raw when smoothing is 0).
    QList<QPointF> displayedPoints(int index) const;
    //! How to zoom, pan and reset: the tooltip outside the plot area (and the chart's What's This).
    static QString helpText();
    //! The crosshair's text, empty when the mouse is not over the plot.
    QString crosshairText() const;

    //! Writes the chart as PNG or SVG, whole or not at all; on failure *error says why.
    bool exportPng(const QString &path, QString *error = nullptr);
    bool exportSvg(const QString &path, QString *error = nullptr);

Q_SIGNALS:
    void viewChanged();
    //! The plot area moved or changed size (new axis labels, a resize).
    void plotAreaChanged();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    //! What a curve's reduction was computed for; equal keys give equal reductions.
    struct ReductionKey
    {
        double xMin = 0, xMax = 0;
        int columns = 0;
        qsizetype points = -1;
        quint64 generation = 0;
        bool logY = false;
        bool ignoreOutliers = false;
        bool operator==(const ReductionKey &) const = default;
    };

    struct Curve
    {
        QString name;
        QColor color;
        QList<QPointF> raw;
        //! Smoothed raw[0, smoothed.size()) when !smoothDirty; appends extend it.
        QList<QPointF> smoothed;
        bool smoothDirty = true;
        bool visible = true;
        QLineSeries *line = nullptr;    // owned by the chart
        QLineSeries *rawLine = nullptr; // owned by the chart
        ReductionKey reducedFor;        // reducedLine, reducedRaw and range hold for this key
        QList<QPointF> reducedLine, reducedRaw;
        CurveRange range;
        //! On the right-hand y axis: its values are orders of magnitude from the others'.
        bool onRight = false;
        //! Index of an earlier curve with the same points (drawn dashed over it), or -1.
        int sameAs = -1;
    };

    void clearCurves();
    //! Puts curves whose values are orders of magnitude apart from the first curve's on the
    //! right-hand axis (linear y only; a log axis shows them all); true when one moved.
    bool assignScaleSides();
    //! Finds curves that repeat an earlier curve's points exactly (drawn dashed, said in the
    //! legend); true when that changed.
    bool findCoincidingCurves();
    //! The legend name and pen of a curve from its side and whether it repeats another.
    void styleCurve(Curve &curve);
    void attachToAxes(QAbstractSeries *series);
    void scheduleRefresh(int delayMs);
    //! A redraw at the next frame: now if the last one was a frame ago, else when it is.
    void scheduleFrameRefresh();
    //! Brings the curve's cached reduction and y range up to the current view.
    void updateReduction(Curve &curve, bool showRaw, int columns);
    //! Hands Qt Charts the new points and axis ranges, each series at most once.
    void applyToChart(const QList<QPointF> &markerPoints);
    //! Moves the view by pixels, like QChart::scroll (dx > 0: right, dy > 0: up).
    void panBy(double dx, double dy);
    void onAxisRangeChanged();
    void zoomX(double factor, double centerX);
    void updateCrosshair(const QPointF &viewPos);
    void hideCrosshair();
    void syncLegend();
    int plotPixelWidth() const;
    QColor backgroundColor() const;
    //! `color` mixed into the background: the raw curve behind its smoothed line.
    QColor faintColor(const QColor &color) const;
    //! Background, labels, grid, crosshair and readout from the palette (Light/Dark).
    void followPalette();
    const QList<QPointF> &smoothedOf(Curve &curve);
    QList<QPointF> reduce(const QList<QPointF> &points, int columns) const;

    Reducer m_reducer;
    Smoother m_smoother;
    SmootherExtension m_smootherExtension;
    quint64 m_generation = 1; // bumped when smoothing, reduction or y mode change
    RangeFinder m_rangeFinder;

    std::vector<Curve> m_curves;
    QList<CurveMarker> m_markers;
    QScatterSeries *m_markerSeries = nullptr; // owned by the chart
    QValueAxis *m_x = nullptr;                // owned by the chart
    QValueAxis *m_yLinear = nullptr;          // owned by the chart while attached, else by us
    QLogValueAxis *m_yLog = nullptr;          // owned by the chart while attached, else by us
    QValueAxis *m_yRight = nullptr;           // owned by the chart; hidden while unused
    QGraphicsLineItem *m_crossLine = nullptr; // child of the chart
    QLabel *m_readout = nullptr;              // child of the viewport

    double m_smoothing = 0;
    bool m_logY = false;
    qreal m_plotLeftPadding = 0;
    QMargins m_baseMargins;
    bool m_ignoreOutliers = true;
    bool m_xZoomed = false;
    Qt::Orientations m_wholeNumberTicks;
    double m_xExtentLo = std::numeric_limits<double>::quiet_NaN();
    double m_xExtentHi = std::numeric_limits<double>::quiet_NaN();
    bool m_yZoomed = false;
    bool m_applying = false; // true while we set axes or data ourselves
    double m_xMin = 0, m_xMax = 1, m_yMin = 0, m_yMax = 1;
    double m_yRightMin = 0, m_yRightMax = 1; // always the automatic range of its curves
    QPoint m_panFrom;
    bool m_panning = false;
    QString m_crosshair;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
};

} // namespace widgets
