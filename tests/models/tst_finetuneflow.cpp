// The fine-tuning wizard's flow and an evaluator's code folder: the gzip'd tar the upload
// sends (read back with the system's tar), the entry-point preview, and the flow against the
// sandbox (an SFT job; an RFT job after the evaluator's upload and build; refusals and abort).

#include <models/evaluatorfolder.h>
#include <models/finetuneflow.h>

#include <client/apiclient.h>
#include <client/trainingjobrules.h>

#include "../common/sandboxfixture.h"
#include "../common/trainingseeds.h"

#include <QDir>
#include <QFile>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>

namespace {

void write(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

void makeEvaluatorFolder(const QString &dir)
{
    write(dir + "/main.py", "import helpers\n\n\ndef evaluate(messages, **kw):\n"
                            "    return {'score': helpers.score(messages)}\n");
    write(dir + "/requirements.txt", "numpy\n");
    write(dir + "/helpers/__init__.py", "");
    write(dir + "/helpers/score.py", "def score(m):\n    return 1.0\n");
    write(dir + "/.git/config", "[core]\n");
    write(dir + "/__pycache__/main.cpython-311.pyc", QByteArray(64, '\1'));
}

bool finished(models::FineTuneFlow &flow, int timeoutMs = 20000)
{
    QSignalSpy spy(&flow, &models::FineTuneFlow::finished);
    return flow.stage() == models::FineTuneFlow::Stage::Done ||
           flow.stage() == models::FineTuneFlow::Stage::Failed || spy.wait(timeoutMs);
}

} // namespace

class TestFineTuneFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void archiveHoldsTheFolderWithoutCaches()
    {
        QTemporaryDir dir, out;
        makeEvaluatorFolder(dir.path());
        // A path longer than a tar header's name field goes through its prefix field.
        const QString deep = QStringLiteral("data/") + QString(60, 'a') + '/' + QString(60, 'b') +
                             QStringLiteral("/x.txt");
        write(dir.filePath(deep), "deep\n");
        QCOMPARE(models::evaluatorFolderFiles(dir.path()),
                 (QStringList{deep, "helpers/__init__.py", "helpers/score.py", "main.py",
                              "requirements.txt"}));
        const QString archive = out.filePath("code.tar.gz");
        QString error;
        QVERIFY2(models::writeEvaluatorArchive(dir.path(), archive, &error), qPrintable(error));
        const QString tar = QStandardPaths::findExecutable(QStringLiteral("tar"));
        if (tar.isEmpty())
            QSKIP("no tar on this machine to read the archive back");
        QProcess list;
        list.start(tar, {QStringLiteral("-tzf"), archive});
        QVERIFY(list.waitForFinished());
        QCOMPARE(list.exitCode(), 0);
        QStringList listed =
            QString::fromUtf8(list.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        listed.sort();
        QCOMPARE(listed, models::evaluatorFolderFiles(dir.path()));
        QProcess extract;
        extract.start(tar, {QStringLiteral("-xzf"), archive, QStringLiteral("-C"), out.path()});
        QVERIFY(extract.waitForFinished());
        QCOMPARE(extract.exitCode(), 0);
        for (const QString &file : models::evaluatorFolderFiles(dir.path())) {
            QFile a(dir.filePath(file)), b(out.filePath(file));
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QCOMPARE(b.readAll(), a.readAll());
        }
    }

    void entryPointPreview()
    {
        QTemporaryDir dir;
        makeEvaluatorFolder(dir.path());
        QCOMPARE(models::guessEvaluatorEntryPoint(dir.path()), QStringLiteral("main.py::evaluate"));
        auto p =
            models::previewEvaluatorEntryPoint(dir.path(), QStringLiteral("main.py::evaluate"));
        QVERIFY2(p.ok, qPrintable(p.problem));
        QCOMPARE(p.line, 4);
        QVERIFY(p.excerpt.startsWith(QStringLiteral("def evaluate(messages")));
        // The module form names a file too.
        p = models::previewEvaluatorEntryPoint(dir.path(), QStringLiteral("helpers.score::score"));
        QVERIFY2(p.ok, qPrintable(p.problem));
        QCOMPARE(p.file, QStringLiteral("helpers/score.py"));
        p = models::previewEvaluatorEntryPoint(dir.path(), QStringLiteral("main.py"));
        QVERIFY(!p.ok && p.problem.contains(QStringLiteral("file.py::function")));
        p = models::previewEvaluatorEntryPoint(dir.path(), QStringLiteral("nope.py::evaluate"));
        QVERIFY(!p.ok && p.problem.contains(QStringLiteral("nope.py")));
        // Where it looked: the folder, as the user typed or picked it.
        QVERIFY2(p.problem.contains(QDir::toNativeSeparators(dir.path())), qPrintable(p.problem));
        QFile::remove(dir.filePath("requirements.txt"));
        p = models::previewEvaluatorEntryPoint(dir.path(), QStringLiteral("main.py::evaluate"));
        QVERIFY(!p.ok && p.problem.contains(QStringLiteral("requirements.txt")));
        // What to do about it, also for code that needs no package at all.
        QVERIFY2(p.problem.contains(QDir::toNativeSeparators(dir.path())) &&
                     p.problem.contains(QStringLiteral("empty when the code needs only")),
                 qPrintable(p.problem));
    }

    void sftJobCreated()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("rows")));
        client::TrainingJob job;
        job.kind = client::TrainingJobKind::Sft;
        job.baseModel = testing::baseModelForTraining();
        job.dataset = testing::datasetNameOf(sb, QStringLiteral("rows"));
        job.settings.insert(QStringLiteral("epochs"), 2);
        models::FineTuneFlow flow(&sb.api(), QStringLiteral("flow-sft"), job);
        QList<models::FineTuneFlow::Stage> stages;
        connect(&flow, &models::FineTuneFlow::stageChanged, this,
                [&](models::FineTuneFlow::Stage s) { stages << s; });
        flow.start();
        QVERIFY(finished(flow));
        QCOMPARE(flow.stage(), models::FineTuneFlow::Stage::Done);
        QCOMPARE(stages,
                 (QList<models::FineTuneFlow::Stage>{models::FineTuneFlow::Stage::CreatingJob,
                                                     models::FineTuneFlow::Stage::Done}));
        QCOMPARE(flow.job().name,
                 client::trainingJobName(sb.api().accountId(), client::TrainingJobKind::Sft,
                                         QStringLiteral("flow-sft")));
        QCOMPARE(flow.job().epochs, std::optional<int>(2));
    }

    void rftAfterTheEvaluatorsBuild()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("rows")));
        QTemporaryDir code;
        makeEvaluatorFolder(code.path());
        client::TrainingJob job;
        job.kind = client::TrainingJobKind::Rft;
        job.baseModel = testing::baseModelForTraining();
        job.dataset = testing::datasetNameOf(sb, QStringLiteral("rows"));
        models::FineTuneFlow flow(&sb.api(), {}, job);
        flow.setPollIntervalMs(50);
        flow.setEvaluatorUpload({code.path(), QStringLiteral("scorer"), QStringLiteral("Scorer"),
                                 QStringLiteral("main.py::evaluate")});
        QList<models::FineTuneFlow::Stage> stages;
        connect(&flow, &models::FineTuneFlow::stageChanged, this,
                [&](models::FineTuneFlow::Stage s) { stages << s; });
        flow.start();
        QVERIFY(finished(flow, 30000));
        QVERIFY2(flow.stage() == models::FineTuneFlow::Stage::Done,
                 qPrintable(flow.error() ? flow.error()->message : QString()));
        using S = models::FineTuneFlow::Stage;
        QCOMPARE(stages, (QList<S>{S::CreatingEvaluator, S::UploadingEvaluator,
                                   S::BuildingEvaluator, S::CreatingJob, S::Done}));
        QCOMPARE(flow.job().evaluator, flow.evaluatorName());
        const auto ev = testing::await(sb.api().evaluators().get(flow.evaluatorName()));
        FD_VERIFY_OK(ev);
        QVERIFY(client::isEvaluatorActive(ev.value()));
        QCOMPARE(ev.value().requirements, QStringLiteral("numpy\n"));
    }

    void aBuildFailureSaysWhyAndARebuildUsesTheSameEvaluator()
    {
        auto evaluatorCreates = std::make_shared<std::atomic<int>>(0);
        auto evaluatorCalls = std::make_shared<QStringList>(); // "METHOD path?query"
        sandbox::SandboxOptions options;
        options.timeScale = 200;
        options.requestObserver = [evaluatorCreates,
                                   evaluatorCalls](const QByteArray &method, const QString &path,
                                                   const QString &query, const QByteArray &) {
            if (method == "POST" && path.endsWith(QLatin1String("/evaluatorsV2")))
                ++*evaluatorCreates;
            if (path.contains(QLatin1String("/evaluators/scorer")) && method != "GET")
                *evaluatorCalls << QString::fromLatin1(method) + QLatin1Char(' ') +
                                       path.section(QLatin1Char('/'), -1) +
                                       (query.isEmpty() ? QString() : QLatin1Char('?') + query);
        };
        testing::SandboxFixture sb(options);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("rows")));
        // The preview finds `def evaluate(` but the file does not parse: the platform's build
        // (the sandbox's plain syntax rule) refuses it.
        QTemporaryDir broken, fixed;
        makeEvaluatorFolder(broken.path());
        write(broken.filePath("main.py"), "def evaluate(messages, **kw):\n"
                                          "    return {'score': max(1.0, 0.0}\n");
        makeEvaluatorFolder(fixed.path());
        client::TrainingJob job;
        job.kind = client::TrainingJobKind::Rft;
        job.baseModel = testing::baseModelForTraining();
        job.dataset = testing::datasetNameOf(sb, QStringLiteral("rows"));
        models::FineTuneFlow first(&sb.api(), {}, job);
        first.setPollIntervalMs(20);
        first.setEvaluatorUpload(
            {broken.path(), QStringLiteral("scorer"), {}, QStringLiteral("main.py::evaluate")});
        first.start();
        QVERIFY(finished(first, 30000));
        QCOMPARE(first.stage(), models::FineTuneFlow::Stage::Failed);
        QVERIFY(first.isEvaluatorBuildFailed());
        QVERIFY(!first.isEvaluatorActive());
        const QString expected = QStringLiteral(
            "The evaluator's build failed: The entry point main.py::evaluate cannot be imported: "
            "SyntaxError: closing parenthesis '}' does not match opening parenthesis '(' "
            "(main.py, line 2)");
        QCOMPARE(first.error()->message, expected);
        auto ev = testing::await(sb.api().evaluators().get(first.evaluatorName()));
        FD_VERIFY_OK(ev);
        QVERIFY(client::isEvaluatorBuildFailed(ev.value()));
        QVERIFY(ev.value().status.message.contains(QStringLiteral("SyntaxError")));
        // The build log says it too.
        const auto log = testing::await(sb.api().evaluators().buildLogUrl(first.evaluatorName()));
        FD_VERIFY_OK(log);
        QNetworkReply *reply = sb.network().get(QNetworkRequest(QUrl(log.value())));
        QSignalSpy logDone(reply, &QNetworkReply::finished);
        QVERIFY(logDone.wait(10000));
        QVERIFY(reply->readAll().contains("BUILD_FAILED"));
        reply->deleteLater();

        // Another folder, the same evaluator: updated, uploaded and built again, then the job.
        models::FineTuneFlow second(&sb.api(), {}, job);
        second.setPollIntervalMs(20);
        second.setEvaluatorUpload(
            {fixed.path(), QStringLiteral("scorer"), {}, QStringLiteral("main.py::evaluate")});
        second.setRebuildExistingEvaluator(true);
        evaluatorCalls->clear();
        second.start();
        QVERIFY(finished(second, 30000));
        QVERIFY2(second.stage() == models::FineTuneFlow::Stage::Done,
                 qPrintable(second.error() ? second.error()->message : QString()));
        QCOMPARE(evaluatorCreates->load(), 1);
        // The documented re-upload (docs.fireworks.ai api-reference/update-evaluator: "set
        // prepare_code_upload: true then follow the upload flow"): PATCH with
        // prepareCodeUpload and the new entry point and requirements, then getUploadEndpoint,
        // (the PUT goes to storage), validateUpload.
        QCOMPARE(evaluatorCalls->size(), 3);
        const QString patch = evaluatorCalls->at(0);
        QVERIFY2(patch.startsWith(QStringLiteral("PATCH scorer?")), qPrintable(patch));
        QVERIFY2(patch.contains(QStringLiteral("prepareCodeUpload=true")), qPrintable(patch));
        QVERIFY2(patch.contains(QStringLiteral("entry_point")) &&
                     patch.contains(QStringLiteral("requirements")),
                 qPrintable(patch));
        QCOMPARE(evaluatorCalls->at(1), QStringLiteral("POST scorer:getUploadEndpoint"));
        QCOMPARE(evaluatorCalls->at(2), QStringLiteral("POST scorer:validateUpload"));
        QCOMPARE(second.job().evaluator, first.evaluatorName());
        ev = testing::await(sb.api().evaluators().get(first.evaluatorName()));
        FD_VERIFY_OK(ev);
        QVERIFY(client::isEvaluatorActive(ev.value()));
        QVERIFY(ev.value().status.message.isEmpty());
    }

    void anExpiredUploadLinkIsRenewedOnceAndSaidSo()
    {
        // Signed URLs born expired (a lifetime of -1 s): the code upload asks for a fresh link
        // once, says so, and then stops with the storage's words rather than asking forever.
        sandbox::SandboxOptions options;
        options.signedUrlLifetimeSeconds = -1;
        testing::SandboxFixture sb(options);
        QTemporaryDir code;
        makeEvaluatorFolder(code.path());
        client::TrainingJob job;
        job.kind = client::TrainingJobKind::Rft;
        job.baseModel = testing::baseModelForTraining();
        job.dataset = QStringLiteral("accounts/local/datasets/none");
        models::FineTuneFlow flow(&sb.api(), {}, job);
        flow.setPollIntervalMs(20);
        flow.setEvaluatorUpload(
            {code.path(), QStringLiteral("scorer"), {}, QStringLiteral("main.py::evaluate")});
        QStringList said;
        connect(&flow, &models::FineTuneFlow::progressText, this,
                [&](const QString &text) { said << text; });
        flow.start();
        QVERIFY(finished(flow));
        QCOMPARE(flow.stage(), models::FineTuneFlow::Stage::Failed);
        QCOMPARE(said.filter(QStringLiteral("The upload link had expired")).size(), 1);
        QVERIFY2(flow.error()->message.contains(QStringLiteral("expired")),
                 qPrintable(flow.error()->message));
    }

    void aBadEntryPointSendsNothingAndAbortSaysWhatStays()
    {
        int requests = 0;
        sandbox::SandboxOptions options;
        options.timeScale = 1; // the build takes its 4 simulated seconds
        options.requestObserver = [&requests](const QByteArray &, const QString &, const QString &,
                                              const QByteArray &) { ++requests; };
        testing::SandboxFixture sb(options);
        QTemporaryDir code;
        makeEvaluatorFolder(code.path());
        client::TrainingJob job;
        job.kind = client::TrainingJobKind::Rft;
        job.baseModel = testing::baseModelForTraining();
        job.dataset = QStringLiteral("accounts/local/datasets/none");
        {
            models::FineTuneFlow flow(&sb.api(), {}, job);
            flow.setEvaluatorUpload(
                {code.path(), QStringLiteral("scorer"), {}, QStringLiteral("main.py::missing")});
            flow.start();
            QVERIFY(finished(flow));
            QCOMPARE(flow.stage(), models::FineTuneFlow::Stage::Failed);
            QVERIFY(flow.error()->message.contains(QStringLiteral("no function missing")));
            QCOMPARE(requests, 0);
        }
        models::FineTuneFlow flow(&sb.api(), {}, job);
        flow.setPollIntervalMs(50);
        flow.setEvaluatorUpload(
            {code.path(), QStringLiteral("scorer"), {}, QStringLiteral("main.py::evaluate")});
        flow.start();
        QTRY_COMPARE_WITH_TIMEOUT(flow.stage(), models::FineTuneFlow::Stage::BuildingEvaluator,
                                  10000);
        flow.abort();
        QCOMPARE(flow.stage(), models::FineTuneFlow::Stage::Failed);
        QCOMPARE(flow.error()->kind, client::ApiError::Kind::Cancelled);
        QVERIFY(flow.error()->message.contains(flow.evaluatorName()));
    }
};

QTEST_MAIN(TestFineTuneFlow)
#include "tst_finetuneflow.moc"
