// The first minutes of a new user: the whole app, built as main() builds it, started on
// empty config and data folders (XDG_CONFIG_HOME and XDG_DATA_HOME point at new temporary
// folders), driven only by keyboard and mouse events.

#include "firedeckapp.h"

#include "common/loadoncpu.h"
#include "common/newuserfolders.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <client/loggingtransport.h>
#include <ui/mainwindow.h>
#include <ui/page.h>
#include <widgets/errorbanner.h>

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QDialog>
#include <QLineEdit>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace testing;

class FirstRunTest : public QObject
{
    Q_OBJECT

private:
    testing::NewUserFolders m_folders;
    QList<QUrl> m_sent;

    //! Every error banner of the window that a user can see.
    static QStringList visibleBanners(QWidget *window)
    {
        QStringList shown;
        for (widgets::ErrorBanner *b : window->findChildren<widgets::ErrorBanner *>())
            if (b->isVisible())
                shown << b->objectName();
        return shown;
    }

    static bool allLoaded(ui::MainWindow *window)
    {
        for (ui::Page *p : window->pages())
            if (!p->isLoaded())
                return false;
        return true;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_folders.install()); }

    void init()
    {
        // A request that would go out before the profile is ready is refused with this line.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("refused a request")));
    }

    void firstStart_localProfileConnectsWithoutErrorsOrKeychain()
    {
        const QString dataDir = m_folders.localSandboxDir();
        FiredeckApp app(dataDir);
        connect(app.api()->logging(), &client::LoggingTransport::requestSent, this,
                [this](const QByteArray &, const QUrl &url) { m_sent.append(url); });
        ui::MainWindow *window = app.window();
        window->restoreLayout();
        app.activate(QStringLiteral("Local"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));

        const auto *connection = window->findChild<QLabel *>(QStringLiteral("statusConnection"));
        QVERIFY(connection);
        QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(allLoaded(window), 20000);
        QVERIFY2(connection->text().contains(QLatin1String("connected")),
                 qPrintable(connection->text()));

        // Nothing went out with an empty base URL or account.
        QVERIFY(!m_sent.isEmpty());
        for (const QUrl &url : std::as_const(m_sent)) {
            QVERIFY2(!url.host().isEmpty(), qPrintable(url.toString()));
            QVERIFY2(!url.path().contains(QLatin1String("/accounts//")),
                     qPrintable(url.toString()));
        }
        // The Local profile needs no key: the keychain was not touched (no keyring prompt).
        QCOMPARE(app.credentials()->keychainJobs(), 0);
        QCOMPARE(window->lastError(), QString());
        QCOMPARE(visibleBanners(window), QStringList());
        // Nothing loaded, nothing served: the local engine's word in the status bar is not there.
        auto *engineStatus = window->findChild<QToolButton *>(QStringLiteral("localEngineStatus"));
        QVERIFY(engineStatus);
        QVERIFY(engineStatus->isHidden());

        // Every page, reached as a user reaches it (Ctrl+1..N), loads without an error, and
        // F5 keeps the indicator green.
        const auto pages = window->pages();
        for (int i = 0; i < pages.size() && i < 9; ++i) {
            QTest::keyClick(window, Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QTRY_COMPARE(window->currentPage(), pages[i]);
            QTest::keyClick(window, Qt::Key_F5);
            QTRY_VERIFY_WITH_TIMEOUT(pages[i]->isLoaded(), 20000);
            QCOMPARE(visibleBanners(window), QStringList());
        }
        QCOMPARE(window->lastError(), QString());
        QCOMPARE(app.manager()->connection(), models::ProfileManager::Connection::Connected);
        QCOMPARE(app.credentials()->keychainJobs(), 0);
    }

    //! Every quick action of the Overview exists in the real app and lands on its page (a
    //! misspelt page id once hid the Local models button).
    void overviewQuickActions_eachOneOpensItsPage()
    {
        const QString dataDir = m_folders.localSandboxDir();
        FiredeckApp app(dataDir);
        ui::MainWindow *window = app.window();
        app.activate(QStringLiteral("Local"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        ui::Page *overview = window->page(QStringLiteral("overview"));
        QVERIFY(overview);
        const QStringList expected = {
            QStringLiteral("models"), QStringLiteral("datasets"),   QStringLiteral("deployments"),
            QStringLiteral("jobs"),   QStringLiteral("playground"), QStringLiteral("local-models")};
        for (const QString &pageId : expected) {
            QVERIFY2(window->page(pageId), qPrintable(pageId));
            QVERIFY(window->showPage(QStringLiteral("overview")));
            auto *button =
                overview->findChild<QPushButton *>(QStringLiteral("quickAction_") + pageId);
            QVERIFY2(button, qPrintable(pageId));
            QVERIFY(button->toolTip().contains(window->page(pageId)->title()));
            QVERIFY(testing::click(button));
            QTRY_COMPARE(window->currentPage(), window->page(pageId));
            // "New …" actions open a dialog on that page; close it as a user would.
            if (QWidget *modal = QApplication::activeModalWidget())
                modal->close();
        }
    }

    //! A model loaded (here as from the command line) is named in the status bar on every page;
    //! a click there opens the Local models page.
    void loadedModel_namedInTheStatusBar_clickOpensLocalModels()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("qwen3-random"));
        QCOMPARE(testmodels::writeQwen3Chat(dir), QString());
        FiredeckApp app(m_folders.localSandboxDir());
        ui::MainWindow *window = app.window();
        app.activate(QStringLiteral("Local"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY(window->showPage(QStringLiteral("datasets")));
        const QString loaded = testing::loadOnCpu(*app.localEngine(), dir);
        QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
        auto *engineStatus = window->findChild<QToolButton *>(QStringLiteral("localEngineStatus"));
        QVERIFY(engineStatus);
        QTRY_VERIFY(engineStatus->isVisible());
        QCOMPARE(engineStatus->text(), QStringLiteral("Local: qwen3-random on CPU"));
        QVERIFY(testing::click(engineStatus));
        QTRY_COMPARE(window->currentPage(), window->page(QStringLiteral("local-models")));
    }

    //! A profile added with a wrong port, then back to Local: the first profile's requests,
    //! still retrying, fail after the switch, and the status bar said "A request to <Local's
    //! address> (profile Local) failed: Connection refused". It names their own server.
    void backToLocal_lateFailuresOfTheProfileBefore_nameTheirOwnServer()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QUrl nowhere(QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort()));
        closed.close(); // nothing listens there: every request is refused
        FiredeckApp app(m_folders.localSandboxDir());
        ui::MainWindow *window = app.window();
        models::Profile down;
        down.name = QStringLiteral("Wrong port");
        down.accountId = QStringLiteral("acme");
        down.baseUrl = nowhere;
        QString error;
        QVERIFY2(app.profiles()->save(down, {}, &error), qPrintable(error));
        bool stored = false;
        app.credentials()->write(down.name, QStringLiteral("fw_wrong_port_key_0123456789"), this,
                                 [&stored](bool) { stored = true; });
        QTRY_VERIFY(stored);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        app.activate(down.name);
        QTRY_COMPARE(app.manager()->active().name, down.name);
        QTRY_VERIFY_WITH_TIMEOUT(!window->lastError().isEmpty(), 20000);
        QVERIFY2(window->lastError().contains(nowhere.authority() + QStringLiteral(" (profile ") +
                                              down.name),
                 qPrintable(window->lastError()));
        // The state beside the profile's box says what is wrong; its tooltip what to do.
        auto *connection = window->findChild<QLabel *>(QStringLiteral("statusConnection"));
        QTRY_VERIFY2_WITH_TIMEOUT(connection->text().contains(QStringLiteral("server unreachable")),
                                  qPrintable(connection->text()), 20000);
        QVERIFY2(connection->toolTip().contains(down.name) &&
                     connection->toolTip().contains(QStringLiteral("could not be reached")),
                 qPrintable(connection->toolTip()));
        // The other pages' requests are still retrying (with backoff) when Local is chosen.
        app.activate(QStringLiteral("Local"));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.api()->logging()->requestsInFlight(), 0, 60000);
        const QString shown = window->lastError();
        QVERIFY2(!shown.contains(app.api()->baseUrl().authority()) &&
                     !shown.contains(QStringLiteral("profile Local")),
                 qPrintable(shown));
    }

    //! F1 lists the keys of the whole window, read from what answers them: the menus', each
    //! page's toolbar actions, the Playground's Send and Stop; the filter narrows it.
    void f1_listsEveryShortcut_menusFirst_thenThePages()
    {
        FiredeckApp app(m_folders.localSandboxDir());
        ui::MainWindow *window = app.window();
        app.activate(QStringLiteral("Local"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTest::keyClick(window, Qt::Key_F1);
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<QDialog *>(QStringLiteral("shortcutsDialog"))));
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
        QVERIFY(table);
        QStringList rows;
        for (int r = 0; r < table->rowCount(); ++r)
            rows << table->item(r, 0)->text() + u'|' + table->item(r, 1)->text() + u'|' +
                        table->item(r, 2)->text();
        const QString keys = rows.join(u'\n');
        for (const QString &expected :
             {QStringLiteral("File|New…|Ctrl+N"), QStringLiteral("Edit|Delete…|Del"),
              QStringLiteral("Go|Settings|Ctrl+,"), QStringLiteral("Help|Keyboard shortcuts|F1"),
              QStringLiteral("Models|Deploy…|Ctrl+Shift+D"),
              QStringLiteral("Datasets|Dataset wizard…|Ctrl+Shift+W"),
              QStringLiteral("Playground|Send the message|Ctrl+Return"),
              QStringLiteral("Playground|Stop the reply|Esc"),
              QStringLiteral("Fine-tuning|Back to the list of jobs (a job open)|Esc")})
            QVERIFY2(rows.contains(expected), qPrintable(expected + u'\n' + keys));
        QVERIFY(rows.indexOf(QStringLiteral("File|New…|Ctrl+N")) <
                rows.indexOf(QStringLiteral("Models|Deploy…|Ctrl+Shift+D")));
        QVERIFY(rows.indexOf(QStringLiteral("Models|Deploy…|Ctrl+Shift+D")) <
                rows.indexOf(QStringLiteral("Playground|Send the message|Ctrl+Return")));
        auto *filter = dialog->findChild<QLineEdit *>(QStringLiteral("shortcutsFilter"));
        QTest::keyClicks(filter, QStringLiteral("esc"));
        int shown = 0;
        for (int r = 0; r < table->rowCount(); ++r)
            shown += table->isRowHidden(r) ? 0 : 1;
        QCOMPARE(shown, 2); // Stop the reply, Back to the list of jobs
        dialog->close();
    }

    void unreachableThenAnswered_indicatorFollowsTheLatestRequests()
    {
        const QString dataDir = m_folders.localSandboxDir();
        FiredeckApp app(dataDir);
        ui::MainWindow *window = app.window();
        app.activate(QStringLiteral("Local"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        // A network failure turns the indicator red; the next answer turns it green again,
        // without a profile switch.
        Q_EMIT app.api()->logging()->requestFailed(
            client::ApiError::make(client::ApiError::Kind::Network, QStringLiteral("reset")),
            false);
        QCOMPARE(app.manager()->connection(), models::ProfileManager::Connection::Unreachable);
        QTest::keyClick(window, Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
    }
};

QTEST_MAIN(FirstRunTest)
#include "tst_firstrun.moc"
