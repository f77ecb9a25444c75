// client::DownloadFlow against the sandbox: byte-exact files, existing files refused unless
// overwriting, abort leaves nothing behind, and a signed URL never sees the API key.

#include "common/sandboxfixture.h"

#include <client/downloadflow.h>
#include <client/uploadflow.h>

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace testing;
using client::DownloadFlow;

class tst_DownloadFlow : public QObject
{
    Q_OBJECT

private:
    //! A READY model "m" with two files; returns their contents by name.
    QMap<QString, QByteArray> uploadModel(SandboxFixture &sb, const QTemporaryDir &src)
    {
        QMap<QString, QByteArray> files{
            {QStringLiteral("config.json"), R"({"model_type": "llama"})"},
            {QStringLiteral("model.safetensors"), QByteArray(300 * 1024, 'w')}};
        QStringList paths;
        for (auto it = files.begin(); it != files.end(); ++it) {
            QFile f(src.filePath(it.key()));
            if (!f.open(QIODevice::WriteOnly))
                return {};
            f.write(it.value());
            paths << f.fileName();
        }
        client::Model m;
        m.kind = client::ModelKind::HfBaseModel;
        m.baseModelDetails = client::BaseModelDetails{};
        m.baseModelDetails->modelType = QStringLiteral("llama");
        if (!await(sb.api().models().create(QStringLiteral("m"), m)).ok())
            return {};
        client::UploadFlow up(&sb.api(), client::UploadFlow::Target::Model, QStringLiteral("m"),
                              paths);
        QSignalSpy done(&up, &client::UploadFlow::finished);
        up.start();
        if (!done.wait(20000) || !done.first().first().toBool())
            return {};
        return files;
    }

private Q_SLOTS:
    void download_modelFiles_matchBytesWithProgress()
    {
        SandboxFixture sb;
        QTemporaryDir src, dst;
        const auto files = uploadModel(sb, src);
        QVERIFY(!files.isEmpty());
        DownloadFlow flow(&sb.api(), DownloadFlow::Target::Model, QStringLiteral("m"),
                          dst.filePath(QStringLiteral("new")));
        QSignalSpy done(&flow, &DownloadFlow::finished);
        QSignalSpy total(&flow, &DownloadFlow::totalProgress);
        flow.start();
        QVERIFY(done.wait(20000));
        const bool ok = done.first().first().toBool();
        QVERIFY2(ok, ok ? "" : qPrintable(flow.error()->summary()));
        QCOMPARE(flow.fileNames(), files.keys());
        for (auto it = files.begin(); it != files.end(); ++it) {
            QFile f(dst.filePath(QStringLiteral("new/") + it.key()));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), it.value());
        }
        QVERIFY(!total.isEmpty());
        QCOMPARE(total.last().at(0).toInt(), 2);
        QCOMPARE(total.last().at(2).toLongLong(), qint64(300 * 1024 + 23));
        // Nothing but the two files: the temporary files were renamed, not left behind.
        QCOMPARE(QDir(dst.filePath(QStringLiteral("new"))).entryList(QDir::Files | QDir::Hidden),
                 files.keys());
    }

    void download_existingFile_isRefusedUnlessOverwriting()
    {
        SandboxFixture sb;
        QTemporaryDir src, dst;
        QVERIFY(!uploadModel(sb, src).isEmpty());
        {
            QFile f(dst.filePath(QStringLiteral("config.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("mine");
        }
        DownloadFlow refused(&sb.api(), DownloadFlow::Target::Model, QStringLiteral("m"),
                             dst.path());
        QSignalSpy done(&refused, &DownloadFlow::finished);
        refused.start();
        QVERIFY(done.wait(20000));
        QVERIFY(!done.first().first().toBool());
        QCOMPARE(refused.error()->kind, client::ApiError::Kind::Conflict);
        QVERIFY(refused.error()->message.contains(QStringLiteral("config.json")));
        QFile kept(dst.filePath(QStringLiteral("config.json")));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("mine"));
        QVERIFY(!QFile::exists(dst.filePath(QStringLiteral("model.safetensors"))));

        DownloadFlow replace(&sb.api(), DownloadFlow::Target::Model, QStringLiteral("m"),
                             dst.path());
        replace.setOverwrite(true);
        QSignalSpy replaced(&replace, &DownloadFlow::finished);
        replace.start();
        QVERIFY(replaced.wait(20000));
        QVERIFY(replaced.first().first().toBool());
        kept.close();
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray(R"({"model_type": "llama"})"));
    }

    void abort_whileDownloading_leavesNoFiles()
    {
        SandboxFixture sb;
        QTemporaryDir src, dst;
        QVERIFY(!uploadModel(sb, src).isEmpty());
        // Slow signed GETs so that abort lands mid-download.
        sb.addFault(
            R"({"path": "^/signed/", "method": "GET", "kind": "latency", "latencyMs": 2000, "count": 5})");
        DownloadFlow flow(&sb.api(), DownloadFlow::Target::Model, QStringLiteral("m"), dst.path());
        QSignalSpy done(&flow, &DownloadFlow::finished);
        flow.start();
        QTRY_COMPARE(flow.stage(), DownloadFlow::Stage::Downloading);
        flow.abort();
        QCOMPARE(done.count(), 1);
        QCOMPARE(flow.error()->kind, client::ApiError::Kind::Cancelled);
        QCOMPARE(QDir(dst.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
    }

    void download_unknownModel_reportsNotFound()
    {
        SandboxFixture sb;
        QTemporaryDir dst;
        DownloadFlow flow(&sb.api(), DownloadFlow::Target::Model, QStringLiteral("nope"),
                          dst.path());
        QSignalSpy done(&flow, &DownloadFlow::finished);
        flow.start();
        QVERIFY(done.wait(20000));
        QCOMPARE(flow.error()->kind, client::ApiError::Kind::NotFound);
    }
};

QTEST_GUILESS_MAIN(tst_DownloadFlow)
#include "tst_downloadflow.moc"
