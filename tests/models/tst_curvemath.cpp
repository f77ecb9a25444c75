// The curve math every chart shares: debiased smoothing, per-pixel min/max reduction, y ranges
// that ignore outliers, log-safe ranges and x conversions.

#include <models/curvemath.h>

#include <QTest>

#include <cmath>
#include <limits>

using models::RangeMode;
using models::RangeOptions;

namespace {

QList<QPointF> line(int n, double (*f)(int))
{
    QList<QPointF> out;
    for (int i = 0; i < n; ++i)
        out.append(QPointF(i, f(i)));
    return out;
}

} // namespace

class tst_CurveMath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smoothing_equalsHandComputedDebiasedEma()
    {
        const QList<QPointF> raw{{0, 1}, {1, 3}, {2, 2}, {3, 6}};
        const double w = 0.6;
        // By hand: acc = acc*w + (1-w)*y; smoothed = acc / (1 - w^n).
        // n=1: acc=0.4        -> 0.4/0.4   = 1
        // n=2: acc=0.24+1.2   -> 1.44/0.64 = 2.25
        // n=3: acc=0.864+0.8  -> 1.664/0.784
        // n=4: acc=0.9984+2.4 -> 3.3984/0.8704
        const QList<double> expected{1.0, 2.25, 1.664 / 0.784, 3.3984 / 0.8704};
        const QList<QPointF> s = models::smoothEma(raw, w);
        QCOMPARE(s.size(), raw.size());
        for (int i = 0; i < s.size(); ++i) {
            QCOMPARE(s[i].x(), raw[i].x());
            QVERIFY2(std::abs(s[i].y() - expected[i]) < 1e-12, qPrintable(QString::number(i)));
        }
    }

    void smoothing_zeroWeightIsIdentityAndWeightIsClamped()
    {
        const QList<QPointF> raw{{0, 5}, {1, -2}, {2, 7}};
        QCOMPARE(models::smoothEma(raw, 0), raw);
        // 1.0 would freeze the average at the first value forever; clamped to 0.999 it moves.
        const QList<QPointF> s = models::smoothEma(raw, 1.0);
        QCOMPARE(s[0].y(), 5.0);
        QVERIFY(s[2].y() != 5.0);
    }

    void smoothing_passesNonFiniteThroughWithoutPoisoningTheAverage()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const QList<QPointF> raw{{0, 2}, {1, nan}, {2, 2}};
        const QList<QPointF> s = models::smoothEma(raw, 0.9);
        QVERIFY(std::isnan(s[1].y()));
        QVERIFY(std::abs(s[2].y() - 2.0) < 1e-12);
    }

    void smoothingExtend_equalsSmoothingTheWholeSeries()
    {
        // Live appends smooth only the new points; the result must be the very same doubles.
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QList<QPointF> raw;
        for (int i = 0; i < 60000; ++i)
            raw.append(QPointF(i, i % 997 == 5 ? nan : std::sin(i * 0.01) + (i % 7) * 0.1));
        for (const double w : {0.0, 0.3, 0.6, 0.95, 0.999}) {
            QList<QPointF> grown;
            // Short pieces first (the prefix where weight^n still matters), then long ones.
            for (const qsizetype cut : {qsizetype(1), qsizetype(3), qsizetype(40), qsizetype(900),
                                        qsizetype(41000), qsizetype(50001), raw.size()}) {
                models::smoothEmaExtend(raw.mid(0, cut), w, grown);
                const QList<QPointF> whole = models::smoothEma(raw.mid(0, cut), w);
                QCOMPARE(grown.size(), whole.size());
                for (qsizetype i = 0; i < whole.size(); ++i) {
                    const bool same = whole[i].x() == grown[i].x() &&
                                      (whole[i].y() == grown[i].y() ||
                                       (std::isnan(whole[i].y()) && std::isnan(grown[i].y())));
                    QVERIFY2(same, qPrintable(QStringLiteral("w %1, cut %2, index %3: %4 vs %5")
                                                  .arg(w)
                                                  .arg(cut)
                                                  .arg(i)
                                                  .arg(grown[i].y(), 0, 'g', 17)
                                                  .arg(whole[i].y(), 0, 'g', 17)));
                }
            }
        }
        // A smoothed list longer than the points (the series was replaced): smoothed again.
        QList<QPointF> stale = models::smoothEma(raw, 0.6);
        models::smoothEmaExtend(raw.mid(0, 4), 0.6, stale);
        QCOMPARE(stale, models::smoothEma(raw.mid(0, 4), 0.6));
    }

    void reduce_isExactOnSmallInputs()
    {
        const QList<QPointF> pts = line(50, [](int i) { return std::sin(i * 0.3); });
        QCOMPARE(models::reduceMinMax(pts, 0, 49, 100), pts);
    }

    void reduce_keepsSpikesFirstLastAndBoundsTheSize()
    {
        const int n = 100000;
        QList<QPointF> pts = line(n, [](int i) { return std::sin(i * 0.001); });
        pts[12345].setY(50);  // one-sample spike up
        pts[54321].setY(-40); // and down
        const int width = 300;
        const QList<QPointF> r = models::reduceMinMax(pts, 0, n - 1, width);
        QVERIFY(r.size() <= 2 * width + 4);
        QCOMPARE(r.first(), pts.first());
        QCOMPARE(r.last(), pts.last());
        QVERIFY(r.contains(pts[12345]));
        QVERIFY(r.contains(pts[54321]));
        QVERIFY(models::isSortedByX(r));
        // Every column's extremes survive: the overall min and max are those of the input.
        double lo = 1e9, hi = -1e9;
        for (const QPointF &p : r) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
        QCOMPARE(hi, 50.0);
        QCOMPARE(lo, -40.0);
    }

    void reduce_visibleRangeKeepsOneNeighbourEachSide()
    {
        const QList<QPointF> pts = line(100000, [](int i) { return double(i % 7); });
        const QList<QPointF> r = models::reduceMinMax(pts, 1000.5, 2000.5, 100);
        QVERIFY(r.size() <= 2 * 100 + 4);
        QCOMPARE(r.first(), pts[1000]); // neighbour left of the range
        QCOMPARE(r[1], pts[1001]);      // first visible
        QCOMPARE(r.last(), pts[2001]);  // neighbour right of the range
        QCOMPARE(r[r.size() - 2], pts[2000]);
        for (const QPointF &p : r)
            QVERIFY(p.x() >= 1000 && p.x() <= 2001);
    }

    void reduce_emptyOrDegenerateGivesNothing()
    {
        QVERIFY(models::reduceMinMax({}, 0, 1, 100).isEmpty());
        QVERIFY(models::reduceMinMax(line(10, [](int) { return 1.0; }), 5, 5, 100).isEmpty());
        QVERIFY(models::reduceMinMax(line(10, [](int) { return 1.0; }), 0, 9, 0).isEmpty());
    }

    void range_robustIgnoresOutliersFullKeepsThem()
    {
        QList<QPointF> pts = line(1000, [](int i) { return double(i % 10); }); // 0..9
        pts[500].setY(1e6);
        RangeOptions robust;
        robust.margin = 0;
        const models::ValueRange r = models::yRange(pts, -INFINITY, INFINITY, robust);
        QVERIFY(r.valid);
        QCOMPARE(r.lo, 0.0);
        QCOMPARE(r.hi, 9.0);
        RangeOptions full = robust;
        full.mode = RangeMode::Full;
        QCOMPARE(models::yRange(pts, -INFINITY, INFINITY, full).hi, 1e6);
    }

    void range_marginAndFlatSeries()
    {
        RangeOptions o;
        o.mode = RangeMode::Full;
        o.margin = 0.1;
        const models::ValueRange r = models::yRange({{0, 0}, {1, 10}}, -INFINITY, INFINITY, o);
        QCOMPARE(r.lo, -1.0);
        QCOMPARE(r.hi, 11.0);
        const models::ValueRange flat = models::yRange({{0, 3}, {1, 3}}, -INFINITY, INFINITY, o);
        QVERIFY(flat.hi > flat.lo);
        QVERIFY(!models::yRange({}, 0, 1, o).valid);
    }

    void range_onlyCountsPointsInTheXRange()
    {
        RangeOptions o;
        o.mode = RangeMode::Full;
        o.margin = 0;
        const QList<QPointF> pts = line(100, [](int i) { return double(i); });
        const models::ValueRange r = models::yRange(pts, 10, 20, o);
        QCOMPARE(r.lo, 10.0);
        QCOMPARE(r.hi, 20.0);
    }

    void range_logSafeIsPositiveOnly()
    {
        RangeOptions o;
        o.mode = RangeMode::Full;
        o.positiveOnly = true;
        o.margin = 0;
        const models::ValueRange r =
            models::yRange({{0, -5}, {1, 0}, {2, 0.01}, {3, 100}}, -INFINITY, INFINITY, o);
        QVERIFY(r.valid);
        QCOMPARE(r.lo, 0.01);
        QCOMPARE(r.hi, 100.0);
        o.margin = 0.1;
        const models::ValueRange m = models::yRange({{2, 0.01}, {3, 100}}, -INFINITY, INFINITY, o);
        QVERIFY(m.lo > 0 && m.lo < 0.01 && m.hi > 100);
        QVERIFY(!models::yRange({{0, -1}, {1, 0}}, -INFINITY, INFINITY, o).valid);
    }

    void range_unitedCoversBoth()
    {
        const models::ValueRange a{1, 2, true};
        const models::ValueRange b{-3, 1.5, true};
        const models::ValueRange u = a.united(b);
        QCOMPARE(u.lo, -3.0);
        QCOMPARE(u.hi, 2.0);
        QCOMPARE(a.united({}).hi, 2.0);
    }

    void x_conversions()
    {
        const QList<QPointF> pts{{100, 1}, {250, 2}};
        QCOMPARE(models::stepsToEpochs(pts, 50), (QList<QPointF>{{2, 1}, {5, 2}}));
        QCOMPARE(models::stepsToEpochs(pts, 0), pts);
        QCOMPARE(models::wallTimeToElapsedSeconds({{10000, 1}, {12500, 2}}, 10000),
                 (QList<QPointF>{{0, 1}, {2.5, 2}}));
    }
};

QTEST_APPLESS_MAIN(tst_CurveMath)
#include "tst_curvemath.moc"
