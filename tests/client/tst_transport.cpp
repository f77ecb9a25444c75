// Retry, auth and call-handle behaviour of the client core over a scripted transport.

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/deployments.h>
#include <client/inference.h>
#include <client/metrics.h>

#include <common/faketransport.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace client;
using testing::FakeTransport;
using testing::ScriptedAnswer;

class tst_Transport : public QObject
{
    Q_OBJECT

private:
    ApiClientOptions options()
    {
        ApiClientOptions o = testing::fakeClientOptions();
        o.apiKey = QStringLiteral("fw_secret_key_value");
        o.retry.baseDelayMs = 10;
        o.retry.maxDelayMs = 40;
        return o;
    }

private Q_SLOTS:
    void get_retries429WithRetryAfterThenSucceeds()
    {
        FakeTransport fake;
        fake.script.enqueue({429,
                             {{"Retry-After", "0.05"}},
                             R"({"code":8,"message":"RESOURCE_EXHAUSTED: slow down"})"});
        fake.script.enqueue(
            {200,
             {},
             R"({"name":"accounts/acme/datasets/d1","state":"READY","exampleCount":"12"})"});
        ApiClient api(options(), &fake);
        QElapsedTimer timer;
        timer.start();
        auto *call = api.datasets().get(QStringLiteral("d1"));
        std::optional<Result<Dataset>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(result->ok());
        QCOMPARE(result->value().exampleCount, 12);
        QCOMPARE(fake.sent.size(), 2);
        QVERIFY(timer.elapsed() >= 45); // honoured Retry-After (a floor over the 10 ms backoff)
    }

    void get_retries503ThenGivesUpAfterMaxAttempts()
    {
        FakeTransport fake;
        for (int i = 0; i < 3; ++i)
            fake.script.enqueue({503, {}, R"({"code":14,"message":"UNAVAILABLE: try later"})"});
        ApiClient api(options(), &fake);
        auto *call = api.models().get(QStringLiteral("m"));
        std::optional<Result<Model>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ApiError::Kind::Server);
        QCOMPARE(result->error().httpStatus, 503);
        QCOMPARE(result->error().grpcCode, QStringLiteral("UNAVAILABLE"));
        QCOMPARE(fake.sent.size(), 3);
    }

    void post_isNotRetried()
    {
        FakeTransport fake;
        fake.script.enqueue({503, {}, R"({"code":14,"message":"UNAVAILABLE: down"})"});
        ApiClient api(options(), &fake);
        Deployment d;
        d.baseModel = QStringLiteral("accounts/fireworks/models/x");
        auto *call = api.deployments().create(QStringLiteral("dep"), d);
        std::optional<Result<Deployment>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        QCOMPARE(fake.sent.size(), 1);
    }

    void auth_headerOnApiCallsNeverOnSignedUrls()
    {
        FakeTransport fake;
        fake.script.enqueue({200, {}, "{}"});
        fake.script.enqueue({200, {}, "{\"step\":1,\"loss\":2}\n"});
        ApiClient api(options(), &fake);
        auto *a = api.secrets().remove(QStringLiteral("s1"));
        auto *b = api.metrics().fetchJsonl(QUrl(QStringLiteral("http://127.0.0.1:1/signed/tok")));
        QSignalSpy sa(a, &PendingCallBase::finished), sb(b, &PendingCallBase::finished);
        QTRY_COMPARE_WITH_TIMEOUT(sa.count() + sb.count(), 2, 5000);
        QCOMPARE(fake.sent.size(), 2);
        QCOMPARE(fake.sent[0].header("Authorization"), QByteArray("Bearer fw_secret_key_value"));
        QVERIFY(fake.sent[1].header("Authorization").isEmpty());
    }

    void error_neverContainsTheKey()
    {
        FakeTransport fake;
        fake.script.enqueue({401, {}, R"({"code":16,"message":"UNAUTHENTICATED: bad key"})"});
        ApiClient api(options(), &fake);
        auto *call = api.models().list();
        std::optional<Result<Page<Model>>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QCOMPARE(result->error().kind, ApiError::Kind::Unauthorized);
        QVERIFY(!result->error().summary().contains(QStringLiteral("fw_secret")));
        QVERIFY(!result->error().rawBody.contains("fw_secret"));
    }

    void invalidId_failsBeforeSending()
    {
        FakeTransport fake;
        ApiClient api(options(), &fake);
        auto *call = api.datasets().create(QStringLiteral("Bad_ID"), Dataset{});
        std::optional<Result<Dataset>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QCOMPARE(result->error().kind, ApiError::Kind::InvalidArgument);
        QVERIFY(result->error().message.contains(QStringLiteral("datasetId")));
        QCOMPARE(fake.sent.size(), 0);
    }

    void abort_givesCancelledAndFinishesOnce()
    {
        FakeTransport fake;
        fake.script.enqueue({200, {}, "{}", 5000});
        ApiClient api(options(), &fake);
        auto *call = api.accounts().get(QStringLiteral("acme"));
        QSignalSpy spy(call, &PendingCallBase::finished);
        std::optional<Result<Account>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        call->abort();
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QCOMPARE(result->error().kind, ApiError::Kind::Cancelled);
        QCOMPARE(spy.count(), 1);
    }

    void stream_assemblesDeltasAndStopsAtDone()
    {
        FakeTransport fake;
        ScriptedAnswer a;
        a.chunks = {"data: "
                    "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
                    "\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
                    "data: "
                    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":"
                    "\"stop\"}],"
                    "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}"
                    "\n\ndata: [DONE]\n\n"};
        fake.script.enqueue(a);
        ApiClient api(options(), &fake);
        auto *stream = api.inference().chatStream(testing::hiChatRequest());
        QStringList deltas;
        connect(stream, &CompletionStream::deltaReceived, this,
                [&](const CompletionDelta &d) { deltas << d.text; });
        std::optional<Result<Completion>> result;
        connect(stream, &PendingCallBase::finished, this, [&] { result = stream->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
        QCOMPARE(deltas, (QStringList{QStringLiteral("Hel"), QStringLiteral("lo")}));
        QCOMPARE(result->value().choices.at(0).text, QStringLiteral("Hello"));
        QCOMPARE(result->value().choices.at(0).finishReason, QStringLiteral("stop"));
        QCOMPARE(result->value().usage->totalTokens, 7);
        QVERIFY(fake.sent[0].body.contains("\"stream\":true"));
    }

    void stream_errorEventMidStreamBecomesError()
    {
        FakeTransport fake;
        ScriptedAnswer a;
        a.chunks = {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n",
                    "data: {\"error\":{\"message\":\"engine ran out of memory\"}}\n\n"};
        fake.script.enqueue(a);
        ApiClient api(options(), &fake);
        auto *stream = api.inference().chatStream(testing::hiChatRequest());
        std::optional<Result<Completion>> result;
        connect(stream, &PendingCallBase::finished, this, [&] { result = stream->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QVERIFY(!result->ok());
        QVERIFY(result->error().message.contains(QStringLiteral("out of memory")));
    }
};

QTEST_GUILESS_MAIN(tst_Transport)
#include "tst_transport.moc"
