// client/deploymentoptions: the deployment dialog's platform rules (durations, load targets,
// enums, model names).

#include <client/deploymentoptions.h>

#include <QTest>

class tst_DeploymentOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void durations()
    {
        QCOMPARE(client::parseDurationSeconds(QStringLiteral("90")), std::optional<qint64>(90));
        QCOMPARE(client::parseDurationSeconds(QStringLiteral("1h30m")),
                 std::optional<qint64>(5400));
        QCOMPARE(client::parseDurationSeconds(QStringLiteral(" 10M ")), std::optional<qint64>(600));
        QVERIFY(!client::parseDurationSeconds(QStringLiteral("ten minutes")));
        QVERIFY(!client::parseDurationSeconds(QStringLiteral("-5s")));
        QCOMPARE(client::durationWire(QStringLiteral("10m")), QStringLiteral("600s"));
        QCOMPARE(client::durationWire(QStringLiteral("soon")), QString());
        // As people read them (the Edit dialog shows a deployment's windows so).
        QCOMPARE(client::durationText(QStringLiteral("1800s")), QStringLiteral("30m"));
        QCOMPARE(client::durationText(QStringLiteral("5400s")), QStringLiteral("1h30m"));
        QCOMPARE(client::durationText(QStringLiteral("3600s")), QStringLiteral("1h"));
        QCOMPARE(client::durationText(QStringLiteral("45s")), QStringLiteral("45s"));
        QCOMPARE(client::durationText(QStringLiteral("1.5s")), QStringLiteral("1.5s"));
        QCOMPARE(client::scaleToZeroWindowLimits().minSeconds, 300);
        QCOMPARE(client::scaleWindowLimits().maxSeconds, 3600);
    }

    void loadTargets()
    {
        QString bad;
        const auto ok = client::parseLoadTargets(QStringLiteral("default=0.8, tokens=2"), &bad);
        QVERIFY(ok);
        QCOMPARE(ok->value(QStringLiteral("default")), 0.8);
        QCOMPARE(client::loadTargetsText(*ok), QStringLiteral("default=0.8, tokens=2"));
        QVERIFY(!client::parseLoadTargets(QStringLiteral("default=0.8, broken"), &bad));
        QCOMPARE(bad, QStringLiteral("broken"));
        QVERIFY(!client::parseLoadTargets(QStringLiteral("x=-1"), &bad));
        QCOMPARE(bad, QStringLiteral("x=-1"));
    }

    void enumsAndNames()
    {
        QVERIFY(client::acceleratorTypes().contains(QStringLiteral("NVIDIA_H100_80GB")));
        QCOMPARE(client::acceleratorDisplayName(QStringLiteral("NVIDIA_H100_80GB")),
                 QStringLiteral("NVIDIA H100 80GB"));
        QCOMPARE(client::acceleratorDisplayName(QStringLiteral("ACCELERATOR_TYPE_UNSPECIFIED")),
                 QString());
        QCOMPARE(client::acceleratorDisplayName(QString()), QString());
        QVERIFY(client::deploymentPrecisions().contains(QStringLiteral("FP8")));
        QCOMPARE(client::modelName(QStringLiteral("acme"), QStringLiteral("my-model")),
                 QStringLiteral("accounts/acme/models/my-model"));
        QCOMPARE(client::modelName(QStringLiteral("acme"),
                                   QStringLiteral("accounts/fireworks/models/x")),
                 QStringLiteral("accounts/fireworks/models/x"));
    }
};

QTEST_GUILESS_MAIN(tst_DeploymentOptions)
#include "tst_deploymentoptions.moc"
