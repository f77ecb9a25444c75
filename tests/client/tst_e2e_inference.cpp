// The Local sandbox answering chats with Firedeck's engine, end to end through the client: a
// model uploaded with its weights is served, the engine's failures carry the platform's status,
// a catalog model without weights is refused saying why, and Fireworks' request options hold.

#include <client/inference.h>
#include <client/transienterror.h>

#include <common/modelupload.h>
#include <common/sandboxfixture.h>
#include <enginehost/testmodels.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace client;
using testing::await;

class tst_E2eInference : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inference_uploadedModel_isServedByTheEngine()
    {
        if (!testmodels::haveQwen3Tokenizer())
            QSKIP("reference tokenizer files not installed (scripts/setup installs them)");
        QTemporaryDir dir;
        // A tiny random-weight model with Qwen3's vocabulary, plus Qwen3's real tokenizer files.
        const QString written = testmodels::writeQwen3Chat(dir.path());
        QVERIFY2(written.isEmpty(), qPrintable(written));
        testing::SandboxFixture sb;
        const QString uploaded =
            testing::uploadChatModel(sb.api(), QStringLiteral("tiny-qwen3"), dir.path());
        QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));

        ChatRequest req;
        req.model = QStringLiteral("accounts/local/models/tiny-qwen3");
        req.messages = {{QStringLiteral("user"), QStringLiteral("Hello"), {}, {}, {}}};
        req.sampling.maxTokens = 6;
        req.sampling.temperature = 0.0;
        auto whole = await(sb.api().inference().chat(req), 60000);
        FD_VERIFY_OK(whole);
        QCOMPARE(whole.value().choices.size(), 1);
        QVERIFY(whole.value().usage->promptTokens > 3);
        QVERIFY(whole.value().usage->completionTokens >= 1);
        QVERIFY(whole.value().usage->completionTokens <= 6);
        QVERIFY(!whole.value().choices[0].finishReason.isEmpty());
        // Streaming gives the same greedy text, delta by delta.
        auto *stream = sb.api().inference().chatStream(req);
        QString streamed;
        connect(stream, &CompletionStream::deltaReceived, this,
                [&](const CompletionDelta &d) { streamed += d.text; });
        auto s = await<Completion>(stream, 60000);
        FD_VERIFY_OK(s);
        QCOMPARE(streamed, whole.value().choices[0].text);
        QCOMPARE(s.value().choices[0].text, whole.value().choices[0].text);
        QVERIFY(s.value().usage.has_value());

        // Sampled without a seed, asking again gives another answer (it was always seed 0).
        req.sampling.temperature = 1.5;
        req.sampling.maxTokens = 24;
        QStringList sampled;
        for (int i = 0; i < 3; ++i) {
            auto r = await(sb.api().inference().chat(req), 60000);
            FD_VERIFY_OK(r);
            sampled << r.value().choices[0].text;
        }
        QStringList distinct = sampled;
        distinct.removeDuplicates();
        QVERIFY2(distinct.size() == 3, qPrintable(sampled.join(QStringLiteral(" | "))));
    }

    //! The engine's failures reach the client with the platform's status, streamed or not: a
    //! model uploaded with another model's tokenizer cannot serve any chat
    //! (FAILED_PRECONDITION: asking again fails the same way), a prompt over the context is the
    //! request's fault (INVALID_ARGUMENT). Both were INTERNAL, "the platform failed", with Retry.
    void inference_engineFailures_carryThePlatformsStatus()
    {
        if (!testmodels::haveQwen3Tokenizer())
            QSKIP("reference tokenizer files not installed (scripts/setup installs them)");
        QTemporaryDir dir;
        // The golden tiny Qwen3 (512 tokens) with the real Qwen3 tokenizer (151,669 tokens).
        const QString mismatched = dir.filePath(QStringLiteral("mismatched"));
        QString written = testmodels::writeTinyChatModel(mismatched);
        QVERIFY2(written.isEmpty(), qPrintable(written));
        for (const QString &f :
             {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json")}) {
            QFile::remove(QDir(mismatched).filePath(f));
            QVERIFY(QFile::copy(testmodels::qwen3TokenizerDir() + QLatin1Char('/') + f,
                                QDir(mismatched).filePath(f)));
        }
        const QString whole = dir.filePath(QStringLiteral("whole")); // context 2048
        written = testmodels::writeQwen3Chat(whole);
        QVERIFY2(written.isEmpty(), qPrintable(written));
        testing::SandboxFixture sb;
        for (const auto &[id, folder] : {std::pair{QStringLiteral("mismatched"), mismatched},
                                         std::pair{QStringLiteral("whole"), whole}}) {
            const QString uploaded = testing::uploadChatModel(sb.api(), id, folder);
            QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));
        }

        const auto failureOf = [&](const QString &model, const QString &text, bool stream) {
            ChatRequest req;
            req.model = QStringLiteral("accounts/local/models/") + model;
            req.messages = {{QStringLiteral("user"), text, {}, {}, {}}};
            req.sampling.maxTokens = 4;
            if (stream)
                return await<Completion>(sb.api().inference().chatStream(req), 60000).error();
            return await(sb.api().inference().chat(req), 60000).error();
        };
        for (bool stream : {false, true}) {
            const ApiError other =
                failureOf(QStringLiteral("mismatched"), QStringLiteral("Hi"), stream);
            QCOMPARE(other.kind, ApiError::Kind::FailedPrecondition);
            QCOMPARE(other.grpcCode, QStringLiteral("FAILED_PRECONDITION"));
            QVERIFY2(other.message.contains(QStringLiteral("tokenizer.json is another model's")),
                     qPrintable(other.message));
            QVERIFY(!isTransient(other));

            QString longText;
            for (int i = 0; i < 3000; ++i)
                longText += QStringLiteral("river ");
            const ApiError tooLong = failureOf(QStringLiteral("whole"), longText, stream);
            QCOMPARE(tooLong.kind, ApiError::Kind::InvalidArgument);
            QVERIFY2(tooLong.message.contains(QStringLiteral("context")),
                     qPrintable(tooLong.message));
            QVERIFY(!isTransient(tooLong));
        }
    }

    void inference_modelWithoutWeights_isFailedPreconditionSayingWhy()
    {
        testing::SandboxFixture sb;
        ChatRequest req;
        req.model = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        req.messages = {{QStringLiteral("user"), QStringLiteral("hello"), {}, {}, {}}};
        auto r = await(sb.api().inference().chat(req));
        QCOMPARE(r.error().kind, ApiError::Kind::FailedPrecondition);
        QVERIFY2(r.error().message.contains(QStringLiteral("no local weights")),
                 qPrintable(r.error().message));
        auto *stream = sb.api().inference().chatStream(req);
        auto s = await<Completion>(stream);
        QCOMPARE(s.error().kind, ApiError::Kind::FailedPrecondition);
        // The inference list offers only what can answer: the refused model is not in it.
        auto models = await(sb.api().inference().listModels());
        FD_VERIFY_OK(models);
        for (const InferenceModel &m : models.value())
            QVERIFY2(m.id != req.model, qPrintable(m.id));
    }

    //! Fireworks' context_length_exceeded_behavior: "error" refuses a max_tokens past the
    //! context (INVALID_ARGUMENT, saying how much fits) before anything runs; the default
    //! ("truncate") answers, shorter; another value is refused by name. The sandbox ignored the
    //! field, so a script that asked for the error got a cut reply.
    void inference_contextLengthExceededBehavior_isTheDocsOne()
    {
        if (!testmodels::haveQwen3Tokenizer())
            QSKIP("reference tokenizer files not installed (scripts/setup installs them)");
        QTemporaryDir dir;
        const QString written = testmodels::writeQwen3Chat(dir.path()); // context 2048
        QVERIFY2(written.isEmpty(), qPrintable(written));
        testing::SandboxFixture sb;
        const QString uploaded =
            testing::uploadChatModel(sb.api(), QStringLiteral("tiny-qwen3"), dir.path());
        QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));
        const auto post = [&](const QJsonValue &behavior) {
            QJsonObject body{
                {QStringLiteral("model"), QStringLiteral("accounts/local/models/tiny-qwen3")},
                {QStringLiteral("max_tokens"), 3000},
                {QStringLiteral("messages"),
                 QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), QStringLiteral("Hi")}}}}};
            if (!behavior.isUndefined())
                body.insert(QStringLiteral("context_length_exceeded_behavior"), behavior);
            QNetworkRequest request(sb.server().baseUrl().resolved(
                QUrl(QStringLiteral("/inference/v1/chat/completions"))));
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer any");
            std::unique_ptr<QNetworkReply> reply(
                sb.network().post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
            if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 60000))
                return std::pair{0, QByteArray("no answer")};
            return std::pair{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                             reply->readAll()};
        };
        const auto [refusedStatus, refused] = post(QStringLiteral("error"));
        QCOMPARE(refusedStatus, 400);
        QVERIFY2(refused.contains("INVALID_ARGUMENT") &&
                     refused.contains("max_tokens 3000: together over the context limit of 2048 "
                                      "tokens; ask for at most"),
                 refused.constData());
        const auto [badStatus, bad] = post(QStringLiteral("drop"));
        QCOMPARE(badStatus, 400);
        QVERIFY2(bad.contains("context_length_exceeded_behavior"), bad.constData());
        // The default shortens max_tokens to the context: the request is answered.
        const auto [fineStatus, fine] = post(QJsonValue(QJsonValue::Undefined));
        QVERIFY2(fineStatus == 200, fine.constData());
        QVERIFY2(fine.contains("chat.completion"), fine.constData());
    }
};

QTEST_GUILESS_MAIN(tst_E2eInference)
#include "tst_e2e_inference.moc"
