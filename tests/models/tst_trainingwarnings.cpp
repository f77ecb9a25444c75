// Each training-curve detector on synthetic series that must trigger it and series that must
// not (noise, slow drifts, a falling loss, a moving reward).

#include <models/trainingwarnings.h>

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>

using models::WarningKind;

namespace {

//! A typical loss: exponential decay towards 0.5 with +-2% uniform noise (fixed seed).
QList<QPointF> noisyLoss(int n, quint32 seed = 7)
{
    QRandomGenerator rng(seed);
    QList<QPointF> out;
    for (int i = 0; i < n; ++i) {
        const double clean = 0.5 + 2.0 * std::exp(-i / 80.0);
        out.append(QPointF(i, clean * (1 + 0.02 * (rng.generateDouble() * 2 - 1))));
    }
    return out;
}

} // namespace

class tst_TrainingWarnings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spike_triggersOnAPointFarAboveTheBaseline()
    {
        QList<QPointF> loss = noisyLoss(400);
        loss[300].setY(loss[300].y() * 3);
        const auto w = models::detectSpikes(loss);
        QCOMPARE(w.size(), 1);
        QCOMPARE(w[0].kind, WarningKind::LossSpike);
        QCOMPARE(w[0].index, 300);
        QCOMPARE(w[0].x, 300.0);
        QVERIFY(w[0].explanation.contains(QLatin1String("300")));
    }

    void spike_notOnNoiseOrASteadyDecline()
    {
        QVERIFY(models::detectSpikes(noisyLoss(2000)).isEmpty());
        QList<QPointF> smooth;
        for (int i = 0; i < 200; ++i)
            smooth.append(QPointF(i, 3.0 - i * 0.01)); // MAD is 0; a 1% wiggle must not count
        smooth[150].setY(smooth[150].y() * 1.01);
        QVERIFY(models::detectSpikes(smooth).isEmpty());
    }

    void nonFinite_oneWarningPerRun()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QList<QPointF> s = noisyLoss(50);
        s[10].setY(nan);
        s[20].setY(inf);
        s[21].setY(nan);
        s[22].setY(-inf);
        const auto w = models::detectNonFinite(s);
        QCOMPARE(w.size(), 2);
        QCOMPARE(w[0].kind, WarningKind::NonFinite);
        QCOMPARE(w[0].index, 10);
        QVERIFY(w[0].explanation.contains(QLatin1String("NaN")));
        QCOMPARE(w[1].index, 20);
        QVERIFY(w[1].explanation.contains(QLatin1String("3 points")));
    }

    void nonFinite_notOnFiniteSeries()
    {
        QVERIFY(models::detectNonFinite(noisyLoss(500)).isEmpty());
    }

    void divergence_triggersWhenTheTailRisesByTheFactor()
    {
        QList<QPointF> loss = noisyLoss(300);
        for (int i = 225; i < 300; ++i) // last quarter: from the ~0.55 floor up to ~2.5
            loss[i].setY(loss[224].y() * std::exp((i - 225) * 0.02));
        const auto w = models::detectDivergence(loss);
        QCOMPARE(w.size(), 1);
        QCOMPARE(w[0].kind, WarningKind::Diverging);
        QCOMPARE(w[0].index, 299);
    }

    void divergence_notOnAFallingOrSlowlyDriftingLoss()
    {
        QVERIFY(models::detectDivergence(noisyLoss(300)).isEmpty());
        QList<QPointF> drift = noisyLoss(300);
        for (int i = 225; i < 300; ++i) // +30% over the tail: worth a look, not divergence
            drift[i].setY(drift[224].y() * (1 + (i - 225) * 0.004));
        QVERIFY(models::detectDivergence(drift).isEmpty());
        QVERIFY(models::detectDivergence(noisyLoss(5)).isEmpty()); // too short to judge
    }

    void flat_triggersOnceForAStretchWithinTolerance()
    {
        QList<QPointF> reward;
        for (int i = 0; i < 100; ++i)
            reward.append(QPointF(i, 0.1 + i * 0.005)); // learning
        for (int i = 100; i < 200; ++i)
            reward.append(QPointF(i, 0.6 + ((i % 2) ? 2e-4 : -2e-4))); // stuck
        const auto w = models::detectFlat(reward);
        QCOMPARE(w.size(), 1);
        QCOMPARE(w[0].kind, WarningKind::FlatReward);
        QCOMPARE(w[0].index, 149); // the 50th point of the stuck stretch
    }

    void flat_notOnAMovingReward()
    {
        QList<QPointF> reward;
        QRandomGenerator rng(3);
        for (int i = 0; i < 500; ++i)
            reward.append(QPointF(i, 0.5 + 0.05 * rng.generateDouble()));
        QVERIFY(models::detectFlat(reward).isEmpty());
        QList<QPointF> shortStuck;
        for (int i = 0; i < 40; ++i)
            shortStuck.append(QPointF(i, 0.3));
        QVERIFY(models::detectFlat(shortStuck).isEmpty()); // fewer than 50 points
    }

    void overfitting_triggersWhenEvalRisesWhileTrainFalls()
    {
        const QList<QPointF> train = noisyLoss(1000);
        QList<QPointF> eval;
        const QList<double> values{2.0, 1.2, 0.9, 0.8, 0.82, 0.86, 0.9, 0.95};
        for (int k = 0; k < values.size(); ++k)
            eval.append(QPointF(k * 100, values[k]));
        const auto w = models::detectOverfitting(train, eval);
        QCOMPARE(w.size(), 1);
        QCOMPARE(w[0].kind, WarningKind::Overfitting);
        QCOMPARE(w[0].index, 7);
        QCOMPARE(w[0].x, 700.0);
    }

    void overfitting_notWhenEvalFallsOrTrainRisesToo()
    {
        const QList<QPointF> train = noisyLoss(1000);
        QList<QPointF> eval;
        for (int k = 0; k < 8; ++k)
            eval.append(QPointF(k * 100, 2.0 / (k + 1)));
        QVERIFY(models::detectOverfitting(train, eval).isEmpty());

        // Both rising after step 300: that is divergence, not overfitting.
        QList<QPointF> rising;
        for (int i = 0; i < 1000; ++i)
            rising.append(QPointF(i, i < 300 ? 2.0 - i * 0.004 : 0.8 + (i - 300) * 0.001));
        QList<QPointF> evalUp;
        const QList<double> values{2.0, 1.2, 0.9, 0.8, 0.9, 1.0, 1.1, 1.2};
        for (int k = 0; k < values.size(); ++k)
            evalUp.append(QPointF(k * 100, values[k]));
        QVERIFY(models::detectOverfitting(rising, evalUp).isEmpty());

        // One late high eval point is noise, not a trend.
        QList<QPointF> oneHigh;
        const QList<double> v2{2.0, 1.2, 0.9, 0.85, 0.8, 0.78, 0.77, 0.9};
        for (int k = 0; k < v2.size(); ++k)
            oneHigh.append(QPointF(k * 100, v2[k]));
        QVERIFY(models::detectOverfitting(train, oneHigh).isEmpty());
    }
};

QTEST_APPLESS_MAIN(tst_TrainingWarnings)
#include "tst_trainingwarnings.moc"
