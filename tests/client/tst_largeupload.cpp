// Model files larger than any request body the API port accepts: signed-URL uploads stream
// from disk to disk, on the client and in the sandbox, and the client checks the platform's
// per-object limit before it sends anything.

#include <client/downloadflow.h>
#include <client/uploadflow.h>

#include <common/sandboxfixture.h>
#include <common/sanitizers.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

// FIREDECK_UNDER_ASAN (common/sanitizers.h): slow transfers, meaningless memory bounds.

using namespace client;
using testing::await;

namespace {

// 600 MiB each way: a few seconds normally; under ASan, whose allocator maps, poisons and
// quarantines each large buffer, minutes on a loaded machine.
#ifdef FIREDECK_UNDER_ASAN
constexpr int kTransferWaitMs = 280000;
#else
constexpr int kTransferWaitMs = 60000;
#endif

// Resident memory of this process (client and sandbox both live here), in bytes.
qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    return -1;
}

QString writeConfig(const QDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
    return path;
}

} // namespace

class tst_LargeUpload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void model600MiBShard_uploadAndDownloadStream()
    {
        constexpr qint64 kShard = 600ll * 1024 * 1024; // over the API port's 512 MiB limit
        testing::SandboxFixture sb;
        QTemporaryDir folder;
        const QDir dir(folder.path());
        const QString config = writeConfig(dir);
        const QString shard = dir.filePath(QStringLiteral("model.safetensors"));
        {
            QFile f(shard); // sparse: no disk and no page cache until read
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(kShard));
        }
        Model m;
        m.kind = ModelKind::HfBaseModel;
        m.baseModelDetails = BaseModelDetails{};
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("big-shard"), m)));

        const qint64 before = residentBytes();
        QVERIFY(before > 0);
        qint64 peak = before;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&] { peak = std::max(peak, residentBytes()); });
        sampler.start(20);

        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("big-shard"),
                        {config, shard});
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        qint64 lastTotal = 0;
        bool wentBack = false;
        connect(&flow, &UploadFlow::totalProgress, this, [&](qint64 sent, qint64) {
            if (sent < lastTotal)
                qWarning("progress went from %lld back to %lld", lastTotal, sent);
            wentBack = wentBack || sent < lastTotal;
            lastTotal = sent;
        });
        flow.start();
        QVERIFY(done.wait(kTransferWaitMs));
        sampler.stop();
        QVERIFY2(done.at(0).at(0).toBool(),
                 qPrintable(flow.error() ? flow.error()->summary() : QString()));
        QCOMPARE(flow.model().state, ModelState::Ready);
        QVERIFY(!wentBack);
        QCOMPARE(lastTotal, kShard + QFileInfo(config).size());
        const QString stored =
            QDir(sb.dataDir())
                .filePath(QStringLiteral("files/models/local/big-shard/model.safetensors"));
        QCOMPARE(QFileInfo(stored).size(), kShard);
        // Neither side held the shard in memory: well under the file's size of growth.
        const qint64 growth = peak - before;
        qInfo("resident memory grew by %lld MiB during the upload", growth / (1024 * 1024));

        // And back: the download streams from the sandbox's disk to ours.
        QTemporaryDir target;
        DownloadFlow download(&sb.api(), DownloadFlow::Target::Model, QStringLiteral("big-shard"),
                              target.path());
        QSignalSpy downloaded(&download, &DownloadFlow::finished);
        const qint64 beforeDownload = residentBytes();
        peak = beforeDownload;
        sampler.start(20);
        download.start();
        QVERIFY(downloaded.wait(kTransferWaitMs));
        sampler.stop();
        QVERIFY2(downloaded.at(0).at(0).toBool(),
                 qPrintable(download.error() ? download.error()->summary() : QString()));
        QCOMPARE(
            QFileInfo(QDir(target.path()).filePath(QStringLiteral("model.safetensors"))).size(),
            kShard);
        const qint64 downloadGrowth = peak - beforeDownload;
        qInfo("resident memory grew by %lld MiB during the download",
              downloadGrowth / (1024 * 1024));
#ifdef FIREDECK_UNDER_ASAN
        // ASan keeps freed blocks in its quarantine (256 MiB by default) and adds shadow pages,
        // so every buffer the stream went through stays resident: the figure says nothing
        // about the code. Everything above (states, sizes, progress) was checked.
        QSKIP("resident-memory bounds not checked under AddressSanitizer (its quarantine holds "
              "freed buffers)");
#endif
        QVERIFY2(growth < 128ll * 1024 * 1024,
                 qPrintable(QStringLiteral("grew by %1 MiB").arg(growth / (1024 * 1024))));
        QVERIFY2(downloadGrowth < 128ll * 1024 * 1024,
                 qPrintable(QStringLiteral("grew by %1 MiB").arg(downloadGrowth / (1024 * 1024))));
    }

    void upload_fileOverThePlatformLimit_refusedBeforeSending()
    {
        testing::SandboxFixture sb;
        QTemporaryDir folder;
        const QString huge = QDir(folder.path()).filePath(QStringLiteral("model.safetensors"));
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            if (!f.resize(kMaxSignedUploadBytes + 1))
                QSKIP("this file system cannot hold a sparse file of 5 TiB");
        }
        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("never-created"),
                        {huge});
        QList<UploadFlow::Stage> stages;
        connect(&flow, &UploadFlow::stageChanged, this, [&](UploadFlow::Stage s) { stages << s; });
        QSignalSpy done(&flow, &UploadFlow::finished);
        flow.start();
        QTRY_COMPARE(done.size(), 1);
        QVERIFY(!done.at(0).at(0).toBool());
        QVERIFY(!stages.contains(UploadFlow::Stage::RequestingUrls)); // nothing was sent
        QCOMPARE(flow.error()->kind, ApiError::Kind::InvalidArgument);
        QVERIFY2(flow.error()->message.contains(QLatin1String("model.safetensors")) &&
                     flow.error()->message.contains(QLatin1String("5 TiB")),
                 qPrintable(flow.error()->message));
    }

    void storage_wrongLength_answersClearly()
    {
        // A body shorter than announced is refused with the sizes, not stored.
        testing::SandboxFixture sb;
        Model m;
        m.kind = ModelKind::HfBaseModel;
        m.baseModelDetails = BaseModelDetails{};
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("short"), m)));
        auto urls = await(sb.api().models().getUploadEndpoint(
            QStringLiteral("short"), {{QStringLiteral("config.json"), 100}}));
        FD_VERIFY_OK(urls);
        const QUrl url(urls.value().filenameToSignedUrls.value(QStringLiteral("config.json")));
        QVERIFY(url.port() != sb.server().port()); // the storage endpoint, not the API port
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
        request.setRawHeader("x-goog-content-length-range", "100,100");
        QNetworkReply *reply = sb.network().put(request, QByteArray(40, 'x'));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QVERIFY2(reply->readAll().contains("40 bytes; 100 were announced"),
                 "the answer names both sizes");
        reply->deleteLater();
        QVERIFY(!QFileInfo::exists(
            QDir(sb.dataDir()).filePath(QStringLiteral("files/models/local/short/config.json"))));
    }
};

QTEST_GUILESS_MAIN(tst_LargeUpload)
#include "tst_largeupload.moc"
