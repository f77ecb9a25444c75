// The SSE parser gives the same events however a stream is split, and survives garbage.

#include <client/apiclient.h>
#include <client/inference.h>
#include <client/sseparser.h>

#include <common/faketransport.h>

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace client;

class tst_SseParser : public QObject
{
    Q_OBJECT

private:
    static QList<SseEvent> parseWhole(const QByteArray &stream)
    {
        SseParser p;
        return p.feed(stream);
    }

    static QByteArray sampleStream()
    {
        return QByteArray(
            "\xEF\xBB\xBF: keep-alive\r\n"
            "data: "
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F\"}}]}\r\n\r\n"
            "event: note\n"
            "id: 7\n"
            "data: line one\n"
            "data: line two\n\n"
            "data:no-space\r\r"
            "retry: 100\n"
            "data: {\"usage\":{\"total_tokens\":3}}\n\n"
            "data: [DONE]\n\n");
    }

private Q_SLOTS:
    void feed_wholeStream_givesExpectedEvents()
    {
        const QList<SseEvent> events = parseWhole(sampleStream());
        QCOMPARE(events.size(), 5);
        QCOMPARE(
            events[0].data,
            QByteArray(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F\"}}]}"));
        QCOMPARE(events[1].event, QStringLiteral("note"));
        QCOMPARE(events[1].id, QStringLiteral("7"));
        QCOMPARE(events[1].data, QByteArray("line one\nline two"));
        QCOMPARE(events[2].data, QByteArray("no-space"));
        QCOMPARE(events[4].data, QByteArray("[DONE]"));
    }

    void feed_splitAtEveryByteBoundary_givesIdenticalEvents()
    {
        const QByteArray stream = sampleStream();
        const QList<SseEvent> expected = parseWhole(stream);
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            SseParser p;
            QList<SseEvent> got = p.feed(stream.left(cut));
            got += p.feed(stream.mid(cut));
            QVERIFY2(got == expected, qPrintable(QStringLiteral("split at byte %1").arg(cut)));
        }
        // And one byte at a time, and in every pair of cuts over a shorter stream.
        SseParser single;
        QList<SseEvent> got;
        for (char c : stream)
            got += single.feed(QByteArray(1, c));
        QCOMPARE(got, expected);
        const QByteArray shortStream = stream.left(120);
        const QList<SseEvent> shortExpected = parseWhole(shortStream);
        for (qsizetype a = 0; a <= shortStream.size(); ++a)
            for (qsizetype b = a; b <= shortStream.size(); ++b) {
                SseParser p;
                QList<SseEvent> g = p.feed(shortStream.left(a));
                g += p.feed(shortStream.mid(a, b - a));
                g += p.feed(shortStream.mid(b));
                QVERIFY2(g == shortExpected,
                         qPrintable(QStringLiteral("cuts at %1 and %2").arg(a).arg(b)));
            }
    }

    void feed_malformedCorpus_neverCrashes_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(FIREDECK_TEST_DATA_DIR "/client/sse-malformed"));
        const auto files = dir.entryInfoList(QDir::Files);
        QVERIFY(files.size() >= 5);
        for (const QFileInfo &f : files)
            QTest::newRow(qPrintable(f.fileName())) << f.filePath();
    }

    void feed_malformedCorpus_neverCrashes()
    {
        QFETCH(QString, path);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        const QList<SseEvent> whole = parseWhole(data);
        SseParser split;
        QList<SseEvent> pieces;
        for (qsizetype i = 0; i < data.size(); i += 7)
            pieces += split.feed(data.mid(i, 7));
        QCOMPARE(pieces, whole);
    }

    void feed_overlongLine_isAnErrorNotUnboundedMemory()
    {
        SseParser p(1024);
        p.feed("data: " + QByteArray(4096, 'x'));
        QVERIFY(p.hasError());
        QVERIFY(p.feed("\n\n").isEmpty());
    }

    void stream_malformedCorpusThroughTheClient_endsWithResultNotCrash_data()
    {
        feed_malformedCorpus_neverCrashes_data();
    }

    void stream_malformedCorpusThroughTheClient_endsWithResultNotCrash()
    {
        QFETCH(QString, path);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        testing::FakeTransport fake;
        testing::ScriptedAnswer a;
        a.chunks = {f.readAll()};
        fake.script.enqueue(a);
        ApiClient api(testing::fakeClientOptions(), &fake);
        auto *stream = api.inference().chatStream(testing::hiChatRequest());
        QSignalSpy spy(stream, &PendingCallBase::finished);
        QString streamed;
        connect(stream, &CompletionStream::deltaReceived, this,
                [&streamed](const CompletionDelta &d) { streamed += d.text; });
        std::optional<Result<Completion>> result;
        connect(stream, &PendingCallBase::finished, this, [&] { result = stream->result(); });
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 2000);
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1); // once, even when the stream breaks off
        QVERIFY(result.has_value());
        if (result->ok()) {
            // What was streamed is what the result says, no more, no less.
            QCOMPARE(result->value().choices.isEmpty() ? QString()
                                                       : result->value().choices.first().text,
                     streamed);
        } else {
            // A broken stream is an error that says what was wrong (undecodable data, or a
            // stream that ended before [DONE]), not a crash or a silent success.
            const ApiError &e = result->error();
            QVERIFY2(e.kind == ApiError::Kind::Decode || e.kind == ApiError::Kind::Network,
                     qPrintable(e.summary()));
            QVERIFY2(!e.message.isEmpty(), qPrintable(e.summary()));
        }
    }
};

QTEST_GUILESS_MAIN(tst_SseParser)
#include "tst_sseparser.moc"
