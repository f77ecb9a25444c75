// The shared curve chart's drawing: series drawn from a per-pixel reduction, raw behind
// smoothed, an axis per scale, round ticks, the log axis, lone points as dots, and PNG/SVG
// export. What a person does with it (zoom, pan, legend clicks, the crosshair, markers) is in
// ui.curvechartinput.

#include "curvechartfixture.h"

using namespace testing;

class tst_CurveChart : public QObject
{
    Q_OBJECT

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
        auto chart = shownChart({{QStringLiteral("eval"),
                                  curve(
                                      4, [](int i) { return 1.0 / i; }, 10),
                                  {}}});
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
        const double inside =
            std::floor(y->max() / step + 1e-9) - std::ceil(y->min() / step - 1e-9) + 1;
        QVERIFY2(
            inside >= 2,
            qPrintable(
                QStringLiteral("range %1..%2, step %3").arg(y->min()).arg(y->max()).arg(step)));
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
