// The shared curve chart as a person uses it: series drawn from a per-pixel reduction, a zoom
// that stays while points stream in, legend clicks, the log axis, the crosshair under a real
// mouse move, wheel/keys/double click, warning markers, and PNG/SVG export.

#include <models/curvemath.h>
#include <widgets/curvechart.h>

#include <QApplication>
#include <QFile>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>
#include <limits>

using widgets::CurveChart;
using widgets::CurveSeries;

namespace {

//! What a page does: hand the chart the unit-tested math from models/curvemath.
void wireMath(CurveChart &chart)
{
    chart.setReducer([](const QList<QPointF> &p, double x0, double x1, int width) {
        return models::reduceMinMax(p, x0, x1, width);
    });
    chart.setSmoother([](const QList<QPointF> &p, double w) { return models::smoothEma(p, w); });
    chart.setSmootherExtension(&models::smoothEmaExtend);
    chart.setRangeFinder(
        [](const QList<QPointF> &p, double x0, double x1, bool robust, bool positive) {
            models::RangeOptions o;
            o.mode = robust ? models::RangeMode::Robust : models::RangeMode::Full;
            o.positiveOnly = positive;
            const models::ValueRange r = models::yRange(p, x0, x1, o);
            return widgets::CurveRange{r.lo, r.hi, r.valid};
        });
}

QList<QPointF> curve(int n, double (*f)(int), int firstX = 0)
{
    QList<QPointF> out;
    for (int i = 0; i < n; ++i)
        out.append(QPointF(firstX + i, f(firstX + i)));
    return out;
}

QLineSeries *lineNamed(CurveChart &chart, const QString &name)
{
    for (QAbstractSeries *s : chart.chart()->series()) {
        if (s->name() == name)
            return qobject_cast<QLineSeries *>(s);
    }
    return nullptr;
}

//! Where the legend shows `name`, in viewport coordinates (found in the legend's items).
QPoint legendEntry(CurveChart &chart, const QString &name)
{
    QList<QGraphicsItem *> todo = chart.chart()->legend()->childItems();
    while (!todo.isEmpty()) {
        QGraphicsItem *item = todo.takeFirst();
        todo.append(item->childItems());
        auto *text = dynamic_cast<QGraphicsTextItem *>(item);
        auto *simple = dynamic_cast<QGraphicsSimpleTextItem *>(item);
        const QString shown = text ? text->toPlainText() : simple ? simple->text() : QString();
        if (item->isVisible() && shown == name)
            return chart.mapFromScene(item->sceneBoundingRect().center());
    }
    return {-1, -1};
}

QPoint plotPoint(CurveChart &chart, double fx, double fy)
{
    const QRectF plot = chart.chart()->plotArea();
    return chart.mapFromScene(chart.chart()->mapToScene(
        QPointF(plot.left() + fx * plot.width(), plot.top() + fy * plot.height())));
}

} // namespace

class tst_CurveChart : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CurveChart> shownChart(const QList<CurveSeries> &series)
    {
        auto chart = std::make_unique<CurveChart>();
        wireMath(*chart);
        chart->resize(800, 500);
        chart->setSeries(series);
        chart->show();
        if (!QTest::qWaitForWindowExposed(chart.get()))
            return nullptr;
        chart->refreshNow();
        return chart;
    }

private Q_SLOTS:
    void initTestCase() { QApplication::setEffectEnabled(Qt::UI_AnimateTooltip, false); }

    void wholeNumberTicks_forCounts()
    {
        // Two examples in the highest bin: the y axis read 0, 0.5, 1, 1.5, 2.
        auto chart = shownChart({{QStringLiteral("examples"),
                                  {QPointF(0, 1), QPointF(1, 2), QPointF(2, 1), QPointF(3, 0)},
                                  {}}});
        QVERIFY(chart);
        chart->resize(800, 600);
        chart->refreshNow();
        QValueAxis *y = nullptr;
        for (QAbstractAxis *a : chart->chart()->axes(Qt::Vertical))
            if (a->isVisible() && !y)
                y = qobject_cast<QValueAxis *>(a);
        QVERIFY(y);
        QVERIFY2(y->tickInterval() < 1, qPrintable(QString::number(y->tickInterval())));
        chart->setWholeNumberTicks(Qt::Vertical);
        QCOMPARE(y->tickInterval(), 1.0);
        chart->setWholeNumberTicks({});
        QVERIFY(y->tickInterval() < 1);
    }

    void xExtent_widensTheUnzoomedRange_notAZoom()
    {
        // Evaluations from step 10 to 40, under a loss panel that starts at step 1.
        auto chart = shownChart(
            {{QStringLiteral("eval"), curve(4, [](int i) { return 1.0 / i; }, 10), {}}});
        QVERIFY(chart);
        QCOMPARE(chart->dataXRange(), (std::pair<double, double>(10, 13)));
        QCOMPARE(chart->visibleRange().left(), 10.0);
        chart->setXExtent(1, 40);
        chart->refreshNow();
        QCOMPARE(chart->visibleRange().left(), 1.0);
        QCOMPARE(chart->visibleRange().right(), 40.0);
        QVERIFY(!chart->isZoomed());
        // A zoom is the user's; reset goes back to the shared range, not the chart's own.
        chart->setXRange(11, 12);
        QCOMPARE(chart->visibleRange().left(), 11.0);
        chart->resetZoom();
        QCOMPARE(chart->visibleRange().left(), 1.0);
        // Without an extent the chart is its own again.
        const double nan = std::numeric_limits<double>::quiet_NaN();
        chart->setXExtent(nan, nan);
        chart->refreshNow();
        QCOMPARE(chart->visibleRange().left(), 10.0);
        QCOMPARE(chart->visibleRange().right(), 13.0);
    }

    void series_shownAsPerPixelReduction()
    {
        QList<QPointF> loss = curve(100000, [](int i) { return 2.0 + std::sin(i * 0.01); });
        loss[77777].setY(40); // a spike the reduction must keep
        auto chart = shownChart(
            {{QStringLiteral("loss"), loss, {}},
             {QStringLiteral("eval"), curve(50, [](int i) { return 1.0 + i * 0.01; }), {}}});
        QVERIFY(chart);
        QLineSeries *line = lineNamed(*chart, QStringLiteral("loss"));
        QVERIFY(line);
        QVERIFY(line->isVisible());
        const int width = int(chart->chart()->plotArea().width());
        QVERIFY(width > 100);
        const QList<QPointF> shown = line->points();
        QVERIFY2(shown.size() <= 2 * width + 4, qPrintable(QString::number(shown.size())));
        QCOMPARE(shown.first(), loss.first());
        QCOMPARE(shown.last(), loss.last());
        QVERIFY(shown.contains(loss[77777]));
        QCOMPARE(chart->displayedPoints(1).size(), 50); // small series: exact
        // The spike does not flatten the curve: the y range ignores it.
        QVERIFY(chart->visibleRange().bottom() < 10);
        chart->setIgnoreOutliers(false);
        QVERIFY(chart->visibleRange().bottom() >= 40);
    }

    void smoothing_drawsRawFaintBehindSmoothed()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(1000, [](int i) { return double(i % 2); }), {}}});
        QVERIFY(chart);
        QLineSeries *raw = lineNamed(*chart, QStringLiteral("loss (raw)"));
        QVERIFY(raw);
        QVERIFY(!raw->isVisible());
        chart->setSmoothing(0.9);
        QVERIFY(raw->isVisible());
        // Faint: nearer the (white) background and thinner than the smoothed curve.
        QLineSeries *smoothed = lineNamed(*chart, QStringLiteral("loss"));
        QVERIFY(raw->pen().color().lightness() > smoothed->pen().color().lightness());
        QVERIFY(raw->pen().widthF() < smoothed->pen().widthF());
        const QList<QPointF> smooth = chart->displayedPoints(0);
        QVERIFY(smooth.last().y() > 0.3 && smooth.last().y() < 0.7);
    }

    void zoom_keptWhilePointsAppend()
    {
        auto chart = shownChart({{QStringLiteral("loss"),
                                  curve(1000, [](int i) { return 1.0 + (i % 10) * 0.1; }),
                                  {}}});
        QVERIFY(chart);
        // Rubber band from 20% to 50% of the plot, as a person drags it.
        const QPoint from = plotPoint(*chart, 0.2, 0.1);
        const QPoint to = plotPoint(*chart, 0.5, 0.9);
        QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(chart->viewport(), (from + to) / 2);
        QTest::mouseMove(chart->viewport(), to);
        QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, to);
        QTRY_VERIFY(chart->isZoomed());
        const QRectF zoomed = chart->visibleRange();
        QVERIFY2(zoomed.left() > 150 && zoomed.right() < 550,
                 qPrintable(QStringLiteral("%1..%2").arg(zoomed.left()).arg(zoomed.right())));

        QSignalSpy redrawn(chart.get(), &CurveChart::viewChanged);
        chart->appendPoints(0, curve(
                                   500, [](int i) { return 1.0 + (i % 10) * 0.1; }, 1000));
        QTRY_VERIFY(redrawn.count() > 0);
        QCOMPARE(chart->visibleRange(), zoomed);
        QVERIFY(chart->isZoomed());
        auto *x = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(x);
        QCOMPARE(x->max(), zoomed.right());

        // After Home the view follows the data again.
        QTest::keyClick(chart.get(), Qt::Key_Home);
        QVERIFY(!chart->isZoomed());
        QCOMPARE(chart->visibleRange().right(), 1499.0);
        redrawn.clear();
        chart->appendPoints(0, curve(
                                   100, [](int) { return 1.0; }, 1500));
        QTRY_VERIFY(redrawn.count() > 0);
        QCOMPARE(chart->visibleRange().right(), 1599.0);
    }

    void wheelKeysAndDoubleClick_zoomPanAndReset()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(1000, [](int i) { return double(i); }), {}}});
        QVERIFY(chart);
        const QPoint centre = plotPoint(*chart, 0.5, 0.5);
        QWheelEvent wheel(centre, chart->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(chart->viewport(), &wheel);
        QVERIFY(chart->isZoomed());
        const QRectF zoomed = chart->visibleRange();
        QVERIFY(zoomed.width() < 700);
        QTest::keyClick(chart.get(), Qt::Key_Right);
        QTRY_VERIFY(chart->visibleRange().left() > zoomed.left());
        QTest::mouseDClick(chart->viewport(), Qt::LeftButton, {}, centre);
        QTRY_VERIFY(!chart->isZoomed());
        QCOMPARE(chart->visibleRange().left(), 0.0);
        QCOMPARE(chart->visibleRange().right(), 999.0);
    }

    void plainWheel_scrollsThePageAroundTheChart_ctrlWheelZooms()
    {
        // Charts stacked in a scroll area, as on the Curves tab: a person scrolling down the
        // page with the pointer over a chart scrolls the page, and the chart keeps its view.
        QScrollArea page;
        auto *host = new QWidget;
        auto *column = new QVBoxLayout(host);
        QList<CurveChart *> charts;
        for (int i = 0; i < 3; ++i) {
            auto *chart = new CurveChart;
            wireMath(*chart);
            chart->setMinimumHeight(400);
            chart->setSeries(
                {{QStringLiteral("loss"), curve(1000, [](int i) { return double(i); }), {}}});
            column->addWidget(chart);
            charts.append(chart);
        }
        page.setWidget(host);
        page.setWidgetResizable(true);
        page.resize(800, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        CurveChart *chart = charts.first();
        chart->refreshNow();
        QVERIFY(chart->toolTip().contains(QStringLiteral("Ctrl+wheel")));
        const QPoint centre = plotPoint(*chart, 0.5, 0.5);
        QCOMPARE(page.verticalScrollBar()->value(), 0);

        // As from the mouse (spontaneous): only such wheel events travel up to the parents.
        QWheelEvent down(centre, chart->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, -240),
                         Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QSpontaneKeyEvent::setSpontaneous(&down);
        qApp->notify(chart->viewport(), &down);
        chart->refreshNow();
        QVERIFY(!chart->isZoomed());
        QVERIFY(page.verticalScrollBar()->value() > 0);

        const int scrolled = page.verticalScrollBar()->value();
        const QPoint stillOver = plotPoint(*chart, 0.5, 0.9);
        QWheelEvent zoom(stillOver, chart->viewport()->mapToGlobal(stillOver), QPoint(),
                         QPoint(0, 240), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase,
                         false);
        QSpontaneKeyEvent::setSpontaneous(&zoom);
        qApp->notify(chart->viewport(), &zoom);
        chart->refreshNow();
        QVERIFY(chart->isZoomed());
        QCOMPARE(page.verticalScrollBar()->value(), scrolled);
    }

    void seriesOfVeryDifferentScales_getAnAxisEach_withGroupedLabels()
    {
        // The Other panel of an SFT job: train/epoch (0 to 3) beside train/tokens (millions).
        // On one axis the epochs were a flat line at 0 under labels like "1000000".
        auto chart = shownChart(
            {{QStringLiteral("train/epoch"), curve(40, [](int i) { return i / 13.0; }), {}},
             {QStringLiteral("train/tokens"), curve(40, [](int i) { return i * 32768.0; }), {}}});
        QVERIFY(chart);
        QVERIFY(!chart->isOnRightAxis(0));
        QVERIFY(chart->isOnRightAxis(1));
        const auto verticalAxisOf = [](QLineSeries *line) -> QValueAxis * {
            for (QAbstractAxis *a : line->attachedAxes())
                if (a->orientation() == Qt::Vertical)
                    return qobject_cast<QValueAxis *>(a);
            return nullptr;
        };
        QLineSeries *epoch = lineNamed(*chart, QStringLiteral("train/epoch"));
        QLineSeries *tokens = lineNamed(*chart, QStringLiteral("train/tokens (right axis)"));
        QVERIFY(epoch && tokens);
        QValueAxis *epochAxis = verticalAxisOf(epoch);
        QValueAxis *tokenAxis = verticalAxisOf(tokens);
        QVERIFY(epochAxis && tokenAxis && epochAxis != tokenAxis);
        QVERIFY2(epochAxis->max() < 10, qPrintable(QString::number(epochAxis->max())));
        QVERIFY(tokenAxis->max() > 1e6);
        QCOMPARE(tokenAxis->alignment(), Qt::AlignRight);
        // Both grow with the step: dashes let the left curve show through the right one.
        QVERIFY(tokens->pen().style() != Qt::SolidLine);
        QCOMPARE(epoch->pen().style(), Qt::SolidLine);
        QVERIFY(legendEntry(*chart, QStringLiteral("train/tokens (right axis)")).x() >= 0);

        // Large tick labels are grouped: 1,200,000, never 1200000.
        QStringList labels;
        for (QGraphicsItem *item : chart->scene()->items())
            if (auto *text = dynamic_cast<QGraphicsTextItem *>(item); text && text->isVisible())
                labels << text->toPlainText();
        const QRegularExpression grouped(QStringLiteral("^\\d{1,3}(,\\d{3})+$"));
        const QRegularExpression ungrouped(QStringLiteral("^\\d{5,}$"));
        QVERIFY2(!labels.filter(grouped).isEmpty(), qPrintable(labels.join(QLatin1Char('|'))));
        QVERIFY2(labels.filter(ungrouped).isEmpty(), qPrintable(labels.join(QLatin1Char('|'))));

        // Compared runs: one run's train/loss diverging to a thousand stays on the axis of the
        // other's (read against it, not rescaled beside it); their tokens go right together.
        auto compared = shownChart({{QStringLiteral("calm · train/loss"),
                                     curve(40, [](int i) { return 2.0 - i / 40.0; }),
                                     {}},
                                    {QStringLiteral("wild · train/loss"),
                                     curve(40, [](int i) { return std::exp(i / 5.6); }),
                                     {}},
                                    {QStringLiteral("calm · train/tokens"),
                                     curve(40, [](int i) { return i * 32768.0; }),
                                     {}},
                                    {QStringLiteral("wild · train/tokens"),
                                     curve(40, [](int i) { return i * 32768.0; }),
                                     {}}});
        QVERIFY(compared);
        QVERIFY(!compared->isOnRightAxis(0));
        QVERIFY(!compared->isOnRightAxis(1));
        QVERIFY(compared->isOnRightAxis(2));
        QVERIFY(compared->isOnRightAxis(3));

        // A log axis shows both scales at once: one axis again.
        chart->setLogY(true);
        QVERIFY(!chart->isOnRightAxis(1));
        QVERIFY(lineNamed(*chart, QStringLiteral("train/tokens")));
    }

    void coincidingSeries_areDashedOverEachOther_andTheLegendSaysSo()
    {
        // An RFT job's reward/Score and train/reward can be the same numbers: the second
        // curve hid the first and its legend entry seemed to show nothing.
        const QList<QPointF> reward = curve(50, [](int i) { return 0.3 + 0.01 * i; });
        auto chart = shownChart(
            {{QStringLiteral("reward/Score"), reward, {}},
             {QStringLiteral("train/reward"), reward, {}},
             {QStringLiteral("eval/reward"), curve(50, [](int i) { return 0.2 + 0.01 * i; }), {}}});
        QVERIFY(chart);
        const QString same = QStringLiteral("train/reward (same as reward/Score)");
        QLineSeries *train = lineNamed(*chart, same);
        QVERIFY(train);
        QVERIFY(train->pen().style() != Qt::SolidLine);
        QCOMPARE(lineNamed(*chart, QStringLiteral("reward/Score"))->pen().style(), Qt::SolidLine);
        QCOMPARE(lineNamed(*chart, QStringLiteral("eval/reward"))->pen().style(), Qt::SolidLine);
        QVERIFY(legendEntry(*chart, same).x() >= 0);

        // Runs compared side by side: the run both curves belong to is named once.
        auto compared = shownChart({{QStringLiteral("run-a · reward/Score"), reward, {}},
                                    {QStringLiteral("run-a · train/reward"), reward, {}}});
        QVERIFY(compared);
        QVERIFY(
            lineNamed(*compared, QStringLiteral("run-a · train/reward (same as reward/Score)")));

        // Once they part, each is a plain curve again.
        chart->appendPoints(0, {QPointF(50, 0.9)});
        chart->appendPoints(1, {QPointF(50, 0.1)});
        chart->refreshNow();
        train = lineNamed(*chart, QStringLiteral("train/reward"));
        QVERIFY(train);
        QCOMPARE(train->pen().style(), Qt::SolidLine);
    }

    void middleDrag_pansAndTheViewStaysThere()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(1000, [](int i) { return double(i % 13); }), {}}});
        QVERIFY(chart);
        const QRectF before = chart->visibleRange();
        const QPoint from = plotPoint(*chart, 0.6, 0.5);
        const QPoint to = plotPoint(*chart, 0.4, 0.5);
        QTest::mousePress(chart->viewport(), Qt::MiddleButton, {}, from);
        QTest::mouseMove(chart->viewport(), (from + to) / 2);
        QTest::mouseMove(chart->viewport(), to);
        QTest::mouseRelease(chart->viewport(), Qt::MiddleButton, {}, to);
        // Dragging left by a fifth of the plot shows data a fifth further right.
        QTRY_VERIFY(chart->visibleRange().left() > before.left() + 150);
        QVERIFY(chart->isZoomed());
        QCOMPARE(chart->visibleRange().width(), before.width());
        QSignalSpy redrawn(chart.get(), &CurveChart::viewChanged);
        const QRectF panned = chart->visibleRange();
        chart->appendPoints(0, curve(
                                   100, [](int) { return 1.0; }, 1000));
        QTRY_VERIFY(redrawn.count() > 0);
        QCOMPARE(chart->visibleRange(), panned);
    }

    void redraw_handsEachSeriesItsPointsAtMostOnce()
    {
        // Qt Charts recomputes a series' whole geometry for every replace() and every axis
        // change, so a view change must reach each series once, and a redraw that changes
        // nothing about a series must not reach it at all.
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(20000, [](int i) { return std::sin(i * 0.01); }), {}},
             {QStringLiteral("eval"), curve(20000, [](int i) { return std::cos(i * 0.01); }), {}}});
        QVERIFY(chart);
        QLineSeries *loss = lineNamed(*chart, QStringLiteral("loss"));
        QVERIFY(loss);
        QSignalSpy replaced(loss, &QXYSeries::pointsReplaced);
        QSignalSpy removed(loss, &QXYSeries::pointsRemoved);
        chart->setMarkers({{5000, qQNaN(), QStringLiteral("note")}});
        QCOMPARE(replaced.count(), 0);
        QCOMPARE(removed.count(), 0);

        chart->setXRange(1000, 9000);
        QCOMPARE(replaced.count(), 1);
        QVERIFY(removed.count() <= 1); // emptied before the axes moved
        QVERIFY(loss->points().first().x() <= 1000 && loss->points().last().x() >= 9000);

        // A burst of wheel notches within one frame: one redraw.
        QSignalSpy redrawn(chart.get(), &CurveChart::viewChanged);
        const QPoint centre = plotPoint(*chart, 0.5, 0.5);
        for (int i = 0; i < 5; ++i) {
            QWheelEvent wheel(centre, chart->viewport()->mapToGlobal(centre), QPoint(),
                              QPoint(0, 120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase,
                              false);
            QApplication::sendEvent(chart->viewport(), &wheel);
        }
        QTRY_COMPARE(redrawn.count(), 1);
        QTest::qWait(3 * CurveChart::frameMs);
        QCOMPARE(redrawn.count(), 1);
        QVERIFY(chart->visibleRange().width() < 8000 * 0.8 * 0.8);
    }

    void axes_tickOnRoundNumbersWhateverTheRange()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(1001, [](int i) { return 1.0 + i * 0.001; }), {}}});
        QVERIFY(chart);
        auto *x = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Horizontal).value(0));
        auto *y = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(x && y);
        const auto roundTicks = [](QValueAxis *axis) {
            const double step = axis->tickInterval();
            const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
            const bool round = std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                               std::abs(mantissa - 5) < 1e-9;
            const double ticks = (axis->max() - axis->min()) / step;
            return axis->tickType() == QValueAxis::TicksDynamic && round && ticks >= 1 &&
                   ticks <= 13;
        };
        QVERIFY(roundTicks(x));
        QVERIFY(roundTicks(y));
        QCOMPARE(x->tickAnchor(), 0.0);
        // Steps to wall time in ms: a range millions of times wider. With the old interval kept for
        // a moment, Qt Charts would lay out millions of tick labels (and the test time out).
        QList<QPointF> wall;
        for (int i = 0; i < 1000; ++i)
            wall.append(QPointF(1.7e12 + i * 3.6e6, 1.0 + i * 0.001)); // hourly, in ms
        chart->setSeries({{QStringLiteral("loss"), wall, {}}});
        QVERIFY(roundTicks(x));
        QVERIFY(x->tickInterval() >= 1e8);
        // And back to a narrow zoom.
        chart->setXRange(1.7e12 + 3.6e6, 1.7e12 + 7.2e6);
        QVERIFY(roundTicks(x));
        QVERIFY(x->tickInterval() <= 1e6);
        QVERIFY(roundTicks(y));
    }

    //! A short panel over 0..47 (a diverging loss) labelled "0" alone: its step was 50. Every
    //! axis has at least two labelled ticks inside its range.
    void axes_shortPanel_labelsAtLeastTwoTicks()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(40, [](int i) { return 0.5 + 0.03 * i * i; }), {}}});
        QVERIFY(chart);
        chart->resize(800, 160); // a panel among several on the Curves tab
        QTest::qWait(2 * CurveChart::frameMs);
        chart->refreshNow();
        auto *y = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QVERIFY2(chart->chart()->plotArea().height() < 135, "the panel is not short");
        const double step = y->tickInterval();
        const double inside = std::floor(y->max() / step + 1e-9) - std::ceil(y->min() / step - 1e-9) + 1;
        QVERIFY2(inside >= 2, qPrintable(QStringLiteral("range %1..%2, step %3")
                                             .arg(y->min())
                                             .arg(y->max())
                                             .arg(step)));
    }

    void smoothedCurve_extendedByAppendsEqualsSmoothingItAll()
    {
        QList<QPointF> all = curve(3000, [](int i) { return std::sin(i * 0.05) + (i % 3) * 0.2; });
        auto chart = shownChart({{QStringLiteral("loss"), all.mid(0, 1000), {}}});
        QVERIFY(chart);
        chart->setSmoothing(0.8);
        chart->appendPoints(0, all.mid(1000, 1000));
        chart->refreshNow();
        chart->appendPoints(0, all.mid(2000));
        chart->refreshNow();
        const int width = int(chart->chart()->plotArea().width());
        QCOMPARE(chart->displayedPoints(0), models::reduceMinMax(models::smoothEma(all, 0.8), 0,
                                                                 2999, std::max(1, width / 2)));
    }

    void legendClick_hidesAndShowsSeries()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(100, [](int i) { return double(i); }), {}},
             {QStringLiteral("reward"), curve(100, [](int i) { return 100.0 - i; }), {}}});
        QVERIFY(chart);
        const QPoint entry = legendEntry(*chart, QStringLiteral("reward"));
        QVERIFY(entry.x() >= 0);
        QVERIFY(legendEntry(*chart, QStringLiteral("reward (raw)")).x() < 0); // raw: no entry
        QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, entry);
        QTRY_VERIFY(!lineNamed(*chart, QStringLiteral("reward"))->isVisible());
        QVERIFY(!chart->isSeriesVisible(1));
        QVERIFY(lineNamed(*chart, QStringLiteral("loss"))->isVisible());
        // The entry stays, so the same click brings the series back.
        QCOMPARE(legendEntry(*chart, QStringLiteral("reward")), entry);
        QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, entry);
        QTRY_VERIFY(lineNamed(*chart, QStringLiteral("reward"))->isVisible());
    }

    void logAxis_showsOnlyPositiveValues()
    {
        QList<QPointF> pts = curve(200, [](int i) { return std::pow(10.0, i / 50.0); });
        pts[10].setY(0);
        pts[20].setY(-3);
        auto chart = shownChart({{QStringLiteral("loss"), pts, {}}});
        QVERIFY(chart);
        chart->setLogY(true);
        auto *y = qobject_cast<QLogValueAxis *>(chart->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QVERIFY(y->min() > 0);
        const QList<QPointF> shown = chart->displayedPoints(0);
        QCOMPARE(shown.size(), 198);
        for (const QPointF &p : shown)
            QVERIFY(p.y() > 0);
        chart->setLogY(false);
        QVERIFY(qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Vertical).value(0)));
        QCOMPARE(chart->displayedPoints(0).size(), 200);
    }

    void crosshair_readsOutEverySeriesAtHoveredX()
    {
        auto chart =
            shownChart({{QStringLiteral("loss"), curve(101, [](int i) { return i * 1.0; }), {}},
                        {QStringLiteral("eval"), curve(101, [](int i) { return i * 2.0; }), {}}});
        QVERIFY(chart);
        QVERIFY(chart->crosshairText().isEmpty());
        const QPoint at = plotPoint(*chart, 0.3, 0.5);
        QTest::mouseMove(chart->viewport(), at);
        QTRY_VERIFY(!chart->crosshairText().isEmpty());
        const double x =
            chart->chart()->mapToValue(chart->chart()->mapFromScene(chart->mapToScene(at))).x();
        const int nearest = int(std::lround(x));
        const QString text = chart->crosshairText();
        QVERIFY2(text.contains(QStringLiteral("loss: %1").arg(nearest)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("eval: %1").arg(nearest * 2)), qPrintable(text));
        // Leaving the plot hides it.
        QTest::mouseMove(chart->viewport(), QPoint(2, 2));
        QTRY_VERIFY(chart->crosshairText().isEmpty());
    }

    void markers_drawnAndNamedByTheCrosshair()
    {
        auto chart =
            shownChart({{QStringLiteral("loss"), curve(101, [](int i) { return i * 1.0; }), {}}});
        QVERIFY(chart);
        chart->setMarkers({{50, qQNaN(), QStringLiteral("Spike at step 50")}});
        QScatterSeries *markers = nullptr;
        for (QAbstractSeries *s : chart->chart()->series())
            markers = markers ? markers : qobject_cast<QScatterSeries *>(s);
        QVERIFY(markers);
        QCOMPARE(markers->count(), 1);
        QCOMPARE(markers->at(0).x(), 50.0);
        const QPointF atMarker = chart->chart()->mapToPosition(markers->at(0), markers);
        QTest::mouseMove(chart->viewport(),
                         chart->mapFromScene(chart->chart()->mapToScene(atMarker)));
        QTRY_VERIFY2(chart->crosshairText().contains(QStringLiteral("Spike at step 50")),
                     qPrintable(chart->crosshairText()));
    }

    void lonePointAndSparseCurves_drawnAsDots()
    {
        // One evaluation so far: a line through one point draws nothing, and the chart looked
        // empty under its axes.
        const QColor red(255, 0, 0);
        auto chart = shownChart({{QStringLiteral("eval"), {QPointF(10, 1.35)}, red}});
        QVERIFY(chart);
        chart->chart()->legend()->hide(); // its marker is red too
        chart->refreshNow();
        QLineSeries *line = lineNamed(*chart, QStringLiteral("eval"));
        QVERIFY(line);
        QVERIFY(line->pointsVisible());
        // Its x axis starts at 0 as a run's other panels do, not at 9.6 in tenths of a step.
        QCOMPARE(chart->visibleRange().left(), 0.0);
        QVERIFY(chart->visibleRange().right() > 10);
        const QPoint at = chart->mapFromScene(
            chart->chart()->mapToScene(chart->chart()->mapToPosition(QPointF(10, 1.35), line)));
        const QImage image = chart->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        int redPixels = 0;
        for (int dy = -6; dy <= 6; ++dy)
            for (int dx = -6; dx <= 6; ++dx) {
                const QColor c =
                    image.pixelColor(int((at.x() + dx) * dpr), int((at.y() + dy) * dpr));
                redPixels += c.red() > 200 && c.green() < 80 && c.blue() < 80;
            }
        QVERIFY2(redPixels >= 4, qPrintable(QString::number(redPixels)));

        // Five points across the plot: dots; a thousand: the line alone.
        auto sparse = shownChart(
            {{QStringLiteral("few"), curve(5, [](int i) { return i * 1.0; }), {}},
             {QStringLiteral("many"), curve(1000, [](int i) { return i * 0.001; }), {}}});
        QVERIFY(sparse);
        QVERIFY(lineNamed(*sparse, QStringLiteral("few"))->pointsVisible());
        QVERIFY(!lineNamed(*sparse, QStringLiteral("many"))->pointsVisible());
    }

    void export_writesPngAndSvg()
    {
        auto chart = shownChart(
            {{QStringLiteral("loss"), curve(1000, [](int i) { return std::sin(i * 0.02); }), {}}});
        QVERIFY(chart);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString png = dir.filePath(QStringLiteral("chart.png"));
        QString error;
        QVERIFY2(chart->exportPng(png, &error), qPrintable(error));
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), chart->size() * chart->devicePixelRatio());

        const QString svg = dir.filePath(QStringLiteral("chart.svg"));
        QVERIFY2(chart->exportSvg(svg, &error), qPrintable(error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray head = file.readAll().trimmed();
        QVERIFY(head.startsWith("<?xml") || head.startsWith("<svg"));
        QVERIFY(head.contains("<path") || head.contains("<polyline"));

        // A folder that does not exist: nothing written, an error instead.
        QVERIFY(!chart->exportPng(dir.filePath(QStringLiteral("missing/chart.png")), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("missing/chart.png"))));
    }
};

QTEST_MAIN(tst_CurveChart)
#include "tst_curvechart.moc"
