// The status bar's word on the local engine, on every page: the model a load reads, the model in
// memory and where, and the local server publishing it; nothing while nothing is there. The real
// engine host loads a small random Qwen3 on the CPU; the server listens on a free loopback port.

#include "common/localmodelspagefixture.h"
#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <models/localserver.h>
#include <ui/localenginestatus.h>

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class tst_LocalEngineStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_localenginestatus"));
    }

    void followsLoadsModelsAndTheServer()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("qwen3-random"));
        QCOMPARE(testmodels::writeQwen3Chat(dir), QString());
        testing::LocalModelsPageFixture local;
        QVERIFY(local.open());
        ui::LocalEngineStatus status(local.engine.get(), local.page->server());
        QVERIFY(status.isHidden()); // nothing loaded, nothing served: nothing said

        QSignalSpy finished(local.engine.get(), &models::LocalEngine::loadFinished);
        enginehost::LoadOptions cpu;
        cpu.backend = enginehost::BackendChoice::Cpu;
        local.engine->load(dir, cpu);
        QVERIFY2(status.text().startsWith(QStringLiteral("Loading qwen3-random…")),
                 qPrintable(status.text()));
        QVERIFY(!status.isHidden());
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE(status.text(), QStringLiteral("Local: qwen3-random on CPU"));
        QVERIFY2(status.toolTip().contains(QStringLiteral("qwen3-random in memory on CPU")),
                 qPrintable(status.toolTip()));

        // A reply written by the model (here asked of the host, as the local server does):
        // said while it runs, gone when it ends.
        enginehost::EngineHost *host = local.engine->host();
        QSignalSpy ended(host, &enginehost::EngineHost::generationFinished);
        enginehost::GenerationRequest request;
        request.messages << enginehost::ChatMessage{QStringLiteral("user"),
                                                    QStringLiteral("Write a long story.")};
        request.params.maxTokens = 400;
        const quint64 id = host->generate(local.engine->loadedModels().first().handle, request);
        QVERIFY(id);
        QCOMPARE(status.text(), QStringLiteral("Local: qwen3-random on CPU, generating"));
        QVERIFY2(status.toolTip().contains(QStringLiteral("writing a reply now")),
                 qPrintable(status.toolTip()));
        host->cancelGeneration(id);
        QVERIFY(ended.wait(60000));
        QCOMPARE(status.text(), QStringLiteral("Local: qwen3-random on CPU"));
        QVERIFY(!status.toolTip().contains(QStringLiteral("writing a reply now")));

        models::LocalServerSettings settings;
        settings.port = 0; // any free port
        QVERIFY(local.page->server()->start(settings));
        const QUrl url(local.page->server()->url());
        QTRY_COMPARE(status.text(), QStringLiteral("Local: qwen3-random on CPU · serving on "
                                                   "127.0.0.1:%1")
                                        .arg(url.port()));
        QVERIFY(status.toolTip().contains(local.page->server()->url()));

        local.page->server()->stop();
        QVERIFY(local.engine->unload(local.engine->loadedModels().first().handle));
        QTRY_VERIFY(status.isHidden());
        local.close();
    }
};

QTEST_MAIN(tst_LocalEngineStatus)
#include "tst_localenginestatus.moc"
