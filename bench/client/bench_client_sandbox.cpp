// Client <-> sandbox throughput over loopback: GET and list requests per second, and the
// time to page through 10,000 models. Prints figures; asserts nothing.

#include <bench/common/await.h>
#include <client/apiclient.h>
#include <client/models.h>
#include <client/networktransport.h>
#include <sandbox/sandboxserver.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

using namespace client;
using bench::await;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int modelCount = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    QTextStream out(stdout);
    QTemporaryDir dir;
    sandbox::SandboxOptions options;
    options.dataDir = dir.path();
    options.seedCatalog = true;
    sandbox::SandboxServer server(options);
    QString error;
    if (!server.start(&error)) {
        out << "sandbox did not start: " << error << "\n";
        return 1;
    }
    QNetworkAccessManager nam;
    NetworkTransport transport(&nam);
    ApiClientOptions o;
    o.baseUrl = server.baseUrl();
    o.accountId = QStringLiteral("local");
    o.apiKey = QStringLiteral("fw_local_sandbox_key");
    ApiClient api(o, &transport);

    Model lora;
    lora.kind = ModelKind::HfPeftAddon;
    lora.peftDetails = PeftDetails{
        QStringLiteral("accounts/fireworks/models/qwen3-0p6b"), 8, {QStringLiteral("q_proj")}, {}};
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < modelCount; ++i) {
        lora.displayName = QStringLiteral("model %1").arg(i);
        if (!await(api.models().create(QStringLiteral("m%1").arg(i, 5, 10, QLatin1Char('0')), lora))
                 .ok()) {
            out << "create failed at " << i << "\n";
            return 1;
        }
    }
    const double createSeconds = timer.elapsed() / 1000.0;
    out << QStringLiteral("create (POST, sequential): %1 models in %2 s = %3 requests/s\n")
               .arg(modelCount)
               .arg(createSeconds, 0, 'f', 2)
               .arg(modelCount / createSeconds, 0, 'f', 0);

    const int gets = 3000;
    timer.restart();
    for (int i = 0; i < gets; ++i)
        if (!await(api.models().get(
                       QStringLiteral("m%1").arg(i % modelCount, 5, 10, QLatin1Char('0'))))
                 .ok())
            return 1;
    const double getSeconds = timer.elapsed() / 1000.0;
    out << QStringLiteral("get (sequential): %1 requests/s (%2 ms each)\n")
               .arg(gets / getSeconds, 0, 'f', 0)
               .arg(getSeconds * 1000 / gets, 0, 'f', 2);

    const int lists = 500;
    ListRequest page;
    page.pageSize = 50;
    timer.restart();
    for (int i = 0; i < lists; ++i)
        if (!await(api.models().list(page)).ok())
            return 1;
    const double listSeconds = timer.elapsed() / 1000.0;
    out << QStringLiteral("list first page, pageSize 50 (sequential): %1 requests/s (%2 ms each)\n")
               .arg(lists / listSeconds, 0, 'f', 0)
               .arg(listSeconds * 1000 / lists, 0, 'f', 2);

    for (int pageSize : {50, 200}) {
        ListRequest request;
        request.pageSize = pageSize;
        int items = 0, pages = 0;
        timer.restart();
        for (;;) {
            auto r = await(api.models().list(request));
            if (!r.ok())
                return 1;
            ++pages;
            items += r.value().items.size();
            if (r.value().isLast())
                break;
            request.pageToken = r.value().nextPageToken;
        }
        out << QStringLiteral("page through %1 models, pageSize %2: %3 pages in %4 ms\n")
                   .arg(items)
                   .arg(pageSize)
                   .arg(pages)
                   .arg(timer.elapsed());
    }
    out.flush();
    server.stop();
    return 0;
}
