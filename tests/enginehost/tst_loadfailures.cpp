// Why a model failed to load, as the engine host reports it (LoadOutcome::errorKind), and what
// the one rule (enginehost::remedyFor) then says may help: each failure provoked for real
// through the host on the golden tiny Qwen3 — a folder that is gone, a config that is not
// JSON, an architecture the engine does not know, a damaged tokenizer.json, a context the
// engine refuses, out of memory (the address space capped while the KV cache is allocated) and
// a cancel.

#include "generationfailures.h"

#include <engine/session/backendselector.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace enginehost;

class tst_LoadFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void goneFolder_isTheModelsFault();
    void configThatIsNotJson_isCorrupt();
    void unknownArchitecture_isUnsupported();
    void damagedTokenizer_isCorrupt();
    void contextTheEngineRefuses_isTheRequestsFault();
    void outOfMemory_mayPassOnRetry_andAShorterContextLoads();
    void cancel_isCancelled_notAFailureOfTheModel();
    void cudaWhereItCannotRun_isNeverTheModelsFault();

private:
    //! Loads `dir` on the CPU with one thread (and `contextLength`, 0: the model's) and
    //! returns how it ended.
    LoadOutcome load(EngineHost &host, const QString &dir, qint64 contextLength = 0);
    //! The golden tiny Qwen3 with its test tokenizer in a new folder named `name`.
    QString tinyModel(const QString &name);
    //! Overwrites `file` in `dir` with `text`.
    static bool write(const QString &dir, const char *file, const QByteArray &text);

    QTemporaryDir m_tmp;
};

void tst_LoadFailures::initTestCase()
{
    QVERIFY(m_tmp.isValid());
}

LoadOutcome tst_LoadFailures::load(EngineHost &host, const QString &dir, qint64 contextLength)
{
    QSignalSpy finished(&host, &EngineHost::loadFinished);
    LoadOptions o;
    o.backend = BackendChoice::Cpu;
    o.threads = 1; // the address-space cap need not hold a stack for every core
    o.contextLength = contextLength;
    const quint64 id = host.loadModel(dir, o);
    if (!finished.wait(60000) || finished.first().at(0).toULongLong() != id)
        return {};
    return finished.first().at(1).value<LoadOutcome>();
}

QString tst_LoadFailures::tinyModel(const QString &name)
{
    const QString dir = m_tmp.filePath(name);
    const QString error = testmodels::writeTinyChatModel(dir);
    return error.isEmpty() ? dir : QString();
}

bool tst_LoadFailures::write(const QString &dir, const char *file, const QByteArray &text)
{
    QFile f(QDir(dir).filePath(QLatin1String(file)));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

void tst_LoadFailures::goneFolder_isTheModelsFault()
{
    EngineHost host;
    const LoadOutcome o = load(host, m_tmp.filePath(QStringLiteral("not-there")));
    QVERIFY(!o.ok);
    QVERIFY(!o.cancelled);
    QVERIFY2(o.error.contains(QStringLiteral("not-there")), qPrintable(o.error));
    QCOMPARE(o.errorKind, ErrorKind::NotFound);
    QCOMPARE(remedyFor(o.errorKind), Remedy::ChangeModel);
    QVERIFY(host.loadedModels().isEmpty());
}

void tst_LoadFailures::configThatIsNotJson_isCorrupt()
{
    const QString dir = tinyModel(QStringLiteral("not-json"));
    QVERIFY(!dir.isEmpty());
    QVERIFY(write(dir, "config.json", "{\"model_type\": \"qwen3\", "));
    EngineHost host;
    const LoadOutcome o = load(host, dir);
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(QStringLiteral("config.json")), qPrintable(o.error));
    QCOMPARE(o.errorKind, ErrorKind::Corrupt);
    QCOMPARE(remedyFor(o.errorKind), Remedy::ChangeModel);
    QVERIFY(!mayPassOnRetry(o.errorKind));
}

void tst_LoadFailures::unknownArchitecture_isUnsupported()
{
    const QString dir = tinyModel(QStringLiteral("gpt2"));
    QVERIFY(!dir.isEmpty());
    QFile config(QDir(dir).filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(config.readAll()).object();
    config.close();
    o.insert(QStringLiteral("model_type"), QStringLiteral("gpt2"));
    QVERIFY(write(dir, "config.json", QJsonDocument(o).toJson()));
    EngineHost host;
    const LoadOutcome out = load(host, dir);
    QVERIFY(!out.ok);
    QVERIFY2(out.error.contains(QStringLiteral("unsupported model_type 'gpt2'")),
             qPrintable(out.error));
    QCOMPARE(out.errorKind, ErrorKind::Unsupported);
    QCOMPARE(remedyFor(out.errorKind), Remedy::ChangeModel);
}

void tst_LoadFailures::damagedTokenizer_isCorrupt()
{
    // The weights map (the library's scan finds nothing wrong); the tokenizer is read at load.
    const QString dir = tinyModel(QStringLiteral("tokenizer"));
    QVERIFY(!dir.isEmpty());
    QVERIFY(write(dir, "tokenizer.json", "{\"model\": {\"type\": \"BPE\", "));
    EngineHost host;
    const LoadOutcome o = load(host, dir);
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(QStringLiteral("tokenizer.json")), qPrintable(o.error));
    QCOMPARE(o.errorKind, ErrorKind::Corrupt);
    QCOMPARE(remedyFor(o.errorKind), Remedy::ChangeModel);
}

void tst_LoadFailures::contextTheEngineRefuses_isTheRequestsFault()
{
    const QString dir = tinyModel(QStringLiteral("context"));
    QVERIFY(!dir.isEmpty());
    EngineHost host;
    const LoadOutcome o = load(host, dir, qint64(1) << 25);
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(QStringLiteral("too large")), qPrintable(o.error));
    QCOMPARE(o.errorKind, ErrorKind::InvalidArgument);
    QCOMPARE(remedyFor(o.errorKind), Remedy::ChangeRequest);
    // The same folder with the model's own context loads.
    const LoadOutcome ok = load(host, dir);
    QVERIFY2(ok.ok, qPrintable(ok.error));
    QCOMPARE(ok.errorKind, ErrorKind::None);
}

void tst_LoadFailures::outOfMemory_mayPassOnRetry_andAShorterContextLoads()
{
    const QString dir = tinyModel(QStringLiteral("memory"));
    QVERIFY(!dir.isEmpty());
    EngineHost host;
    // 256 MiB more than the process maps now. A context of 4M tokens needs a 512 MiB K cache
    // (2 layers x 2 KV heads x 16 x 2 bytes a token) and as much again for V.
    testmodels::AddressSpaceLimit limit(quint64(256) << 20);
    if (!limit.ok())
        QSKIP(qPrintable(limit.why()));
    const LoadOutcome o = load(host, dir, qint64(1) << 22);
    // What the advice says: with the memory still short, a shorter context fits.
    const LoadOutcome shorter = load(host, dir);
    limit.lift();
    QVERIFY(!o.ok);
    QVERIFY(!o.cancelled);
    QVERIFY2(o.error.contains(QStringLiteral("cannot allocate the KV cache")), qPrintable(o.error));
    QCOMPARE(o.errorKind, ErrorKind::OutOfMemory);
    QCOMPARE(remedyFor(o.errorKind), Remedy::RetryLater);
    QVERIFY2(shorter.ok, qPrintable(shorter.error));
    QCOMPARE(shorter.errorKind, ErrorKind::None);
    QCOMPARE(host.loadedModels().size(), 1); // the failed load left nothing behind
}

void tst_LoadFailures::cancel_isCancelled_notAFailureOfTheModel()
{
    const QString dir = tinyModel(QStringLiteral("cancel"));
    QVERIFY(!dir.isEmpty());
    EngineHost host;
    QSignalSpy finished(&host, &EngineHost::loadFinished);
    LoadOptions options;
    options.backend = BackendChoice::Cpu;
    host.cancelLoad(host.loadModel(dir, options));
    QVERIFY(finished.wait(60000));
    const auto o = finished.first().at(1).value<LoadOutcome>();
    QVERIFY(!o.ok);
    QVERIFY(o.cancelled);
    QCOMPARE(o.errorKind, ErrorKind::Cancelled);
    QVERIFY(host.loadedModels().isEmpty());
}

void tst_LoadFailures::cudaWhereItCannotRun_isNeverTheModelsFault()
{
    const QString dir = tinyModel(QStringLiteral("cuda"));
    QVERIFY(!dir.isEmpty());
    EngineHost host;
    QSignalSpy finished(&host, &EngineHost::loadFinished);
    LoadOptions options;
    options.backend = BackendChoice::Cuda;
    host.loadModel(dir, options);
    QVERIFY(finished.wait(60000));
    const auto o = finished.first().at(1).value<LoadOutcome>();
    if (o.ok)
        QSKIP("a usable CUDA device is here");
    QVERIFY(!o.error.isEmpty());
    if (!engine::builtWithCuda()) {
        // "the CUDA backend was requested but this engine was built without CUDA"
        QCOMPARE(o.errorKind, ErrorKind::InvalidArgument);
        QCOMPARE(remedyFor(o.errorKind), Remedy::ChangeRequest);
    } else {
        // No device ("no CUDA device: ...", Device), or one older than the kernels
        // (Unsupported, the request's to change): another backend, not another model.
        QVERIFY2(o.errorKind == ErrorKind::Device || o.errorKind == ErrorKind::InvalidArgument,
                 qPrintable(o.error));
    }
    QVERIFY2(remedyFor(o.errorKind) != Remedy::ChangeModel, qPrintable(o.error));
}

QTEST_GUILESS_MAIN(tst_LoadFailures)
#include "tst_loadfailures.moc"
