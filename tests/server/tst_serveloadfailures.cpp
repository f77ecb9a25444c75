// `firedeck-engine serve` on a model it cannot load: after the engine's words it says what may
// help, by the engine host's rule (enginehost::remedyFor) in the command's own options — out of
// memory (provoked for real: the process's address space capped below the KV cache of the
// longest context) asks for memory, a shorter --context or --backend cpu; a context the engine
// refuses asks to change --context; a damaged tokenizer.json says starting again fails the
// same way; a --lora adapter that does not fit its model is named as the one at fault.

#include "common/sanitizers.h"
#include "enginehost/testmodels.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

class tst_ServeLoadFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outOfMemory_saysFreeMemoryOrAShorterContext();
    void refusedContext_saysChangeTheContext();
    void damagedTokenizer_saysStartingAgainFailsTheSameWay();
    void mismatchedLora_namesTheAdapter_notTheModel();

private:
    //! Runs `serve` on the tiny model with `extra` options (the child's address space capped at
    //! `addressSpaceBytes` when not 0) and returns what it wrote on stderr; `exitCode` set.
    QByteArray serve(const QString &dir, const QStringList &extra, int *exitCode,
                     quint64 addressSpaceBytes = 0);

    QTemporaryDir m_tmp;
    QString m_model;
};

void tst_ServeLoadFailures::initTestCase()
{
    m_model = m_tmp.filePath(QStringLiteral("tiny"));
    const QString error = testmodels::writeTinyChatModel(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

QByteArray tst_ServeLoadFailures::serve(const QString &dir, const QStringList &extra, int *exitCode,
                                        quint64 addressSpaceBytes)
{
    QProcess serve;
    if (addressSpaceBytes)
        serve.setChildProcessModifier([addressSpaceBytes] {
            rlimit limit{};
            limit.rlim_cur = limit.rlim_max = rlim_t(addressSpaceBytes);
            setrlimit(RLIMIT_AS, &limit);
        });
    serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL),
                QStringList{QStringLiteral("serve"), dir, QStringLiteral("--port"),
                            QStringLiteral("0"), QStringLiteral("--backend"), QStringLiteral("cpu"),
                            QStringLiteral("--threads"), QStringLiteral("1")}
                    << extra);
    if (!serve.waitForFinished(60000)) { // it should not have started serving
        serve.kill();
        serve.waitForFinished(10000);
        *exitCode = -1;
        return serve.readAllStandardError();
    }
    *exitCode = serve.exitStatus() == QProcess::NormalExit ? serve.exitCode() : -1;
    return serve.readAllStandardError();
}

void tst_ServeLoadFailures::outOfMemory_saysFreeMemoryOrAShorterContext()
{
#ifdef FIREDECK_SANITIZED_ALLOCATOR
    QSKIP("a sanitizer's allocator aborts instead of failing an allocation");
#endif
    // The longest context the CPU backend takes (16M tokens) needs a 2 GiB K cache for the tiny
    // Qwen3 (2 layers x 2 KV heads x 16 x 2 bytes a token): more than the whole 1.5 GiB the
    // process may map, which is room enough to start it (it maps under 1 GiB here, CUDA's
    // libraries included).
    int code = 0;
    const QByteArray err = serve(m_model, {QStringLiteral("--context"), QStringLiteral("16777216")},
                                 &code, quint64(1536) << 20);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("cannot load " + m_model.toUtf8() + ": cannot allocate the KV cache"),
             err.constData());
    // On the CPU already (--backend cpu): a shorter context, not another backend.
    QVERIFY2(err.contains("not enough free memory: free some (stop another model or program) or "
                          "start again with a shorter --context\n"),
             err.constData());
}

void tst_ServeLoadFailures::refusedContext_saysChangeTheContext()
{
    int code = 0;
    const QByteArray err =
        serve(m_model, {QStringLiteral("--context"), QStringLiteral("33554432")}, &code);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("context length 33554432 is too large"), err.constData());
    QVERIFY2(err.contains("change --context or --backend: the same options fail the same way"),
             err.constData());
}

void tst_ServeLoadFailures::damagedTokenizer_saysStartingAgainFailsTheSameWay()
{
    const QString dir = m_tmp.filePath(QStringLiteral("damaged"));
    QString error = testmodels::writeTinyChatModel(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile tokenizer(dir + QStringLiteral("/tokenizer.json"));
    QVERIFY(tokenizer.open(QIODevice::WriteOnly | QIODevice::Truncate));
    tokenizer.write("{\"model\": {\"type\": \"BPE\", ");
    tokenizer.close();
    int code = 0;
    const QByteArray err = serve(dir, {}, &code);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("tokenizer.json"), err.constData());
    QVERIFY2(err.contains("this engine cannot load this model as it is: starting again fails the "
                          "same way"),
             err.constData());
}

void tst_ServeLoadFailures::mismatchedLora_namesTheAdapter_notTheModel()
{
    const QString base = m_tmp.filePath(QStringLiteral("tiny-llama3"));
    QString error = testmodels::writeTinyLlama3(base);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString lora = m_tmp.filePath(QStringLiteral("rank-4"));
    error = testmodels::writeMismatchedRankLora(lora);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    int code = 0;
    const QByteArray err = serve(base, {QStringLiteral("--lora"), lora}, &code);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("cannot attach the LoRA adapter " + lora.toUtf8() + " to " +
                          base.toUtf8() + ": "),
             err.constData());
    QVERIFY2(err.contains("has shape"), err.constData()); // the engine's words
    QVERIFY2(err.contains("this engine cannot use this adapter with this model as they are: "
                          "starting again fails the same way; the model starts without --lora"),
             err.constData());
    QVERIFY2(!err.contains("cannot load this model"), err.constData());
}

QTEST_GUILESS_MAIN(tst_ServeLoadFailures)
#include "tst_serveloadfailures.moc"
