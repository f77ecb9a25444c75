// The process tst_crashsafety starts and kills with SIGKILL in the middle of a write. Each
// mode prints a line after every step it has completed, so the test knows what must survive:
//   crashchild stream DB        streams a reply into a conversation store: "saved N" after
//                               a write that holds tokens 0..N
//   crashchild settings         saves 20 profiles again and again (QSettings under
//                               XDG_CONFIG_HOME): "generation G" when all 20 carry G
//   crashchild session URL      lists models with FIREWORKS_API_KEY until killed: "listed"
//   crashchild upload URL FILE  uploads FILE to dataset "crash" of the sandbox at URL:
//                               "progress BYTES" while the PUT runs
//   crashchild upload-model URL SESSIONS FILE...  the same for the files of model "crash",
//                                          keeping resumable sessions in the INI file SESSIONS

#include <client/apiclient.h>
#include <client/models.h>
#include <client/networktransport.h>
#include <client/uploadflow.h>
#include <models/conversationstore.h>
#include <models/modelfolder.h>
#include <models/profilestore.h>

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {

void say(const QByteArray &line)
{
    std::fputs((line + '\n').constData(), stdout);
    std::fflush(stdout);
}

int stream(const QString &path)
{
    models::ConversationStore store(path);
    if (!store.isOpen())
        return 2;
    const qint64 conv = store.createConversation(QStringLiteral("crash"));
    const qint64 user = store.addMessage(conv, 0, QStringLiteral("user"), QStringLiteral("Count"));
    const qint64 reply = store.addMessage(conv, user, QStringLiteral("assistant"), QString());
    say("reply " + QByteArray::number(reply));
    QString text;
    for (int i = 0;; ++i) {
        text += QStringLiteral("tok%1 ").arg(i); // one streamed token
        if (store.saveStreamed(reply, text))
            say("saved " + QByteArray::number(i));
        QThread::usleep(500);
    }
}

int settings()
{
    models::ProfileStore profiles(QHash<QString, QString>{});
    for (int generation = 1;; ++generation) {
        for (int i = 0; i < 20; ++i) {
            models::Profile p;
            p.name = QStringLiteral("p%1").arg(i);
            p.accountId = QStringLiteral("acct-%1").arg(generation);
            p.baseUrl = QUrl(QStringLiteral("https://api.example.test/%1").arg(generation));
            if (!profiles.save(p, p.name))
                return 2;
        }
        say("generation " + QByteArray::number(generation));
    }
}

client::ApiClientOptions optionsFor(const QUrl &baseUrl)
{
    client::ApiClientOptions o;
    o.baseUrl = baseUrl;
    // The Local sandbox's defaults unless the environment names an account (tst_secrets).
    const QByteArray account = qgetenv("FIREWORKS_ACCOUNT_ID");
    const QByteArray key = qgetenv("FIREWORKS_API_KEY");
    o.accountId = account.isEmpty() ? QStringLiteral("local") : QString::fromUtf8(account);
    o.apiKey = key.isEmpty() ? QStringLiteral("fw_local_sandbox_key") : QString::fromUtf8(key);
    return o;
}

int upload(const QUrl &baseUrl, client::UploadFlow::Target target, const QStringList &files,
           const QString &sessionsFile = {})
{
    QNetworkAccessManager nam;
    client::NetworkTransport transport(&nam);
    client::ApiClient api(optionsFor(baseUrl), &transport);
    client::UploadFlow flow(&api, target, QStringLiteral("crash"), files);
    if (!sessionsFile.isEmpty()) {
        flow.setSessionMemory(models::uploadSessionMemory(sessionsFile));
        flow.setChunkBytes(1024 * 1024); // many chunks, so the kill lands between two
    }
    QObject::connect(&flow, &client::UploadFlow::totalProgress,
                     [](qint64 sent, qint64) { say("progress " + QByteArray::number(sent)); });
    QObject::connect(&flow, &client::UploadFlow::finished, [](bool ok) {
        say(ok ? "done" : "failed");
        QCoreApplication::exit(ok ? 0 : 1);
    });
    flow.start();
    return QCoreApplication::exec();
}

//! Lists models again and again with the key until killed: "listed" after each answer.
int session(const QUrl &baseUrl)
{
    QNetworkAccessManager nam;
    client::NetworkTransport transport(&nam);
    client::ApiClient api(optionsFor(baseUrl), &transport);
    std::function<void()> next = [&] {
        auto *call = api.models().list(client::ListRequest{});
        QObject::connect(call, &client::PendingCallBase::finished, [call, &next] {
            say(call->result().ok() ? "listed" : "list failed");
            QTimer::singleShot(20, next);
        });
    };
    next();
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
    QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
    const QStringList args = app.arguments();
    const QString mode = args.value(1);
    if (mode == QLatin1String("stream") && args.size() == 3)
        return stream(args[2]);
    if (mode == QLatin1String("settings"))
        return settings();
    if (mode == QLatin1String("session") && args.size() == 3)
        return session(QUrl(args[2]));
    if (mode == QLatin1String("upload") && args.size() == 4)
        return upload(QUrl(args[2]), client::UploadFlow::Target::Dataset, {args[3]});
    if (mode == QLatin1String("upload-model") && args.size() >= 5)
        return upload(QUrl(args[2]), client::UploadFlow::Target::Model, args.mid(4), args[3]);
    std::fputs("usage: crashchild stream DB | settings | session URL | upload URL FILE | "
               "upload-model URL SESSIONS FILE...\n",
               stderr);
    return 64;
}
