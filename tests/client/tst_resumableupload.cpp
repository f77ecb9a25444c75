// Model files go up through resumable sessions (`enableResumableUpload`, the cloud-storage
// protocol): pausing, a dropped connection or a new flow after the app stopped go on from the
// bytes already stored, and what is stored equals the file byte for byte. Against the sandbox's
// storage endpoint over loopback.

#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/models.h>
#include <client/resumableupload.h>
#include <client/uploadflow.h>

#include <common/sandboxfixture.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace client;
using testing::await;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kBlock = 256 * 1024;

QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

//! A model folder: config.json and a weights file whose every byte depends on its offset, so
//! a chunk stored at the wrong place shows in the hash.
struct ModelFiles
{
    QTemporaryDir dir;
    QString config;
    QString weights;
    explicit ModelFiles(qint64 weightBytes)
    {
        config = QDir(dir.path()).filePath(QStringLiteral("config.json"));
        QFile c(config);
        if (!c.open(QIODevice::WriteOnly))
            qFatal("cannot write config.json");
        c.write(R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
        weights = QDir(dir.path()).filePath(QStringLiteral("model.safetensors"));
        QFile w(weights);
        if (!w.open(QIODevice::WriteOnly))
            qFatal("cannot write weights");
        QByteArray block(int(kMiB), Qt::Uninitialized);
        for (qint64 at = 0; at < weightBytes; at += kMiB) {
            for (int i = 0; i < block.size(); ++i)
                block[i] = char(((at + i) * 2654435761u) >> 13);
            w.write(block.constData(), std::min<qint64>(kMiB, weightBytes - at));
        }
    }
};

//! The flow's error, for failure messages (QVERIFY2 builds them even when nothing failed).
QByteArray why(const UploadFlow &flow)
{
    return flow.error() ? flow.error()->summary().toUtf8() : QByteArray("no error");
}

//! Session URLs kept in memory, as the app keeps them in its settings.
struct Memory
{
    QHash<QString, QUrl> sessions;
    UploadFlow::SessionMemory hooks()
    {
        return {[this](const QString &k) { return sessions.value(k); },
                [this](const QString &k, const QUrl &u) { sessions.insert(k, u); },
                [this](const QString &k) { sessions.remove(k); }};
    }
};

//! An upload of `files` to the model `id` given up on (aborted once more than 5 MiB of the
//! weights were sent), its sessions kept in `memory`: what an app closed mid-upload leaves.
//! True once it finished, failed.
bool abortedUpload(testing::SandboxFixture &sb, const QString &id, const ModelFiles &files,
                   Memory &memory)
{
    UploadFlow first(&sb.api(), UploadFlow::Target::Model, id, {files.config, files.weights});
    first.setChunkBytes(kMiB);
    first.setSessionMemory(memory.hooks());
    QSignalSpy done(&first, &UploadFlow::finished);
    QObject::connect(&first, &UploadFlow::fileProgress, &first,
                     [&](const QString &name, qint64 sent, qint64) {
                         if (name == QLatin1String("model.safetensors") && sent > 5 * kMiB)
                             first.abort();
                     });
    first.start();
    return done.wait(30000) && !done.at(0).at(0).toBool();
}

void createModel(testing::SandboxFixture &sb, const QString &id)
{
    Model m;
    m.kind = ModelKind::HfBaseModel;
    m.baseModelDetails = BaseModelDetails{};
    auto created = await(sb.api().models().create(id, m));
    if (!created.ok())
        qFatal("create failed: %s", qPrintable(created.error().summary()));
}

QString storedPath(testing::SandboxFixture &sb, const QString &id, const QString &file)
{
    return QDir(sb.dataDir()).filePath(QStringLiteral("files/models/local/%1/%2").arg(id, file));
}

//! A raw request to a signed URL: status, Range and Location of the answer.
struct Raw
{
    int status = 0;
    QByteArray range;
    QByteArray location;
};
Raw send(testing::SandboxFixture &sb, HttpRequest request)
{
    auto *call = sb.api().callRaw<Raw>(request, [](const HttpResponse &r) -> Result<Raw> {
        return Raw{r.status, r.header("Range"), r.header("Location")};
    });
    auto result = await(call);
    return result.ok() ? result.value() : Raw{};
}

} // namespace

class tst_ResumableUpload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pauseThenResume_goesOnFromWhatIsStored()
    {
        testing::SandboxFixture sb;
        ModelFiles files(12 * kMiB);
        createModel(sb, QStringLiteral("paused"));
        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("paused"),
                        {files.config, files.weights});
        flow.setChunkBytes(kMiB);
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        QSignalSpy resumed(&flow, &UploadFlow::fileResumed);
        bool paused = false;
        connect(&flow, &UploadFlow::fileProgress, this,
                [&](const QString &name, qint64 sent, qint64) {
                    if (!paused && name == QLatin1String("model.safetensors") && sent > 4 * kMiB)
                        paused = flow.pause();
                });
        flow.start();
        QVERIFY(QTest::qWaitFor([&] { return paused; }, 30000));
        QTest::qWait(100);
        QVERIFY(flow.resume());
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), why(flow).constData());
        QCOMPARE(flow.model().state, ModelState::Ready);
        QCOMPARE(resumed.size(), 1);
        QCOMPARE(resumed.at(0).at(0).toString(), QStringLiteral("model.safetensors"));
        const qint64 stored = resumed.at(0).at(1).toLongLong();
        QVERIFY2(stored >= 4 * kMiB && stored % kBlock == 0, QByteArray::number(stored));
        QCOMPARE(
            sha256(storedPath(sb, QStringLiteral("paused"), QStringLiteral("model.safetensors"))),
            sha256(files.weights));
    }

    void newFlowAfterAbort_continuesTheRememberedSession()
    {
        testing::SandboxFixture sb;
        ModelFiles files(10 * kMiB);
        createModel(sb, QStringLiteral("restarted"));
        Memory memory;
        QVERIFY(abortedUpload(sb, QStringLiteral("restarted"), files, memory));
        QCOMPARE(memory.sessions.size(), 1); // the weights' session; config.json finished
        UploadFlow second(&sb.api(), UploadFlow::Target::Model, QStringLiteral("restarted"),
                          {files.config, files.weights});
        second.setChunkBytes(kMiB);
        second.setPollIntervalMs(20);
        second.setSessionMemory(memory.hooks());
        QSignalSpy done(&second, &UploadFlow::finished);
        QSignalSpy resumed(&second, &UploadFlow::fileResumed);
        second.start();
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), why(second).constData());
        QCOMPARE(resumed.size(), 1);
        QVERIFY(resumed.at(0).at(1).toLongLong() >= 4 * kMiB);
        QVERIFY(memory.sessions.isEmpty()); // forgotten once stored
        QCOMPARE(sha256(storedPath(sb, QStringLiteral("restarted"),
                                   QStringLiteral("model.safetensors"))),
                 sha256(files.weights));
    }

    void sandboxRestartedOnANewPort_uploadGoesOnFromTheStoredBytes()
    {
        // The app's Local sandbox picks a free port at every start, so a session URL kept
        // across a restart names a port where nothing (or something else) listens now.
        testing::SandboxFixture sb;
        ModelFiles files(10 * kMiB);
        createModel(sb, QStringLiteral("moved"));
        Memory memory;
        QVERIFY(abortedUpload(sb, QStringLiteral("moved"), files, memory));
        QCOMPARE(memory.sessions.size(), 1);
        const QUrl oldSession = memory.sessions.begin().value();
        sb.stop();
        // The old port taken by a server that hangs up at once: the sandbox cannot get it back,
        // and the old URL leads nowhere.
        // Not testing::LoopbackHttpServer: it cannot listen on a given port nor hang up unanswered.
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(oldSession.port())));
        connect(&squatter, &QTcpServer::newConnection, this, [&squatter] {
            while (QTcpSocket *s = squatter.nextPendingConnection())
                s->abort();
        });
        QVERIFY(sb.start());

        UploadFlow second(&sb.api(), UploadFlow::Target::Model, QStringLiteral("moved"),
                          {files.config, files.weights});
        second.setChunkBytes(kMiB);
        second.setPollIntervalMs(20);
        second.setSessionMemory(memory.hooks());
        QSignalSpy done(&second, &UploadFlow::finished);
        QSignalSpy resumed(&second, &UploadFlow::fileResumed);
        second.start();
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), why(second).constData());
        QCOMPARE(resumed.size(), 1); // the restarted sandbox still had the session's bytes
        QVERIFY2(resumed.at(0).at(1).toLongLong() >= 4 * kMiB,
                 QByteArray::number(resumed.at(0).at(1).toLongLong()).constData());
        QCOMPARE(
            sha256(storedPath(sb, QStringLiteral("moved"), QStringLiteral("model.safetensors"))),
            sha256(files.weights));
    }

    void sessionOnAnotherHost_isNotMovedToTheNewOne()
    {
        // Only a loopback session follows the sandbox to its new port; a session of another
        // host is never sent elsewhere (it is asked there, and the file starts again here).
        QUrl session(QStringLiteral("http://storage.invalid:8080/signed/abc"));
        QCOMPARE(ResumableUpload::sessionOnCurrentOrigin(
                     session, QUrl(QStringLiteral("http://127.0.0.1:5000/signed/new"))),
                 session);
        session = QUrl(QStringLiteral("http://127.0.0.1:4000/signed/abc?x=1"));
        QCOMPARE(ResumableUpload::sessionOnCurrentOrigin(
                     session, QUrl(QStringLiteral("https://storage.example.test/signed/new"))),
                 session);
        QCOMPARE(ResumableUpload::sessionOnCurrentOrigin(
                     session, QUrl(QStringLiteral("http://127.0.0.1:5000/signed/new"))),
                 QUrl(QStringLiteral("http://127.0.0.1:5000/signed/abc?x=1")));
        QCOMPARE(ResumableUpload::sessionOnCurrentOrigin(
                     QUrl(QStringLiteral("http://localhost:4000/signed/abc")),
                     QUrl(QStringLiteral("http://localhost:5000/signed/new"))),
                 QUrl(QStringLiteral("http://localhost:5000/signed/abc")));
    }

    void droppedConnectionsAndServerErrors_uploadGoesOn()
    {
        testing::SandboxFixture sb;
        ModelFiles files(6 * kMiB);
        createModel(sb, QStringLiteral("flaky"));
        // Three chunk PUTs dropped without an answer, two answered 503.
        sb.addFault(R"({"path":"^/signed/","method":"PUT","kind":"drop","count":3})");
        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("flaky"),
                        {files.config, files.weights});
        flow.setChunkBytes(kMiB);
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        int faultsAdded = 0;
        connect(&flow, &UploadFlow::fileProgress, this, [&](const QString &, qint64 sent, qint64) {
            if (sent > 3 * kMiB && faultsAdded++ == 0)
                sb.addFault(
                    R"({"path":"^/signed/","method":"PUT","kind":"status","status":503,"count":2})");
        });
        flow.start();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.at(0).at(0).toBool(), why(flow).constData());
        QCOMPARE(
            sha256(storedPath(sb, QStringLiteral("flaky"), QStringLiteral("model.safetensors"))),
            sha256(files.weights));
    }

    void sessionThatNoLongerAnswers_fileStartsAgain()
    {
        testing::SandboxFixture sb;
        ModelFiles files(2 * kMiB);
        createModel(sb, QStringLiteral("stale"));
        Memory memory;
        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("stale"),
                        {files.config, files.weights});
        flow.setSessionMemory(memory.hooks());
        flow.setPollIntervalMs(20);
        // Every file "remembers" a session of a storage server that is gone.
        memory.sessions.clear();
        auto staleHooks = memory.hooks();
        staleHooks.recall = [](const QString &) {
            return QUrl(QStringLiteral("http://127.0.0.1:9/signed/gone"));
        };
        flow.setSessionMemory(staleHooks);
        QSignalSpy done(&flow, &UploadFlow::finished);
        QSignalSpy resumed(&flow, &UploadFlow::fileResumed);
        flow.start();
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), why(flow).constData());
        QCOMPARE(resumed.size(), 0);
        QCOMPARE(
            sha256(storedPath(sb, QStringLiteral("stale"), QStringLiteral("model.safetensors"))),
            sha256(files.weights));
    }

    void emptyFile_isStored()
    {
        testing::SandboxFixture sb;
        ModelFiles files(0);
        createModel(sb, QStringLiteral("empty"));
        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("empty"),
                        {files.config, files.weights});
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        flow.start();
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), why(flow).constData());
        const QFileInfo stored(
            storedPath(sb, QStringLiteral("empty"), QStringLiteral("model.safetensors")));
        QVERIFY(stored.isFile());
        QCOMPARE(stored.size(), 0);
    }

    void protocol_rangesChecked()
    {
        testing::SandboxFixture sb;
        createModel(sb, QStringLiteral("proto"));
        const qint64 size = 3 * kBlock + 10;
        auto urls = await(sb.api().models().getUploadEndpoint(
            QStringLiteral("proto"), {{QStringLiteral("w.bin"), size}}, true));
        FD_VERIFY_OK(urls);
        const QUrl start(urls.value().filenameToSignedUrls.value(QStringLiteral("w.bin")));

        // The resumable URL takes the POST that opens a session, not a PUT of the file.
        HttpRequest put = sb.api().makeSignedUrlRequest("PUT", start);
        put.setHeader("Content-Type", "application/octet-stream");
        put.body = QByteArray(int(size), 'x');
        QCOMPARE(send(sb, put).status, 403);

        HttpRequest open = sb.api().makeSignedUrlRequest("POST", start);
        open.setHeader("Content-Type", "application/octet-stream");
        open.setHeader("x-goog-resumable", "start");
        const Raw opened = send(sb, open);
        QCOMPARE(opened.status, 201);
        const QUrl session = QUrl::fromEncoded(opened.location);
        QVERIFY(session.isValid() && !session.isEmpty());

        auto chunk = [&](qint64 first, qint64 bytes, qint64 total) {
            HttpRequest r = sb.api().makeSignedUrlRequest("PUT", session);
            r.setHeader("Content-Type", "application/octet-stream");
            r.setHeader("Content-Range", "bytes " + QByteArray::number(first) + '-' +
                                             QByteArray::number(first + bytes - 1) + '/' +
                                             QByteArray::number(total));
            r.body = QByteArray(int(bytes), 'x');
            return send(sb, r);
        };
        HttpRequest query = sb.api().makeSignedUrlRequest("PUT", session);
        query.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
        Raw q = send(sb, query);
        QCOMPARE(q.status, 308);
        QVERIFY(q.range.isEmpty()); // nothing stored yet

        QCOMPARE(chunk(0, 1000, size).status, 400);        // not a whole number of blocks
        QCOMPARE(chunk(kBlock, kBlock, size).status, 400); // a gap: nothing stored before it
        QCOMPARE(chunk(0, kBlock, size + 1).status, 400);  // another total
        Raw first = chunk(0, kBlock, size);
        QCOMPARE(first.status, 308);
        QCOMPARE(first.range, QByteArray("bytes=0-262143"));
        Raw again = chunk(0, 2 * kBlock, size); // overlaps what is stored: the new part is kept
        QCOMPARE(again.status, 308);
        QCOMPARE(again.range, QByteArray("bytes=0-524287"));
        QCOMPARE(chunk(2 * kBlock, kBlock + 10, size).status, 200);
        QCOMPARE(send(sb, query).status, 200);
        QCOMPARE(QFileInfo(storedPath(sb, QStringLiteral("proto"), QStringLiteral("w.bin"))).size(),
                 size);

        // Datasets take one PUT per file: the platform offers resumable URLs for models only.
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("rows"), d)));
        auto endpoint = [&](const QByteArray &body) {
            return send(sb, sb.api().makeJsonRequest(
                                "POST",
                                QStringLiteral("/v1/accounts/%1/datasets/rows:getUploadEndpoint")
                                    .arg(sb.api().accountId()),
                                body))
                .status;
        };
        QCOMPARE(endpoint(R"({"filenameToSize":{"a.jsonl":"3"}})"), 200);
        QCOMPARE(endpoint(R"({"filenameToSize":{"a.jsonl":"3"},"enableResumableUpload":true})"),
                 400);
    }
};

QTEST_GUILESS_MAIN(tst_ResumableUpload)
#include "tst_resumableupload.moc"
