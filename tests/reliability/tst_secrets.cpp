// No file the app writes and no text it puts on the clipboard holds the API key. A whole
// session of the real app (FiredeckApp) on a Fireworks-kind profile whose key is a known fake,
// against a strict sandbox standing in for the platform: resources created, requests failing
// (500, 401, dropped connection, 404), firectl/curl commands copied from a dialog, an export
// written, a child process given the key killed with SIGKILL, HTTP logging at debug level
// written to a log file. Then every file under the test's XDG folders and TMPDIR, and every
// clipboard text, is searched for the key (whole, and its secret half alone): zero hits.

#include "firedeckapp.h"

#include "common/pagefixture.h"
#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <client/datasets.h>
#include <client/models.h>
#include <models/panelexport.h>
#include <ui/editmodeldialog.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>

#include <QApplication>
#include <QClipboard>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using testing::await;

namespace {

// Obviously fake (underscores, FAKE), so no secret scanner takes it for a real key.
const QString kKey = QStringLiteral("fw_FAKE_secrets_test_key_3fA9c1E7");
const QString kAccount = QStringLiteral("acme");

QFile *s_log = nullptr;
QtMessageHandler s_previous = nullptr;

//! Everything Qt logs goes to a file among the app's, as a log file or crash report would.
void logToFile(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (s_log)
        s_log->write(qFormatLogMessage(type, context, message).toUtf8() + '\n');
    if (s_previous)
        s_previous(type, context, message);
}

} // namespace

class tst_Secrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;                             // every folder the app may write to
    std::unique_ptr<testing::SandboxFixture> m_cloud; // its data lives outside m_root
    QStringList m_clipboard;

    QString folder(const char *name) const { return m_root.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        sandbox::SandboxOptions cloud;
        cloud.accountId = kAccount;
        cloud.acceptAnyKey = false;
        cloud.bootstrapApiKey = kKey;
        m_cloud = std::make_unique<testing::SandboxFixture>(cloud);
        for (const char *name : {"config", "data", "cache", "state", "tmp"})
            QVERIFY(QDir().mkpath(folder(name)));
        qputenv("XDG_CONFIG_HOME", folder("config").toUtf8());
        qputenv("XDG_DATA_HOME", folder("data").toUtf8());
        qputenv("XDG_CACHE_HOME", folder("cache").toUtf8());
        qputenv("XDG_STATE_HOME", folder("state").toUtf8());
        qputenv("TMPDIR", folder("tmp").toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
        QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
        s_log = new QFile(folder("state") + QStringLiteral("/firedeck.log"));
        QVERIFY(s_log->open(QIODevice::WriteOnly));
        s_previous = qInstallMessageHandler(logToFile);
        QLoggingCategory::setFilterRules(QStringLiteral("client.*=true\nsandbox.*=true"));
        connect(QApplication::clipboard(), &QClipboard::dataChanged, this,
                [this] { m_clipboard << QApplication::clipboard()->text(); });
    }

    void wholeSession_keyInNoFileAndNoClipboardText()
    {
        testing::SandboxFixture &cloud = *m_cloud;
        {
            FiredeckApp app(folder("data") + QStringLiteral("/firedeck/local-sandbox"));
            app.credentials()->setKeychainEnabled(false); // no keyring in a test; session only
            models::Profile profile;
            profile.name = QStringLiteral("Acme");
            profile.accountId = kAccount;
            profile.baseUrl = cloud.server().baseUrl();
            QString error;
            QVERIFY2(app.profiles()->save(profile, {}, &error), qPrintable(error));
            bool stored = false;
            app.credentials()->write(profile.name, kKey, this, [&stored](bool) { stored = true; });
            QTRY_VERIFY(stored);
            ui::MainWindow *window = app.window();
            window->restoreLayout();
            app.activate(profile.name);
            window->show();
            QVERIFY(QTest::qWaitForWindowExposed(window));
            QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                      models::ProfileManager::Connection::Connected, 20000);

            // Resources created through the app's client.
            client::Model m;
            m.kind = client::ModelKind::HfPeftAddon;
            m.displayName = QStringLiteral("secret test");
            m.peftDetails = client::PeftDetails{
                QStringLiteral("accounts/fireworks/models/qwen3-0p6b"), 8, {}, {}};
            FD_VERIFY_OK(await(app.api()->models().create(QStringLiteral("kept"), m)));
            client::Dataset d;
            d.userUploaded = true;
            FD_VERIFY_OK(await(app.api()->datasets().create(QStringLiteral("kept-d"), d)));

            // Failing requests: 500 and 401 on page loads, a dropped create, a missing model.
            auto *modelsPage =
                qobject_cast<ui::ModelsPage *>(window->page(QStringLiteral("models")));
            QVERIFY(modelsPage);
            QVERIFY(window->showPage(QStringLiteral("models")));
            cloud.addFault(R"({"path":"/models$","method":"GET","status":500,"count":4})");
            QTest::keyClick(window, Qt::Key_F5);
            QTRY_VERIFY_WITH_TIMEOUT(!window->lastError().isEmpty(), 20000);
            cloud.addFault(R"({"path":"/datasets$","method":"GET","status":401,"count":1})");
            QVERIFY(window->showPage(QStringLiteral("datasets")));
            QTest::keyClick(window, Qt::Key_F5);
            cloud.addFault(R"({"path":"/models$","method":"POST","kind":"drop","count":1})");
            QVERIFY(!await(app.api()->models().create(QStringLiteral("dropped"), m)).ok());
            QVERIFY(!await(app.api()->models().get(QStringLiteral("missing"))).ok());

            // Commands copied from the Edit dialog of the model, as a person does.
            QVERIFY(window->showPage(QStringLiteral("models")));
            QTest::keyClick(window, Qt::Key_F5);
            const QString name = QStringLiteral("accounts/%1/models/kept").arg(kAccount);
            QVERIFY(testing::selectByMouse(*modelsPage, name));
            QVERIFY(testing::clickAction(
                testing::actionStartingWith(modelsPage, QStringLiteral("Edit"))));
            auto *edit = testing::waitForDialog<ui::EditModelDialog>(modelsPage);
            QVERIFY(edit);
            QVERIFY(testing::click(edit->findChild<QPushButton *>(QStringLiteral("copyFirectl"))));
            QVERIFY(testing::click(edit->findChild<QPushButton *>(QStringLiteral("copyCurl"))));
            edit->reject();
            QTRY_VERIFY(m_clipboard.size() >= 2);

            // An export, written as the curve panels write theirs.
            models::PanelExport panel;
            panel.panel = QStringLiteral("Loss");
            panel.xAxis = QStringLiteral("step");
            QVERIFY(models::writeFileAtomically(folder("data") + QStringLiteral("/loss.csv"),
                                                models::panelExportCsv(panel)));

            // A child process given the key (as a script started from the app would be),
            // killed with SIGKILL in the middle of its work.
            QProcess child;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("FIREWORKS_API_KEY"), kKey);
            env.insert(QStringLiteral("FIREWORKS_ACCOUNT_ID"), kAccount);
            child.setProcessEnvironment(env);
            child.setWorkingDirectory(folder("tmp"));
            child.setStandardOutputFile(folder("state") + QStringLiteral("/child.out"));
            child.setStandardErrorFile(folder("state") + QStringLiteral("/child.err"));
            child.start(QStringLiteral(FIREDECK_CRASHCHILD_EXE),
                        {QStringLiteral("session"), cloud.server().baseUrl().toString()});
            QVERIFY(child.waitForStarted());
            // Until it has made a few calls with the key (the server runs in this process).
            QTRY_VERIFY_WITH_TIMEOUT(
                QFileInfo(folder("state") + QStringLiteral("/child.out")).size() > 30, 20000);
            const qint64 pid = child.processId(); // 0 once it ended: kill(0) would hit us all
            QVERIFY2(pid > 0, "the child ended before it could be killed");
            ::kill(pid_t(pid), SIGKILL);
            QVERIFY(child.waitForFinished(10000));
        } // the app closes: settings and stores written
        s_log->flush();

        // The key, and its secret half alone, in no file and no clipboard text.
        const QList<QByteArray> needles = {kKey.toUtf8(), kKey.mid(kKey.size() / 2).toUtf8()};
        QStringList hits;
        int files = 0;
        QDirIterator it(m_root.path(), QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QByteArray bytes = f.readAll();
            for (const QByteArray &n : needles)
                if (bytes.contains(n))
                    hits << path;
        }
        for (const QString &text : std::as_const(m_clipboard))
            for (const QByteArray &n : needles)
                if (text.toUtf8().contains(n))
                    hits << QStringLiteral("clipboard: ") + text.left(200);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
        // The search looked at something: settings, the conversations and sandbox SQLite,
        // the log with HTTP lines, the export, the child's output, two clipboard texts.
        QVERIFY2(files >= 6, qPrintable(QString::number(files)));
        QVERIFY(QFile::exists(folder("config") + QStringLiteral("/Firedeck/firedeck.conf")));
        QFile log(folder("state") + QStringLiteral("/firedeck.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains(kAccount.toUtf8())); // the HTTP log was written
        QVERIFY(m_clipboard.join(u'\n').contains(QLatin1String("FIREWORKS_API_KEY")));
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(s_previous);
        delete s_log;
        s_log = nullptr;
    }
};

QTEST_MAIN(tst_Secrets)
#include "tst_secrets.moc"
