// models::fetchAllPages against scripted answers: every page handed over in order with each
// page's token sent back, a failed page ends the fetch with the items so far, a server that
// repeats a token is stopped instead of looped on, and a context destroyed mid-way stops it.

#include <models/pagedfetch.h>

#include <client/apiclient.h>
#include <client/datasets.h>

#include "../common/faketransport.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace {

QByteArray page(int from, int count, const QString &next)
{
    QByteArray items;
    for (int i = from; i < from + count; ++i)
        items += (items.isEmpty() ? "" : ",") +
                 QStringLiteral(R"({"name":"accounts/me/datasets/d%1","state":"READY"})")
                     .arg(i)
                     .toUtf8();
    return "{\"datasets\":[" + items + "],\"nextPageToken\":\"" + next.toUtf8() + "\"}";
}

struct Run
{
    QStringList names;
    std::optional<models::PagedFetchEnd> end;
};

std::shared_ptr<Run> fetch(client::ApiClient &api, QObject *context)
{
    auto run = std::make_shared<Run>();
    models::fetchAllPages<client::Dataset>(
        context, [&api](const client::ListRequest &r) { return api.datasets().list(r); }, {},
        [run](const QList<client::Dataset> &items) {
            for (const client::Dataset &d : items)
                run->names << d.name.section(QLatin1Char('/'), -1);
        },
        [run](const models::PagedFetchEnd &end) { run->end = end; });
    return run;
}

client::ApiClientOptions options()
{
    client::ApiClientOptions o;
    o.baseUrl = QUrl(QStringLiteral("https://api.example.test"));
    o.accountId = QStringLiteral("me");
    o.apiKey = QStringLiteral("fw_test");
    o.retry.maxAttempts = 1;
    return o;
}

} // namespace

class TestPagedFetch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPageInOrder()
    {
        testing::FakeTransport transport;
        transport.script.enqueue({200, {}, page(0, 3, QStringLiteral("t1"))});
        transport.script.enqueue({200, {}, page(3, 2, QStringLiteral("t2"))});
        transport.script.enqueue({200, {}, page(5, 1, QString())});
        client::ApiClient api(options(), &transport);
        QObject context;
        const auto run = fetch(api, &context);
        QTRY_VERIFY_WITH_TIMEOUT(run->end.has_value(), 5000);
        QVERIFY(run->end->ok);
        QCOMPARE(run->end->pages, 3);
        QCOMPARE(run->end->items, 6);
        QCOMPARE(run->names, (QStringList{"d0", "d1", "d2", "d3", "d4", "d5"}));
        QCOMPARE(transport.sent.size(), 3);
        const QStringList tokens = {QString(), QStringLiteral("t1"), QStringLiteral("t2")};
        for (int i = 0; i < 3; ++i) {
            const QUrlQuery q(transport.sent[i].url);
            QCOMPARE(q.queryItemValue(QStringLiteral("pageToken")), tokens[i]);
            QCOMPARE(q.queryItemValue(QStringLiteral("pageSize")), QStringLiteral("200"));
        }
    }

    void aFailedPageEndsWithWhatArrived()
    {
        testing::FakeTransport transport;
        transport.script.enqueue({200, {}, page(0, 2, QStringLiteral("t1"))});
        transport.script.enqueue({403, {}, "{\"error\":{\"message\":\"no access\"}}"});
        client::ApiClient api(options(), &transport);
        QObject context;
        const auto run = fetch(api, &context);
        QTRY_VERIFY_WITH_TIMEOUT(run->end.has_value(), 5000);
        QVERIFY(!run->end->ok);
        QCOMPARE(run->end->error.kind, client::ApiError::Kind::Forbidden);
        QCOMPARE(run->end->items, 2);
        QCOMPARE(run->names.size(), 2);
    }

    void aRepeatedTokenStopsTheFetch()
    {
        testing::FakeTransport transport;
        transport.script.enqueue({200, {}, page(0, 1, QStringLiteral("same"))});
        transport.script.enqueue({200, {}, page(1, 1, QStringLiteral("same"))});
        transport.script.enqueue({200, {}, page(2, 1, QStringLiteral("same"))});
        client::ApiClient api(options(), &transport);
        QObject context;
        const auto run = fetch(api, &context);
        QTRY_VERIFY_WITH_TIMEOUT(run->end.has_value(), 5000);
        QVERIFY(!run->end->ok);
        QVERIFY(run->end->error.message.contains(QStringLiteral("\"same\" twice")));
        QCOMPARE(transport.sent.size(), 2);
        QCOMPARE(run->names, (QStringList{"d0", "d1"}));
    }

    void aDestroyedContextStopsQuietly()
    {
        testing::FakeTransport transport;
        transport.script.enqueue({200, {}, page(0, 1, QStringLiteral("t1")), 50});
        transport.script.enqueue({200, {}, page(1, 1, QString())});
        client::ApiClient api(options(), &transport);
        auto *context = new QObject;
        const auto run = fetch(api, context);
        delete context;
        QTest::qWait(200);
        QVERIFY(!run->end.has_value());
        QVERIFY(run->names.isEmpty());
        QCOMPARE(transport.sent.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPagedFetch)
#include "tst_pagedfetch.moc"
