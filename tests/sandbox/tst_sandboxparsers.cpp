// The sandbox's parsers of uploaded input, without a server: the dataset validator's formats,
// line numbers and token estimate, and multipart bodies well and badly formed.

#include <sandbox/datasetvalidator.h>
#include <sandbox/multipart.h>

#include <QTest>

class tst_SandboxParsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void datasetValidator_formatsAndLineNumbers_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("message");
        const QByteArray sft =
            R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})"
            "\n";
        const QByteArray dpo =
            R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"good"}],"non_preferred_output":[{"role":"assistant","content":"bad"}]})"
            "\n";
        const QByteArray rft = R"({"messages":[{"role":"user","content":"q"}],"ground_truth":"4"})"
                               "\n";
        QTest::newRow("sft ok") << sft + sft + sft << true << QString();
        QTest::newRow("dpo ok") << dpo + dpo + dpo << true << QString();
        QTest::newRow("rft ok") << rft + rft + rft << true << QString();
        QTest::newRow("too few rows")
            << sft + sft << false
            << QStringLiteral("a training dataset needs at least 3 examples; this one has 2");
        QTest::newRow("invalid json")
            << sft + "{oops\n" + sft << false << QStringLiteral("invalid JSON on line 2");
        QTest::newRow("bad role")
            << sft + sft +
                   R"({"messages":[{"role":"robot","content":"x"},{"role":"assistant","content":"y"}]})"
                   "\n"
            << false
            << QStringLiteral("field 'messages[0].role' has invalid value 'robot' (expected "
                              "system, user, assistant or tool) on line 3");
        QTest::newRow("late system")
            << sft +
                   R"({"messages":[{"role":"user","content":"x"},{"role":"system","content":"s"},{"role":"assistant","content":"y"}]})"
                   "\n" +
                   sft
            << false
            << QStringLiteral("'messages[1]' is a system message; only the first message may be "
                              "one on line 2");
        QTest::newRow("dpo missing")
            << dpo +
                   R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"g"}]})"
                   "\n" +
                   dpo
            << false << QStringLiteral("missing required field 'non_preferred_output' on line 2");
        QTest::newRow("weight 0.5")
            << sft +
                   R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0.5}]})"
                   "\n" +
                   sft
            << false << QStringLiteral("field 'messages[1].weight' must be 0 or 1 on line 2");
        QTest::newRow("image url")
            << sft +
                   R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},{"role":"assistant","content":"a"}]})"
                   "\n" +
                   sft
            << false
            << QStringLiteral("field 'messages[0].content[0].image_url.url' must be a base64 data "
                              "URI (data:image/png|jpeg|jpg;base64,...) on line 2");
        QTest::newRow("row weights partial")
            << sft +
                   R"({"weight":2,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})"
                   "\n" +
                   sft
            << false
            << QStringLiteral("field 'weight' is on 1 of 3 rows; it must be on every row or none");
        QTest::newRow("empty") << QByteArray("\n\n") << false
                               << QStringLiteral("the file has no rows");
    }

    void datasetValidator_formatsAndLineNumbers()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, ok);
        QFETCH(QString, message);
        const auto v = sandbox::validateDatasetJsonl(content);
        QCOMPARE(v.ok, ok);
        QCOMPARE(v.error, message);
    }

    //! A prompt file whose first row carries its reference answer as an assistant message
    //! read as a chat file: its next row, a prompt alone, was refused for having no assistant
    //! message. The whole file decides, unless the dataset names its format.
    void datasetValidator_estimatesTheTokensOfEveryText()
    {
        // Plain string literals: moc's lexer loses its way in raw strings with odd quotes.
        const QByteArray text(400, 'x');
        auto rows = [](const QByteArray &user, const QByteArray &assistant) {
            const QByteArray row =
                "{\"messages\":[{\"role\":\"user\",\"content\":" + user + "}," + assistant + "]}\n";
            return row + row + row;
        };
        const QByteArray answer = "{\"role\":\"assistant\",\"content\":\"ok\"}";
        const auto asString = sandbox::validateDatasetJsonl(rows("\"" + text + "\"", answer));
        const auto asPart = sandbox::validateDatasetJsonl(
            rows("[{\"type\":\"text\",\"text\":\"" + text + "\"}]", answer));
        QVERIFY2(asString.ok && asPart.ok, qPrintable(asString.error + asPart.error));
        QCOMPARE(asString.estimatedTokenCount, 3 * (400 / 4 + 4 + 2 / 4 + 4));
        QCOMPARE(asPart.estimatedTokenCount, asString.estimatedTokenCount);

        const QByteArray call = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                                "\"c1\",\"type\":\"function\",\"function\":{\"name\":\"\","
                                "\"arguments\":\"" +
                                text + "\"}}]}";
        const auto withCall = sandbox::validateDatasetJsonl(rows("\"q\"", call + "," + answer));
        QVERIFY2(withCall.ok, qPrintable(withCall.error));
        QCOMPARE(withCall.estimatedTokenCount, 3 * ((0 + 4) + (400 / 4 + 4) + (0 + 4)));
    }

    void multipart_parsesAndRejectsMalformed()
    {
        QString error;
        const QByteArray body =
            "--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.jsonl\"\r\n"
            "Content-Type: application/jsonl\r\n\r\nline1\r\nline2\r\n--b1--\r\n";
        auto parts = sandbox::parseMultipart("multipart/form-data; boundary=b1", body, &error);
        QVERIFY(parts);
        QCOMPARE(parts->size(), 1);
        QCOMPARE(parts->at(0).fileName, QStringLiteral("d.jsonl"));
        QCOMPARE(parts->at(0).data, QByteArray("line1\r\nline2"));
        QVERIFY(!sandbox::parseMultipart("multipart/form-data", body, &error));
        QVERIFY(!sandbox::parseMultipart("application/json", body, &error));
        QVERIFY(!sandbox::parseMultipart("multipart/form-data; boundary=b1",
                                         body.left(body.size() - 10), &error));
        QVERIFY(!sandbox::parseMultipart("multipart/form-data; boundary=b1",
                                         "--b1\r\nno headers end", &error));
        for (qsizetype n = 0; n < body.size(); ++n)
            sandbox::parseMultipart("multipart/form-data; boundary=b1", body.left(n),
                                    &error); // never crashes
    }
};

QTEST_GUILESS_MAIN(tst_SandboxParsers)
#include "tst_sandboxparsers.moc"
