// `firedeck-engine serve`: prints the URL it listens on, answers it, and stops cleanly on
// SIGTERM.

#include "enginehost/testmodels.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

class tst_ServeCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serve_printsUrl_answers_stopsOnSigterm();
    void serve_refusesABadHost();
    void serve_refusesAPathThatIsNoFolder();
    void serve_withLora_servesItUnderTheAdaptersName();
    void serve_onATakenPort_saysSoBeforeLoading();
    void serve_onAFolderOfModelsOrAnAdapter_saysWhatToGive();
};

void tst_ServeCommand::serve_printsUrl_answers_stopsOnSigterm()
{
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("served"));
    const QString error = testmodels::writeQwen3Chat(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QProcess serve;
    serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL),
                {QStringLiteral("serve"), dir, QStringLiteral("--port"), QStringLiteral("0"),
                 QStringLiteral("--backend"), QStringLiteral("cpu")});
    QVERIFY(serve.waitForStarted(10000));
    QVERIFY2(
        QTest::qWaitFor(
            [&] { return serve.canReadLine() || serve.state() == QProcess::NotRunning; }, 120000),
        "no URL in time");
    QVERIFY2(serve.canReadLine(), serve.readAllStandardError().constData());
    const QList<QByteArray> line = serve.readLine().trimmed().split(' ');
    QCOMPARE(line.size(), 3); // URL model ID
    QCOMPARE(line.at(2), QByteArray("served"));
    const QUrl url(QString::fromUtf8(line.at(0)));
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
    QVERIFY(socket.waitForConnected(10000));
    socket.write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(10000))
        answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"id\":\"served\""));

    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(30000));
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
    QVERIFY(serve.readAllStandardError().contains("stopped"));
}

void tst_ServeCommand::serve_refusesABadHost()
{
    QProcess serve;
    serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL),
                {QStringLiteral("serve"), QStringLiteral("/nonexistent"), QStringLiteral("--host"),
                 QStringLiteral("evil.example")});
    QVERIFY(serve.waitForFinished(30000));
    QCOMPARE(serve.exitCode(), 1);
    QVERIFY(serve.readAllStandardError().contains("--host needs an address"));
}

//! A model path that is no folder is named as such before anything loads; it got the load's
//! advice about a model "this engine cannot load as it is".
void tst_ServeCommand::serve_refusesAPathThatIsNoFolder()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("model.safetensors"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const QString missing = tmp.filePath(QStringLiteral("nowhere"));
    const struct
    {
        QStringList args;
        QByteArray says;
    } cases[] = {
        {{QStringLiteral("serve"), missing}, "MODEL_DIR: " + missing.toUtf8() + " does not exist"},
        {{QStringLiteral("serve"), file},
         "MODEL_DIR: " + file.toUtf8() + " is a file; give the folder that holds config.json"},
        {{QStringLiteral("serve"), tmp.path(), QStringLiteral("--lora"), missing},
         "--lora: " + missing.toUtf8() + " does not exist"},
    };
    for (const auto &c : cases) {
        QProcess serve;
        serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL), c.args);
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitCode(), 1);
        const QByteArray err = serve.readAllStandardError();
        QVERIFY2(err.contains(c.says) && !err.contains("loading"), err.constData());
    }
}

void tst_ServeCommand::serve_withLora_servesItUnderTheAdaptersName()
{
    // The golden tiny Llama 3 with the seven-token test tokenizer, and its golden LoRA.
    QTemporaryDir tmp;
    const QString base = tmp.filePath(QStringLiteral("tiny-llama3"));
    QVERIFY(QDir().mkpath(base));
    const QString golden = QStringLiteral(FIREDECK_SHARED_DIR "/golden/");
    for (const QString &f :
         {QStringLiteral("config.json"), QStringLiteral("generation_config.json"),
          QStringLiteral("model.safetensors")})
        QVERIFY(
            QFile::copy(golden + QStringLiteral("tiny-llama3-bf16/") + f, QDir(base).filePath(f)));
    QVERIFY(QFile::copy(QStringLiteral(FIREDECK_TEST_DATA_DIR "/tokenizer/tiny_valid.json"),
                        QDir(base).filePath(QStringLiteral("tokenizer.json"))));
    QFile config(QDir(base).filePath(QStringLiteral("tokenizer_config.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"chat_template":"{% for m in messages %}{{ m.content }}{% endfor %}"})");
    config.close();

    QProcess serve;
    serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL),
                {QStringLiteral("serve"), base, QStringLiteral("--lora"),
                 golden + QStringLiteral("tiny-llama3-lora"), QStringLiteral("--port"),
                 QStringLiteral("0"), QStringLiteral("--backend"), QStringLiteral("cpu"),
                 QStringLiteral("--api-key"), QStringLiteral("sk-lora")});
    QVERIFY(serve.waitForStarted(10000));
    QVERIFY2(
        QTest::qWaitFor(
            [&] { return serve.canReadLine() || serve.state() == QProcess::NotRunning; }, 120000),
        "no URL in time");
    QByteArray err = serve.readAllStandardError(); // all of it, as it comes
    QVERIFY2(serve.canReadLine(), err.constData());
    const QList<QByteArray> line = serve.readLine().trimmed().split(' ');
    QCOMPARE(line.value(2), QByteArray("tiny-llama3-lora"));
    const QUrl url(QString::fromUtf8(line.at(0)));

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
    QVERIFY(socket.waitForConnected(10000));
    const QByteArray body =
        R"({"model":"tiny-llama3-lora","messages":[{"role":"user","content":"a b"}],"max_tokens":4})";
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 "Authorization: Bearer sk-lora\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    while (socket.waitForReadyRead(30000))
        answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"completion_tokens\":4"));
    serve.terminate(); // SIGTERM
    QVERIFY(serve.waitForFinished(30000));
    QCOMPARE(serve.exitCode(), 0);
    // Its own words, once: the host's debug line repeated them in quotes among them.
    err += serve.readAllStandardError();
    QVERIFY2(err.contains("firedeck-engine: tiny-llama3 on cpu"), err.constData());
    QVERIFY2(!err.contains("engine.load:"), err.constData());
}

//! A taken port is said before the model loads (minutes for a large one): it was said after.
void tst_ServeCommand::serve_onATakenPort_saysSoBeforeLoading()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("tiny-chat"));
    const QString error = testmodels::writeTinyChatModel(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    const QString port = QString::number(squatter.serverPort());
    QProcess serve;
    serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL),
                {QStringLiteral("serve"), dir, QStringLiteral("--port"), port});
    QVERIFY(serve.waitForFinished(60000));
    QCOMPARE(serve.exitCode(), 1);
    const QByteArray err = serve.readAllStandardError();
    QVERIFY2(err.contains("cannot listen on 127.0.0.1 port " + port.toUtf8()) &&
                 err.contains("choose another --port") && !err.contains("loading"),
             err.constData());
}

//! A folder of model folders, an adapter's folder or weights without a tokenizer given as
//! MODEL_DIR: said what to give instead, before loading. Both got "config.json: cannot open" and
//! "this engine cannot load this model as it is" after a "loading 0/4" line.
void tst_ServeCommand::serve_onAFolderOfModelsOrAnAdapter_saysWhatToGive()
{
    QTemporaryDir tmp;
    const QString error = testmodels::writeTinyChatModel(tmp.filePath(QStringLiteral("org/tiny")));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString adapter = tmp.filePath(QStringLiteral("tiny-lora"));
    QVERIFY(testmodels::copyTinyLlama3Lora(adapter, QStringLiteral("org/tiny-llama3")).isEmpty());
    const QString org = tmp.filePath(QStringLiteral("org"));
    const QString weightsOnly = tmp.filePath(QStringLiteral("weights-only"));
    QVERIFY(testmodels::writeTinyChatModel(weightsOnly).isEmpty());
    QVERIFY(QFile::remove(QDir(weightsOnly).filePath(QStringLiteral("tokenizer.json"))));
    const struct
    {
        QStringList args;
        QByteArray says;
    } cases[] = {
        {{QStringLiteral("serve"), tmp.path()},
         "MODEL_DIR: " + tmp.path().toUtf8() +
             " holds no config.json; give a model folder (one with config.json and .safetensors "
             "weights), such as one below it: org/tiny"},
        {{QStringLiteral("serve"), adapter},
         "MODEL_DIR: " + adapter.toUtf8() +
             " is a LoRA adapter; give its base model's folder as MODEL_DIR and this one as --lora "
             "(its adapter_config.json names the base \"org/tiny-llama3\")"},
        {{QStringLiteral("serve"), weightsOnly},
         "MODEL_DIR: " + weightsOnly.toUtf8() +
             " has the weights but no tokenizer.json; copy tokenizer.json and "
             "tokenizer_config.json from where the model came from"},
        {{QStringLiteral("serve"), org + QStringLiteral("/tiny"), QStringLiteral("--lora"), org},
         "--lora: " + org.toUtf8() + " holds no adapter_config.json"},
    };
    for (const auto &c : cases) {
        QProcess serve;
        // Any free port: the default one may be served by the app on this machine.
        serve.start(QStringLiteral(FIREDECK_ENGINE_TOOL),
                    c.args + QStringList{QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitCode(), 1);
        const QByteArray err = serve.readAllStandardError();
        QVERIFY2(err.contains(c.says) && !err.contains("loading"), err.constData());
    }
}

QTEST_GUILESS_MAIN(tst_ServeCommand)
#include "tst_servecommand.moc"
