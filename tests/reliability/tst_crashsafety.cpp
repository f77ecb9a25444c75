// kill -9 in the middle of a write: a helper process (crashchild) streams a chat reply into
// the conversation store, saves the profiles (QSettings) again and again, or uploads a dataset
// or a model to the sandbox this test hosts; the test kills it with SIGKILL and checks what is
// left:
// nothing corrupt, the reply kept up to the last token the child reported saved (and marked
// as cut off), the settings whole, a dataset upload restartable to READY, a model upload
// going on from the bytes its resumable session stored.

#include <client/datasets.h>
#include <client/models.h>
#include <client/uploadflow.h>
#include <models/conversationstore.h>
#include <models/modelfolder.h>

#include <common/sandboxfixture.h>

#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>

using testing::await;

namespace {

//! The helper process, its output read line by line while the event loop runs.
class Child
{
public:
    explicit Child(const QStringList &args, const QProcessEnvironment &env = {})
    {
        m_process.setProgram(QStringLiteral(FIREDECK_CRASHCHILD_EXE));
        m_process.setArguments(args);
        if (!env.isEmpty())
            m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { read(); });
        m_process.start();
    }
    ~Child()
    {
        if (m_process.state() != QProcess::NotRunning)
            killHard();
    }
    //! Runs the event loop until a line satisfies `done` (true) or the child ends (false).
    bool waitFor(const std::function<bool(const QByteArray &)> &done, int timeoutMs = 30000)
    {
        m_done = done;
        m_seen = false;
        for (const QByteArray &l : std::as_const(m_lines))
            if (done(l))
                return true;
        (void)QTest::qWaitFor(
            [this] { return m_seen || m_process.state() == QProcess::NotRunning; }, timeoutMs);
        return m_seen;
    }
    //! SIGKILL at once: no destructor, no flush, no atexit.
    void killHard()
    {
        const qint64 pid = m_process.processId(); // 0 once it ended: kill(0) hits the group
        if (pid > 0)
            ::kill(pid_t(pid), SIGKILL);
        (void)m_process.waitForFinished(10000);
        read(); // what it wrote before it died
    }
    const QList<QByteArray> &lines() const { return m_lines; }
    //! For a failed wait: the child's state and its last lines.
    QByteArray describe() const
    {
        return "child " +
               QByteArray(m_process.state() == QProcess::NotRunning ? "ended" : "running") +
               ", last lines: " +
               m_lines.mid(std::max<qsizetype>(0, m_lines.size() - 5)).join(" | ");
    }

private:
    void read()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(nl);
            m_buffer.remove(0, nl + 1);
            m_lines << line;
            if (m_done && m_done(line)) {
                m_seen = true;
                m_done = {}; // the caller acts before the next line is looked at
            }
        }
    }
    QProcess m_process;
    QByteArray m_buffer;
    QList<QByteArray> m_lines;
    std::function<bool(const QByteArray &)> m_done;
    bool m_seen = false;
};

int lastNumber(const QList<QByteArray> &lines, const QByteArray &prefix)
{
    int n = -1;
    for (const QByteArray &l : lines)
        if (l.startsWith(prefix))
            n = std::max(n, l.mid(prefix.size()).toInt());
    return n;
}

} // namespace

class tst_CrashSafety : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedWhileStreaming_replyKeptUpToLastSavedToken()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("conversations.sqlite"));
        Child child({QStringLiteral("stream"), db});
        int saves = 0;
        QVERIFY(child.waitFor(
            [&saves](const QByteArray &l) { return l.startsWith("saved ") && ++saves >= 4; }));
        child.killHard();
        const int lastSaved = lastNumber(child.lines(), "saved ");
        const qint64 replyId = lastNumber(child.lines(), "reply ");
        QVERIFY(lastSaved > 0 && replyId > 0);

        models::ConversationStore store(db);
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        QVERIFY(store.recoveryNote().isEmpty()); // not corrupt: nothing moved aside
        const auto reply = store.message(replyId);
        QVERIFY(reply);
        // Whole tokens from the first on, at least up to the last one reported saved.
        static const QRegularExpression tokens(QStringLiteral("^(tok\\d+ )+$"));
        QVERIFY2(tokens.match(reply->content).hasMatch(), qPrintable(reply->content.right(80)));
        const QStringList words = reply->content.split(u' ', Qt::SkipEmptyParts);
        for (int i = 0; i < words.size(); ++i)
            QCOMPARE(words[i], QStringLiteral("tok%1").arg(i));
        QVERIFY2(words.size() >= lastSaved + 1,
                 qPrintable(QStringLiteral("%1 tokens kept, %2 reported saved")
                                .arg(words.size())
                                .arg(lastSaved + 1)));
        QCOMPARE(reply->error, models::ConversationStore::interruptedReplyError());
        QVERIFY(!reply->stats.present);
        // The conversation shows both turns.
        const auto conv = store.conversations();
        QCOMPARE(conv.size(), 1);
        QCOMPARE(store.shownPath(conv[0].id).size(), 2);
    }

    void streamedSave_neverRewritesAFinishedReply()
    {
        QTemporaryDir dir;
        models::ConversationStore store(dir.filePath(QStringLiteral("c.sqlite")));
        const qint64 conv = store.createConversation(QStringLiteral("c"));
        const qint64 reply = store.addMessage(conv, 0, QStringLiteral("assistant"), QString());
        QVERIFY(store.saveStreamed(reply, QStringLiteral("Hel")));
        models::ReplyStats stats;
        stats.present = true;
        stats.finishReason = QStringLiteral("stop");
        QVERIFY(store.updateMessage(reply, QStringLiteral("Hello."), stats, {}));
        QVERIFY(store.saveStreamed(reply, QStringLiteral("Hel"))); // late: changes nothing
        QCOMPARE(store.message(reply)->content, QStringLiteral("Hello."));
        QCOMPARE(store.message(reply)->stats.finishReason, QStringLiteral("stop"));
    }

    void killedWhileSavingSettings_fileStaysWhole()
    {
        QTemporaryDir config;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        const QString file = config.filePath(QStringLiteral("Firedeck/firedeck.conf"));
        // A crash between creating QSettings' lock file and writing its PID into it leaves an
        // empty lock; QLockFile then waits 30 s before each save (found by this test).
        QVERIFY(QDir().mkpath(config.filePath(QStringLiteral("Firedeck"))));
        QFile torn(file + QStringLiteral(".lock"));
        QVERIFY(torn.open(QIODevice::WriteOnly));
        torn.close();
        // Several kills, each at a different point of the write loop.
        for (int round = 0; round < 6; ++round) {
            Child child({QStringLiteral("settings")}, env);
            QVERIFY2(child.waitFor([round](const QByteArray &l) {
                return l.startsWith("generation ") && l.mid(11).toInt() >= 2 + round;
            }),
                     child.describe().constData());
            child.killHard();

            QSettings settings(file, QSettings::IniFormat);
            QCOMPARE(settings.status(), QSettings::NoError);
            const int n = settings.beginReadArray(QStringLiteral("profiles/saved"));
            QCOMPARE(n, 20);
            for (int i = 0; i < n; ++i) {
                settings.setArrayIndex(i);
                QCOMPARE(settings.value(QStringLiteral("name")).toString(),
                         QStringLiteral("p%1").arg(i));
                const QString account = settings.value(QStringLiteral("accountId")).toString();
                const QString url = settings.value(QStringLiteral("baseUrl")).toString();
                QVERIFY2(account.startsWith(QLatin1String("acct-")), qPrintable(account));
                // One profile's fields come from one save.
                QCOMPARE(url, QStringLiteral("https://api.example.test/") + account.mid(5));
            }
            settings.endArray();
        }
    }

    void killedWhileUploading_datasetUploadsAgainToReady()
    {
        testing::SandboxFixture sb;
        client::Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("crash"), d)));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("train.jsonl"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray row =
                R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]})"
                "\n";
            QByteArray block;
            while (block.size() < (1 << 20))
                block += row;
            for (int i = 0; i < 64; ++i)
                QVERIFY(f.write(block) == block.size());
        }
        const qint64 size = QFileInfo(file).size();
        {
            Child child({QStringLiteral("upload"), sb.server().baseUrl().toString(), file});
            QVERIFY2(child.waitFor([](const QByteArray &l) { return l.startsWith("progress "); }),
                     child.describe().constData());
            child.killHard();
            QVERIFY2(!child.lines().contains("done"), "the upload ended before the kill");
        }
        // Not READY, and no part of the file is stored as if it were whole.
        auto after = await(sb.api().datasets().get(QStringLiteral("crash")));
        FD_VERIFY_OK(after);
        QVERIFY(after.value().state != client::DatasetState::Ready);
        QDirIterator stored(sb.dataDir(), {QStringLiteral("train.jsonl")}, QDir::Files,
                            QDirIterator::Subdirectories);
        while (stored.hasNext())
            QCOMPARE(QFileInfo(stored.next()).size(), size);

        // The app started again: the same upload runs from the start and ends READY.
        client::UploadFlow flow(&sb.api(), client::UploadFlow::Target::Dataset,
                                QStringLiteral("crash"), {file});
        flow.setPollIntervalMs(50);
        QSignalSpy finished(&flow, &client::UploadFlow::finished);
        flow.start();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(),
                 flow.error() ? qPrintable(flow.error()->summary()) : "failed");
        QCOMPARE(flow.dataset().state, client::DatasetState::Ready);
    }

    void killedWhileUploadingModel_resumesWhereItStopped()
    {
        testing::SandboxFixture sb;
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config.json"));
        const QString weights = dir.filePath(QStringLiteral("model.safetensors"));
        // Where the killed process kept its resumable sessions (the app: its settings).
        const QString sessions = dir.filePath(QStringLiteral("sessions.ini"));
        {
            QFile c(config);
            QVERIFY(c.open(QIODevice::WriteOnly));
            c.write(R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2",)"
                    R"("max_position_embeddings":32768})");
            QFile w(weights);
            QVERIFY(w.open(QIODevice::WriteOnly));
            const QByteArray block(1 << 20, '\x11');
            for (int i = 0; i < 64; ++i) { // each MiB differs, so a misplaced chunk shows
                QByteArray b = block;
                b.fill(char(i));
                QVERIFY(w.write(b) == b.size());
            }
        }
        client::Model m;
        m.kind = client::ModelKind::HfBaseModel;
        m.baseModelDetails = client::BaseModelDetails{};
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("crash"), m)));
        {
            Child child({QStringLiteral("upload-model"), sb.server().baseUrl().toString(), sessions,
                         config, weights});
            // Killed once several MiB of the weights are stored (config.json goes first).
            QVERIFY2(child.waitFor([](const QByteArray &l) {
                return l.startsWith("progress ") && l.mid(9).toLongLong() > 8 * 1024 * 1024;
            }),
                     child.describe().constData());
            child.killHard();
            QVERIFY2(!child.lines().contains("done"), "the upload ended before the kill");
        }
        auto after = await(sb.api().models().get(QStringLiteral("crash")));
        FD_VERIFY_OK(after);
        QVERIFY(after.value().state != client::ModelState::Ready);
        QDirIterator stored(sb.dataDir(), {QStringLiteral("model.safetensors")}, QDir::Files,
                            QDirIterator::Subdirectories);
        while (stored.hasNext()) // never half a file under the real name
            QCOMPARE(QFileInfo(stored.next()).size(), QFileInfo(weights).size());

        client::UploadFlow flow(&sb.api(), client::UploadFlow::Target::Model,
                                QStringLiteral("crash"), {config, weights});
        flow.setPollIntervalMs(50);
        flow.setSessionMemory(models::uploadSessionMemory(sessions));
        QSignalSpy finished(&flow, &client::UploadFlow::finished);
        QSignalSpy resumed(&flow, &client::UploadFlow::fileResumed);
        flow.start();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(),
                 flow.error() ? qPrintable(flow.error()->summary()) : "failed");
        QCOMPARE(flow.model().state, client::ModelState::Ready);
        // The restarted upload went on from what the killed one had stored.
        QCOMPARE(resumed.size(), 1);
        QCOMPARE(resumed.at(0).at(0).toString(), QStringLiteral("model.safetensors"));
        QVERIFY2(resumed.at(0).at(1).toLongLong() >= 4 * 1024 * 1024,
                 QByteArray::number(resumed.at(0).at(1).toLongLong()).constData());
        QFile original(weights);
        QFile storedWeights(
            QDir(sb.dataDir())
                .filePath(QStringLiteral("files/models/local/crash/model.safetensors")));
        QVERIFY(original.open(QIODevice::ReadOnly) && storedWeights.open(QIODevice::ReadOnly));
        QVERIFY(original.readAll() == storedWeights.readAll());
    }
};

QTEST_GUILESS_MAIN(tst_CrashSafety)
#include "tst_crashsafety.moc"
