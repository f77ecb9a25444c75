// The shared curve chart as a person uses it: a zoom that stays while points stream in,
// wheel/keys/double click, the page scrolled by a plain wheel, a middle-button pan, legend
// clicks, the crosshair under a real mouse move, and warning markers it names.

#include "curvechartfixture.h"

using namespace testing;

class tst_CurveChartInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QApplication::setEffectEnabled(Qt::UI_AnimateTooltip, false); }

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
            ui::wireCurveMath(chart);
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
};

QTEST_MAIN(tst_CurveChartInput)
#include "tst_curvechartinput.moc"
