// kill -9 of the app itself (the `firedeck` executable, offscreen, on empty XDG folders), not
// of a helper process: in the middle of a streamed chat reply in the playground
// (--load-model/--send), of a model upload (--upload-model, the Models page's Upload dialog
// filled in and clicked), and of the settings writes the app makes on its way there. Then the
// files the app left are opened (the conversations database, its QSettings file) and the app
// is started again: nothing corrupt, the reply kept up to the last text it had stored, the
// model upload offered as "Resume upload…" on the Models page and going on from the bytes the
// platform had stored.

#include "firedeckapp.h"

#include "common/pagefixture.h"
#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <client/models.h>
#include <models/conversationstore.h>
#include <models/modellistmodel.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/uploadmodeldialog.h>

#include <QDirIterator>
#include <QEventLoop>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProcess>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <functional>

using testing::await;

namespace {

const QString kApp = QStringLiteral(FIREDECK_APP_EXE);
constexpr int kFillerKeys = 20000;

//! XDG folders of one app "installation": the app finds nothing there at its first start.
struct Home
{
    explicit Home(const QString &root) : root(root)
    {
        for (const char *name : {"config", "data", "cache", "state", "runtime"})
            QDir().mkpath(folder(name));
        QFile::setPermissions(folder("runtime"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QString folder(const char *name) const { return root + u'/' + QLatin1String(name); }
    QString conversations() const
    {
        return folder("data") + QStringLiteral("/Firedeck/firedeck/conversations.sqlite");
    }
    QString settings() const
    {
        return folder("config") + QStringLiteral("/Firedeck/firedeck.conf");
    }
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), folder("config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), folder("data"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), folder("cache"));
        env.insert(QStringLiteral("XDG_STATE_HOME"), folder("state"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), folder("runtime"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        for (const char *name : {"FIREWORKS_API_KEY", "FIREWORKS_ACCOUNT_ID", "FIREWORKS_BASE_URL"})
            env.remove(QLatin1String(name));
        return env;
    }
    QString root;
};

//! The app pointed at `sandbox` through the environment's profile ("fireworks").
QProcessEnvironment withPlatform(QProcessEnvironment env, const QUrl &sandbox)
{
    env.insert(QStringLiteral("FIREWORKS_API_KEY"), QStringLiteral("fw_local_sandbox_key"));
    env.insert(QStringLiteral("FIREWORKS_ACCOUNT_ID"), QStringLiteral("local"));
    env.insert(QStringLiteral("FIREWORKS_BASE_URL"), sandbox.toString());
    return env;
}

//! The running app; SIGKILL at once on killHard() (no destructor, no flush, no atexit).
class App
{
public:
    App(const QStringList &args, const QProcessEnvironment &env)
    {
        m_process.setProgram(kApp);
        m_process.setArguments(args);
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start();
        (void)m_process.waitForStarted(); // running() is checked at once
    }
    ~App()
    {
        if (m_process.state() != QProcess::NotRunning)
            killHard();
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    void killHard()
    {
        const qint64 pid = m_process.processId(); // 0 once it ended: kill(0) hits the group
        if (pid > 0)
            ::kill(pid_t(pid), SIGKILL);
        (void)m_process.waitForFinished(10000);
    }
    //! Waits (running the event loop) for the app to end by itself.
    bool waitForExit(int timeoutMs)
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; },
                               timeoutMs);
    }
    int exitCode() const { return m_process.exitCode(); }
    //! For a failed check: how the app ended and what it printed.
    QByteArray output()
    {
        return "exit " + QByteArray::number(m_process.exitCode()) + ", " +
               m_process.errorString().toUtf8() + ": " + m_process.readAll();
    }

private:
    QProcess m_process;
};

//! The newest assistant message of a conversations database, read while the app writes it
//! (WAL: a reader sees the last committed write). `finished`: its figures are in (the reply
//! ended by itself).
struct StoredReply
{
    qint64 id = 0;
    QString content;
    bool finished = false;
};

std::optional<StoredReply> readLastReply(const QString &db)
{
    std::optional<StoredReply> out;
    {
        auto c = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        c.setDatabaseName(db);
        c.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=200"));
        if (c.open()) {
            QSqlQuery q(c);
            if (q.exec(QStringLiteral("SELECT id, content, stats FROM messages WHERE role = "
                                      "'assistant' ORDER BY id DESC LIMIT 1")) &&
                q.next())
                // While it streams, its figures are a mark (ConversationStore::saveStreamed).
                out = StoredReply{q.value(0).toLongLong(), q.value(1).toString(),
                                  !q.value(2).toString().isEmpty() &&
                                      !q.value(2).toString().contains(u"\"streaming\"")};
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    return out;
}

QString integrityOf(const QString &db)
{
    QString result;
    {
        auto c = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        c.setDatabaseName(db);
        QSqlQuery q(c);
        if (c.open() && q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next())
            result = q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return result;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

//! A model folder the Upload dialog takes: config.json and `mib` MiB of weights, each MiB
//! different, so a chunk stored in the wrong place shows.
bool writeModelFolder(const QString &dir, int mib)
{
    if (!QDir().mkpath(dir) ||
        !writeFile(dir + QStringLiteral("/config.json"),
                   R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2",)"
                   R"("max_position_embeddings":32768})"))
        return false;
    QFile w(dir + QStringLiteral("/model.safetensors"));
    if (!w.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < mib; ++i)
        if (w.write(QByteArray(1 << 20, char(i))) != (1 << 20))
            return false;
    return true;
}

//! The biggest partial file of an open resumable session in the sandbox's data folder.
qint64 partialBytes(const QString &sandboxData)
{
    qint64 most = 0;
    QDirIterator it(sandboxData + QStringLiteral("/partial-uploads"), QDir::Files);
    while (it.hasNext())
        most = std::max(most, QFileInfo(it.next()).size());
    return most;
}

//! Runs a real event loop until `done` (checked every 20 ms) or the timeout. QTest::qWaitFor
//! sleeps between its event batches, which starves an upload this process sends (Qt's HTTP
//! thread waits on the main thread for every piece of the body): 8 MiB then take seconds.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(20);
    loop.exec();
    return done();
}

} // namespace

class tst_AppCrash : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    std::unique_ptr<Home> m_home; // the in-process app's (second start) and its killed one's

    //! The app started again (in this process): opens `profile`, selects the model `name` on
    //! the Models page, checks that "Resume upload…" is offered and that its dialog knows the
    //! folder, clicks Upload and waits for READY. The dialog's stage line once the upload went
    //! on ("Resuming FILE: N were already stored"; empty when it started from the first byte)
    //! goes to `resumedText`.
    void resumeThroughTheModelsPage(FiredeckApp &app, const QString &profile, const QString &name,
                                    const QString &folder, QString *resumedText)
    {
        ui::MainWindow *window = app.window();
        window->resize(1400, 860);
        app.activate(profile);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY(window->showPage(QStringLiteral("models")));
        auto *page = qobject_cast<ui::ModelsPage *>(window->page(QStringLiteral("models")));
        QVERIFY(page);
        QVERIFY(testing::selectByMouse(*page, name));
        QAction *resume = testing::actionStartingWith(page, QStringLiteral("Resume upload"));
        QVERIFY(resume && resume->isEnabled());
        QVERIFY(testing::clickAction(resume));
        auto *dialog = testing::waitForDialog<ui::UploadModelDialog>(page);
        QVERIFY(dialog);
        QCOMPARE(QDir::fromNativeSeparators(
                     dialog->findChild<QLineEdit *>(QStringLiteral("folderEdit"))->text()),
                 folder);
        QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
        // The dialog closes itself once the model is READY: its label is watched while it lives.
        QPointer<QLabel> stage = dialog->findChild<QLabel *>(QStringLiteral("stageLabel"));
        QVERIFY(stage);
        QStringList said;
        QVERIFY2(waitUntil(
                     [&] {
                         if (stage && (said.isEmpty() || said.last() != stage->text()))
                             said << stage->text();
                         const int row = page->model()->rowOfName(name);
                         return row >= 0 &&
                                page->model()->item(row).state == client::ModelState::Ready;
                     },
                     60000),
                 qPrintable(said.join(QStringLiteral(" | "))));
        for (const QString &line : std::as_const(said))
            if (line.startsWith(QStringLiteral("Resuming")))
                *resumedText = line;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QVERIFY2(QFileInfo(kApp).isExecutable(), qPrintable(kApp));
        m_home = std::make_unique<Home>(m_root.filePath(QStringLiteral("home")));
        // Before anything reads QSettings' paths: the app started here shares the home.
        for (const char *name : {"config", "data", "cache", "state"})
            qputenv((QByteArray("XDG_") + QByteArray(name).toUpper() + "_HOME").constData(),
                    m_home->folder(name).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
        QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
    }

    void killedWhileStreaming_replyKeptUpToTheLastStoredText()
    {
        if (!testmodels::haveQwen3Tokenizer())
            QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
        // A random Qwen3 wide enough that its 512-token reply streams for seconds on a CPU.
        const QString model = m_root.filePath(QStringLiteral("qwen3-random"));
        const std::string config =
            R"({"architectures":["Qwen3ForCausalLM"],"model_type":"qwen3","hidden_size":512,)"
            R"("intermediate_size":1024,"num_hidden_layers":2,"num_attention_heads":8,)"
            R"("num_key_value_heads":2,"head_dim":64,"vocab_size":151936,)"
            R"("max_position_embeddings":2048,"tie_word_embeddings":true,)"
            R"("eos_token_id":151645,"torch_dtype":"bfloat16"})";
        QVERIFY(engine::writeRandomModel(config, model.toStdString(), engine::DType::BF16, 7));
        for (const char *f : {"tokenizer.json", "tokenizer_config.json"})
            QVERIFY(QFile::copy(testmodels::qwen3TokenizerDir() + u'/' + QLatin1String(f),
                                model + u'/' + QLatin1String(f)));

        const Home home(m_root.filePath(QStringLiteral("chat")));
        const QString db = home.conversations();
        const QStringList args{
            QStringLiteral("--data-dir"),   home.folder("data") + QStringLiteral("/sandbox"),
            QStringLiteral("--load-model"), model,
            QStringLiteral("--send"),       QStringLiteral("Count to a thousand.")};
        StoredReply seen;
        {
            App app(args, home.environment());
            // Killed once the stored reply has grown twice: mid-stream, between two saves.
            int growths = 0;
            bool ended = false;
            (void)QTest::qWaitFor(
                [&] {
                    const auto r = readLastReply(db);
                    if (!app.running() || (r && (ended = r->finished)))
                        return true;
                    if (r && r->content.size() > seen.content.size()) {
                        growths += seen.content.isEmpty() ? 0 : 1;
                        seen = *r;
                    }
                    return growths >= 2;
                },
                120000);
            QVERIFY2(app.running(), app.output().constData());
            QVERIFY2(!ended, "the reply ended before the kill");
            QVERIFY2(growths >= 2, "the reply did not stream");
            app.killHard();
        }
        QVERIFY(!seen.content.isEmpty());

        // The file as the killed app left it: whole, and the reply there up to what was seen.
        QCOMPARE(integrityOf(db), QStringLiteral("ok"));
        {
            models::ConversationStore store(db);
            QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
            QVERIFY(store.recoveryNote().isEmpty()); // nothing moved aside
            const auto reply = store.message(seen.id);
            QVERIFY(reply);
            QVERIFY2(reply->content.startsWith(seen.content),
                     qPrintable(QStringLiteral("kept %1 characters, %2 were stored before the kill")
                                    .arg(reply->content.size())
                                    .arg(seen.content.size())));
            QCOMPARE(reply->error, models::ConversationStore::interruptedReplyError());
            const auto conversations = store.conversations();
            QCOMPARE(conversations.size(), 1);
            QCOMPARE(store.shownPath(conversations[0].id).size(), 2); // the question and reply
            seen.content = reply->content;
        }

        // The app starts again on those files and shows the playground; the reply stays.
        App again({QStringLiteral("--data-dir"), home.folder("data") + QStringLiteral("/sandbox"),
                   QStringLiteral("--screenshot"), QStringLiteral("playground"),
                   m_root.filePath(QStringLiteral("after-crash.png"))},
                  home.environment());
        QVERIFY(again.waitForExit(60000));
        QVERIFY2(again.exitCode() == 0, again.output().constData());
        QCOMPARE(integrityOf(db), QStringLiteral("ok"));
        models::ConversationStore store(db);
        QCOMPARE(store.message(seen.id)->content, seen.content);
    }

    void killedWhileUploadingModel_offersResumeFromTheStoredBytes()
    {
        testing::SandboxFixture sb;
        // Each chunk (8 MiB) of the upload answered late, so the kill lands between two.
        sb.addFault(R"({"path": "^/signed/", "method": "PUT", "kind": "latency",
                        "latencyMs": 300, "count": 1000})");
        const QString folder = m_root.filePath(QStringLiteral("upload/crashmodel"));
        QVERIFY(writeModelFolder(folder, 48));
        const QString weights = folder + QStringLiteral("/model.safetensors");
        const QString name = QStringLiteral("accounts/local/models/crashmodel");
        {
            App app({QStringLiteral("--profile"), QStringLiteral("fireworks"),
                     QStringLiteral("--data-dir"),
                     m_home->folder("data") + QStringLiteral("/sandbox"),
                     QStringLiteral("--upload-model"), folder},
                    withPlatform(m_home->environment(), sb.server().baseUrl()));
            QVERIFY2(QTest::qWaitFor(
                         [&] {
                             return partialBytes(sb.dataDir()) >= 16 * 1024 * 1024 ||
                                    !app.running();
                         },
                         60000),
                     "the upload did not start");
            QVERIFY2(app.running(), app.output().constData());
            app.killHard();
        }
        const qint64 storedAtKill = partialBytes(sb.dataDir());
        auto after = await(sb.api().models().get(QStringLiteral("crashmodel")));
        FD_VERIFY_OK(after);
        QCOMPARE(after.value().state, client::ModelState::Uploading);
        QDirIterator stored(sb.dataDir() + QStringLiteral("/files"),
                            {QStringLiteral("model.safetensors")}, QDir::Files,
                            QDirIterator::Subdirectories);
        QVERIFY2(!stored.hasNext(), "half a file stored under the real name");

        // The settings the killed app wrote on its way (its profile, the upload's folder and
        // session): a whole file.
        {
            QSettings settings(m_home->settings(), QSettings::IniFormat);
            QCOMPARE(settings.status(), QSettings::NoError);
            settings.beginGroup(QStringLiteral("uploads"));
            QVERIFY2(settings.childGroups().contains(QStringLiteral("sessions")),
                     qPrintable(settings.allKeys().join(u' ')));
            QVERIFY(settings.childGroups().contains(QStringLiteral("folders")));
        }

        // The app started again (in this process, on the same folders): the model is offered
        // for "Resume upload…", whose dialog knows the folder and goes on from the stored bytes.
        qputenv("FIREWORKS_API_KEY", "fw_local_sandbox_key");
        qputenv("FIREWORKS_ACCOUNT_ID", "local");
        qputenv("FIREWORKS_BASE_URL", sb.server().baseUrl().toString().toUtf8());
        FiredeckApp app(m_home->folder("data") + QStringLiteral("/sandbox"));
        QString resumedText;
        resumeThroughTheModelsPage(app, models::ProfileStore::environmentName(), name, folder,
                                   &resumedText);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(resumedText.startsWith(QStringLiteral("Resuming model.safetensors")),
                 qPrintable(resumedText));
        QVERIFY(storedAtKill >= 16 * 1024 * 1024);
        QFile original(weights);
        QFile storedWeights(sb.dataDir() +
                            QStringLiteral("/files/models/local/crashmodel/model.safetensors"));
        QVERIFY(original.open(QIODevice::ReadOnly) && storedWeights.open(QIODevice::ReadOnly));
        QVERIFY(original.readAll() == storedWeights.readAll());
    }

    void killedWhileUploadingToItsLocalSandbox_resumesOnTheSandboxsNewPort()
    {
        // The Local profile: the sandbox runs inside the app and dies with it; started again,
        // it listens on a new port, and the session URL kept in the settings names the old one.
        const QString data = m_home->folder("data") + QStringLiteral("/local-sandbox");
        const QString folder = m_root.filePath(QStringLiteral("upload/localmodel"));
        QVERIFY(writeModelFolder(folder, 160)); // no injected latency here: a bigger file
        const QString weights = folder + QStringLiteral("/model.safetensors");
        const QString name = QStringLiteral("accounts/local/models/localmodel");
        {
            App app({QStringLiteral("--profile"), QStringLiteral("local"),
                     QStringLiteral("--data-dir"), data, QStringLiteral("--upload-model"), folder},
                    m_home->environment());
            QVERIFY2(QTest::qWaitFor(
                         [&] { return partialBytes(data) >= 16 * 1024 * 1024 || !app.running(); },
                         60000),
                     "the upload did not start");
            QVERIFY2(app.running(), app.output().constData());
            app.killHard();
        }
        const qint64 storedAtKill = partialBytes(data);
        QVERIFY2(storedAtKill < QFileInfo(weights).size(), "the upload ended before the kill");

        FiredeckApp app(data);
        QString resumedText;
        resumeThroughTheModelsPage(app, models::ProfileStore::localName(), name, folder,
                                   &resumedText);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(resumedText.startsWith(QStringLiteral("Resuming model.safetensors")),
                 qPrintable(resumedText));
        QFile original(weights);
        QFile storedWeights(data +
                            QStringLiteral("/files/models/local/localmodel/model.safetensors"));
        QVERIFY(original.open(QIODevice::ReadOnly) && storedWeights.open(QIODevice::ReadOnly));
        while (!original.atEnd()) // 160 MiB: compared a MiB at a time
            QVERIFY(original.read(1 << 20) == storedWeights.read(1 << 20));
        QVERIFY(storedWeights.atEnd());
    }

    void killedWhileWritingSettings_fileStaysWholeAndTheAppStarts()
    {
        testing::SandboxFixture sb;
        const Home home(m_root.filePath(QStringLiteral("settings")));
        // Twenty saved profiles the app reads at start and must never lose.
        {
            QDir().mkpath(QFileInfo(home.settings()).absolutePath());
            QSettings settings(home.settings(), QSettings::IniFormat);
            settings.beginWriteArray(QStringLiteral("profiles/saved"));
            for (int i = 0; i < 20; ++i) {
                settings.setArrayIndex(i);
                settings.setValue(QStringLiteral("name"), QStringLiteral("p%1").arg(i));
                settings.setValue(QStringLiteral("accountId"), QStringLiteral("acct-%1").arg(i));
                settings.setValue(QStringLiteral("baseUrl"),
                                  QStringLiteral("https://api.example.test/%1").arg(i));
            }
            settings.endArray();
            // Two MB of other keys: every settings write rewrites the whole file, so each one
            // lasts long enough for some of the kills below to land inside it.
            for (int i = 0; i < kFillerKeys; ++i)
                settings.setValue(QStringLiteral("filler/k%1").arg(i), QString(96, u'x'));
        }
        // Each round the app opens the profile (it remembers it as the last used) and uploads
        // a model (it remembers the folder and the session), killed at a later point each time.
        // Until three kills landed inside a write (at most 24 rounds).
        int tornWrites = 0;
        int rounds = 0;
        for (int round = 0; round < 24 && tornWrites < 3; ++round, ++rounds) {
            const QString folder =
                m_root.filePath(QStringLiteral("settings-models/round%1").arg(round));
            QVERIFY(writeModelFolder(folder, 1));
            App app({QStringLiteral("--profile"), QStringLiteral("fireworks"),
                     QStringLiteral("--data-dir"), home.folder("data") + QStringLiteral("/sandbox"),
                     QStringLiteral("--upload-model"), folder},
                    withPlatform(home.environment(), sb.server().baseUrl()));
            QTest::qWait(400 + 150 * (round % 10));
            app.killHard();
            // QSettings holds its lock file only while it writes (the file itself goes through
            // an unnamed temporary file and a rename): a lock left behind marks a kill that
            // landed inside a write. The next round's start has to cope with it.
            if (QFile::exists(home.settings() + QStringLiteral(".lock")))
                ++tornWrites;
            QSettings settings(home.settings(), QSettings::IniFormat);
            QCOMPARE(settings.status(), QSettings::NoError);
            const int n = settings.beginReadArray(QStringLiteral("profiles/saved"));
            QCOMPARE(n, 20);
            for (int i = 0; i < n; ++i) {
                settings.setArrayIndex(i);
                QCOMPARE(settings.value(QStringLiteral("name")).toString(),
                         QStringLiteral("p%1").arg(i));
                QCOMPARE(settings.value(QStringLiteral("baseUrl")).toString(),
                         QStringLiteral("https://api.example.test/%1").arg(i));
            }
            settings.endArray();
            settings.beginGroup(QStringLiteral("filler"));
            QCOMPARE(settings.childKeys().size(), kFillerKeys);
            settings.endGroup();
        }
        qInfo("%d of %d kills landed inside a settings write", tornWrites, rounds);
        QVERIFY2(tornWrites > 0, "no kill landed inside a settings write");
        // A whole start after the kills: the Settings page renders, so the file (and any lock
        // left behind) does not stop the app.
        App again({QStringLiteral("--profile"), QStringLiteral("fireworks"),
                   QStringLiteral("--data-dir"), home.folder("data") + QStringLiteral("/sandbox"),
                   QStringLiteral("--screenshot"), QStringLiteral("settings"),
                   m_root.filePath(QStringLiteral("settings.png"))},
                  withPlatform(home.environment(), sb.server().baseUrl()));
        QVERIFY(again.waitForExit(60000));
        QVERIFY2(again.exitCode() == 0, again.output().constData());
    }
};

QTEST_MAIN(tst_AppCrash)
#include "tst_appcrash.moc"
