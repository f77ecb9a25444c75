// Why a local generation failed, as the engine host reports it (GenerationStats::errorKind),
// and the one rule that says whether the same request may pass when sent again
// (enginehost::remedyFor, used by the playground and the local server): every engine error
// code, then a failure of each kind provoked through the real host on the golden tiny Qwen3 —
// a prompt over the context, a template that refuses the messages, a model without a usable
// template, a tokenizer of another model (ids past the model's vocabulary), and out of memory
// (the address space capped while a template renders), which passes once the memory is back.

#include "generationfailures.h"

#include <engine/host/engineerror_p.h>

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace enginehost;

Q_DECLARE_METATYPE(enginehost::Remedy)

class tst_GenerationFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyEngineCode_hasAKindAndARemedy_data();
    void everyEngineCode_hasAKindAndARemedy();
    void noFailure_isNeverRetried();
    void promptOverTheContext_isTheRequestsFault();
    void templateRefusingTheMessages_isTheRequestsFault();
    void modelWithoutAUsableTemplate_isTheModelsFault();
    void tokenizerOfAnotherModel_isTheModelsFault();
    void outOfMemory_mayPassOnRetry_andDoesOnceMemoryIsFree();

private:
    //! Runs one chat request with `prompt` on `handle` and returns how it ended.
    GenerationStats generate(EngineHost &host, int handle, const QString &prompt);
    QTemporaryDir m_tmp;
};

GenerationStats tst_GenerationFailures::generate(EngineHost &host, int handle,
                                                 const QString &prompt)
{
    QSignalSpy finished(&host, &EngineHost::generationFinished);
    GenerationRequest request;
    request.messages = {{QStringLiteral("user"), prompt}};
    request.params.temperature = 0.0;
    request.params.maxTokens = 4;
    const quint64 id = host.generate(handle, request);
    if (!id || !finished.wait(60000))
        return {};
    if (finished.first().at(0).toULongLong() != id)
        return {};
    return finished.first().at(1).value<GenerationStats>();
}

void tst_GenerationFailures::everyEngineCode_hasAKindAndARemedy_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<Remedy>("remedy");
    using C = engine::Error::Code;
    struct Row
    {
        C code;
        ErrorKind kind;
        Remedy remedy;
    };
    // Memory, I/O, the device and a cancel come from the machine's state, not the request.
    const Row rows[] = {
        {C::InvalidArgument, ErrorKind::InvalidArgument, Remedy::ChangeRequest},
        {C::NotFound, ErrorKind::NotFound, Remedy::ChangeModel},
        {C::Unsupported, ErrorKind::Unsupported, Remedy::ChangeModel},
        {C::Corrupt, ErrorKind::Corrupt, Remedy::ChangeModel},
        {C::OutOfMemory, ErrorKind::OutOfMemory, Remedy::RetryLater},
        {C::ContextLength, ErrorKind::ContextLength, Remedy::ChangeRequest},
        {C::Cancelled, ErrorKind::Cancelled, Remedy::RetryLater},
        {C::Io, ErrorKind::Io, Remedy::RetryLater},
        {C::Device, ErrorKind::Device, Remedy::RetryLater},
        {C::Internal, ErrorKind::Internal, Remedy::ChangeModel},
    };
    // Every code of the engine's enum, in order: a code added there needs a row here.
    QCOMPARE(int(std::size(rows)), int(C::Internal) + 1);
    for (int i = 0; i < int(std::size(rows)); ++i) {
        QCOMPARE(int(rows[i].code), i);
        QTest::newRow(engine::errorCodeName(rows[i].code)) << i << rows[i].kind << rows[i].remedy;
    }
}

void tst_GenerationFailures::everyEngineCode_hasAKindAndARemedy()
{
    QFETCH(int, code);
    QFETCH(ErrorKind, kind);
    QFETCH(Remedy, remedy);
    const ErrorKind got = detail::errorKind(engine::Error::Code(code));
    QCOMPARE(int(got), int(kind));
    QCOMPARE(int(remedyFor(got)), int(remedy));
    QCOMPARE(mayPassOnRetry(got), remedy == Remedy::RetryLater);
}

void tst_GenerationFailures::noFailure_isNeverRetried()
{
    QVERIFY(!mayPassOnRetry(ErrorKind::None));
    QCOMPARE(GenerationStats().errorKind, ErrorKind::None);
}

void tst_GenerationFailures::promptOverTheContext_isTheRequestsFault()
{
    EngineHost host;
    QString error;
    const int handle = testmodels::loadTinyModel(host, m_tmp.filePath(QStringLiteral("context")),
                                                 testmodels::plainTemplate(), &error);
    QVERIFY2(handle, qPrintable(error));
    const GenerationStats s = generate(host, handle, testmodels::tooLongPrompt());
    QCOMPARE(s.finishReason, QStringLiteral("error"));
    QCOMPARE(s.errorKind, ErrorKind::ContextLength);
    QVERIFY2(s.error.contains(QStringLiteral("context limit is 256")), qPrintable(s.error));
    QCOMPARE(remedyFor(s.errorKind), Remedy::ChangeRequest);
    // A generation that worked reports no failure.
    const GenerationStats ok = generate(host, handle, QStringLiteral("ab"));
    QVERIFY2(ok.finishReason != QLatin1String("error"), qPrintable(ok.error));
    QCOMPARE(ok.errorKind, ErrorKind::None);
}

void tst_GenerationFailures::templateRefusingTheMessages_isTheRequestsFault()
{
    EngineHost host;
    QString error;
    const int handle = testmodels::loadTinyModel(
        host, m_tmp.filePath(QStringLiteral("refusing")),
        "{% if messages[0].content == 'b' %}{{ raise_exception('no b, please') }}{% endif %}" +
            testmodels::plainTemplate(),
        &error);
    QVERIFY2(handle, qPrintable(error));
    const GenerationStats s = generate(host, handle, QStringLiteral("b"));
    QCOMPARE(s.finishReason, QStringLiteral("error"));
    QVERIFY2(s.error.contains(QStringLiteral("no b, please")), qPrintable(s.error));
    QCOMPARE(s.errorKind, ErrorKind::InvalidArgument);
    QCOMPARE(remedyFor(s.errorKind), Remedy::ChangeRequest);
}

void tst_GenerationFailures::modelWithoutAUsableTemplate_isTheModelsFault()
{
    EngineHost host;
    QString error;
    // It loads (raw prompts still work), but no chat request can be rendered.
    const int handle = testmodels::loadTinyModel(host, m_tmp.filePath(QStringLiteral("broken")),
                                                 "{% for m in %}", &error);
    QVERIFY2(handle, qPrintable(error));
    QVERIFY(!host.loadedModel(handle)->hasChatTemplate);
    const GenerationStats s = generate(host, handle, QStringLiteral("ab"));
    QCOMPARE(s.finishReason, QStringLiteral("error"));
    QVERIFY2(s.error.contains(QStringLiteral("no usable chat template")), qPrintable(s.error));
    QCOMPARE(s.errorKind, ErrorKind::Unsupported);
    QCOMPARE(remedyFor(s.errorKind), Remedy::ChangeModel);
}

void tst_GenerationFailures::tokenizerOfAnotherModel_isTheModelsFault()
{
    // The tiny Qwen3 has 512 tokens; its tokenizer.json gains one with id 600, as another
    // model's tokenizer would have (Qwen3's own has 151,669).
    const QString dir = m_tmp.filePath(QStringLiteral("other-tokenizer"));
    QString error = testmodels::writeTinyChatModel(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = testmodels::setChatTemplate(dir, testmodels::plainTemplate());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile tokenizer(QDir(dir).filePath(QStringLiteral("tokenizer.json")));
    QVERIFY(tokenizer.open(QIODevice::ReadOnly));
    QJsonObject json = QJsonDocument::fromJson(tokenizer.readAll()).object();
    tokenizer.close();
    QJsonArray added = json.value(QStringLiteral("added_tokens")).toArray();
    added.append(QJsonObject{{QStringLiteral("id"), 600},
                             {QStringLiteral("content"), QStringLiteral("<|other|>")},
                             {QStringLiteral("special"), true}});
    json.insert(QStringLiteral("added_tokens"), added);
    QVERIFY(tokenizer.open(QIODevice::WriteOnly | QIODevice::Truncate));
    tokenizer.write(QJsonDocument(json).toJson());
    tokenizer.close();

    EngineHost host;
    const int handle = testmodels::loadFolderOnCpu(host, dir, &error);
    QVERIFY2(handle, qPrintable(error));
    // Text the model's tokens cover still works; the other model's token cannot be fed to it.
    const GenerationStats ok = generate(host, handle, QStringLiteral("ab"));
    QVERIFY2(ok.finishReason != QLatin1String("error"), qPrintable(ok.error));
    const GenerationStats s = generate(host, handle, QStringLiteral("ab<|other|>"));
    QCOMPARE(s.finishReason, QStringLiteral("error"));
    QVERIFY2(s.error.contains(QStringLiteral("token 600 (\"<|other|>\")")), qPrintable(s.error));
    QVERIFY2(s.error.contains(QStringLiteral("tokenizer.json is another model's")),
             qPrintable(s.error));
    QCOMPARE(s.errorKind, ErrorKind::Unsupported);
    QCOMPARE(remedyFor(s.errorKind), Remedy::ChangeModel);
}

void tst_GenerationFailures::outOfMemory_mayPassOnRetry_andDoesOnceMemoryIsFree()
{
    EngineHost host;
    QString error;
    const int handle = testmodels::loadTinyModel(host, m_tmp.filePath(QStringLiteral("memory")),
                                                 testmodels::outOfMemoryTemplate(), &error);
    QVERIFY2(handle, qPrintable(error));
    {
        // 64 MiB more than the process maps now; the template holds 512 MiB while it renders.
        testmodels::AddressSpaceLimit limit(quint64(64) << 20);
        if (!limit.ok())
            QSKIP(qPrintable(limit.why()));
        const GenerationStats s = generate(host, handle, QStringLiteral("ab"));
        limit.lift();
        QCOMPARE(s.finishReason, QStringLiteral("error"));
        QVERIFY2(s.error.contains(QStringLiteral("out of memory")), qPrintable(s.error));
        QCOMPARE(s.errorKind, ErrorKind::OutOfMemory);
        QVERIFY(mayPassOnRetry(s.errorKind));
    }
    // The memory is there again: the very same request passes.
    const GenerationStats again = generate(host, handle, QStringLiteral("ab"));
    QVERIFY2(again.finishReason != QLatin1String("error"), qPrintable(again.error));
    QCOMPARE(again.errorKind, ErrorKind::None);
}

QTEST_GUILESS_MAIN(tst_GenerationFailures)
#include "tst_generationfailures.moc"
