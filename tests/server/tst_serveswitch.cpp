// The Serve switch on the Local models page as a person uses it: turn it on with a model
// loaded, read the URL it shows, call it, open the request log and find the call there, turn
// it off; and a taken port, which leaves the switch off with the reason.

#include "common/loadoncpu.h"
#include "common/localmodelspagefixture.h"
#include "common/loopbackhttpserver.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"
#include "serverfixture.h"

#include <engine/host/enginehost.h>
#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <models/localserver.h>
#include <models/serverrequestlogmodel.h>
#include <ui/localmodelspage.h>
#include <ui/serverlogdialog.h>
#include <ui/settingspage.h>

#include <client/apiclient.h>
#include <client/networktransport.h>
#include <models/credentialstore.h>
#include <models/profilemanager.h>
#include <models/profilestore.h>

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QUrl>

class tst_ServeSwitch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void serve_showsUrl_answers_logsTheRequest();
    void serve_onATakenPort_staysOffWithTheReason();
    void serve_twoModels_namesThemAsModels();
    void settings_portNetworkAndKey_areWhatServeUses();
    void settings_savedWhileServing_keyAtOnce_portSaysTurnOffAndOn();

private:
    QCheckBox *serveSwitch() const
    {
        return m_local.page->findChild<QCheckBox *>(QStringLiteral("serve"));
    }
    QLabel *status() const
    {
        return m_local.page->findChild<QLabel *>(QStringLiteral("serverStatus"));
    }

    QTemporaryDir m_tmp;
    QString m_model;
    testing::LocalModelsPageFixture m_local;
};

void tst_ServeSwitch::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_serveswitch"));
    m_model = m_tmp.filePath(QStringLiteral("tiny-chat"));
    const QString error = testmodels::writeTinyChatModel(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_ServeSwitch::init()
{
    QVERIFY(m_local.open());
}

void tst_ServeSwitch::cleanup()
{
    m_local.close();
}

void tst_ServeSwitch::serve_showsUrl_answers_logsTheRequest()
{
    models::LocalServerSettings settings;
    settings.port = 0; // any free port (Settings itself offers 1024..65535)
    settings.save();
    const QString loaded = testing::loadOnCpu(*m_local.engine, m_model);
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));

    QVERIFY(!serveSwitch()->isChecked());
    QVERIFY(status()->text().startsWith(QStringLiteral("Off.")));
    QVERIFY(testing::click(serveSwitch()));
    QVERIFY(serveSwitch()->isChecked());
    const QString url = m_local.page->server()->url();
    QVERIFY(url.startsWith(QStringLiteral("http://127.0.0.1:")));
    QVERIFY2(status()->text().contains(url) &&
                 status()->text().contains(QStringLiteral("tiny-chat")),
             qPrintable(status()->text()));

    const quint16 port = quint16(QUrl(url).port());
    const servertest::HttpAnswer a = servertest::rawExchange(
        port,
        servertest::httpRequest(
            "POST", "/v1/chat/completions", port,
            R"({"model":"tiny-chat","messages":[{"role":"user","content":"hi"}],"max_tokens":3})"));
    QCOMPARE(a.status, 200);

    auto *logButton = m_local.page->findChild<QPushButton *>(QStringLiteral("serverLog"));
    QVERIFY(testing::click(logButton));
    auto *dialog = testing::waitForDialog<ui::ServerLogDialog>(m_local.page.get());
    QVERIFY(dialog);
    QAbstractItemModel *log = dialog->table()->model();
    QCOMPARE(log->rowCount(), 1);
    QCOMPARE(log->index(0, models::ServerRequestLogModel::RouteColumn).data().toString(),
             QStringLiteral("POST /v1/chat/completions"));
    QCOMPARE(log->index(0, models::ServerRequestLogModel::StatusColumn).data().toString(),
             QStringLiteral("200"));
    QCOMPARE(log->index(0, models::ServerRequestLogModel::ModelColumn).data().toString(),
             QStringLiteral("tiny-chat"));
    // At the size it asks for (the screen permitting) every column is in view: at 900 px the
    // last figures were cut and the table scrolled sideways.
    dialog->resize(dialog->sizeHint());
    QTRY_COMPARE(dialog->table()->horizontalScrollBar()->maximum(), 0);
    for (int column = 0; column < log->columnCount(); ++column)
        QVERIFY2(dialog->table()->columnWidth(column) >=
                     dialog->table()->horizontalHeader()->sectionSizeHint(column),
                 qPrintable(log->headerData(column, Qt::Horizontal).toString()));
    // Enter closes; it wiped the log when Clear had the focus and the default.
    QTest::keyClick(dialog, Qt::Key_Return);
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(log->rowCount(), 1);
    // Clear asks first; Cancel keeps the log, Clear empties it.
    dialog->open();
    auto *clear = dialog->findChild<QPushButton *>(QStringLiteral("clearLog"));
    QVERIFY(testing::click(clear));
    auto *confirm = testing::waitForDialog<QMessageBox>(dialog);
    QVERIFY(confirm);
    QCOMPARE(confirm->objectName(), QStringLiteral("confirmation"));
    QVERIFY(testing::click(confirm->button(QMessageBox::Cancel)));
    QCOMPARE(log->rowCount(), 1);
    QVERIFY(testing::click(clear));
    confirm = testing::waitForDialog<QMessageBox>(dialog);
    QVERIFY(confirm);
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    QTRY_COMPARE(log->rowCount(), 0);
    dialog->close();

    QVERIFY(testing::click(serveSwitch()));
    QVERIFY(!serveSwitch()->isChecked());
    QVERIFY(!m_local.page->server()->isRunning());
    QVERIFY(status()->text().startsWith(QStringLiteral("Off.")));
}

void tst_ServeSwitch::settings_savedWhileServing_keyAtOnce_portSaysTurnOffAndOn()
{
    models::LocalServerSettings settings;
    settings.port = 0; // any free port
    settings.save();
    QVERIFY(testing::click(serveSwitch()));
    const quint16 port = quint16(QUrl(m_local.page->server()->url()).port());
    const auto modelsStatus = [port](const QByteArray &header = {}) {
        return servertest::rawExchange(
                   port, servertest::httpRequest("GET", "/v1/models", port, {},
                                                 header.isEmpty() ? QList<QByteArray>{}
                                                                  : QList<QByteArray>{header}))
            .status;
    };
    QCOMPARE(modelsStatus(), 200);
    // A key set in Settings while serving: the server asked for none until Serve went off and
    // on, and nothing said so.
    settings.apiKey = QStringLiteral("sk-later");
    settings.save();
    QCOMPARE(modelsStatus(), 401);
    QCOMPARE(modelsStatus("Authorization: Bearer sk-later"), 200);
    QVERIFY2(status()->text().contains(QStringLiteral("API key required")),
             qPrintable(status()->text()));
    // A new port cannot be moved to under the clients' feet: the status says how.
    settings.port = 9557;
    settings.save();
    QVERIFY(m_local.page->server()->isRunning());
    QCOMPARE(quint16(QUrl(m_local.page->server()->url()).port()), port);
    QVERIFY2(status()->text().contains(QStringLiteral(
                 "Settings now say port 9557: turn Serve off and on to move there.")),
             qPrintable(status()->text()));
    // Off, the switch says the port it will use.
    QVERIFY(testing::click(serveSwitch()));
    QVERIFY2(status()->text().contains(QStringLiteral("port 9557")), qPrintable(status()->text()));
}

void tst_ServeSwitch::serve_twoModels_namesThemAsModels()
{
    models::LocalServerSettings settings;
    settings.port = 0; // any free port
    settings.save();
    const QString second = m_tmp.filePath(QStringLiteral("second-chat"));
    QString error = testmodels::writeTinyChatModel(second);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const QString &dir : {m_model, second}) {
        error = testing::loadOnCpu(*m_local.engine, dir);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    QVERIFY(testing::click(serveSwitch()));
    // "model tiny-chat, second-chat" read as one model of that name.
    QVERIFY2(status()->text().contains(QStringLiteral(" — models ")) &&
                 status()->text().contains(QStringLiteral("tiny-chat")) &&
                 status()->text().contains(QStringLiteral("second-chat")),
             qPrintable(status()->text()));
}

void tst_ServeSwitch::serve_onATakenPort_staysOffWithTheReason()
{
    const testing::LoopbackHttpServer squatter; // holds a loopback port
    models::LocalServerSettings settings;
    settings.port = squatter.port();
    settings.save();
    QVERIFY(testing::click(serveSwitch()));
    QVERIFY(!serveSwitch()->isChecked());
    QVERIFY(!m_local.page->server()->isRunning());
    QVERIFY2(status()->text().startsWith(QStringLiteral("Could not start the server")),
             qPrintable(status()->text()));
    // Another port chosen in Settings, as the message says: it no longer says the old one failed.
    settings.port = 9558;
    settings.save();
    QVERIFY2(status()->text().startsWith(QStringLiteral("Off.")) &&
                 status()->text().contains(QStringLiteral("port 9558")),
             qPrintable(status()->text()));
}

void tst_ServeSwitch::settings_portNetworkAndKey_areWhatServeUses()
{
    // The Settings page, with the profile machinery it needs and no profile active.
    QNetworkAccessManager network;
    client::NetworkTransport transport(&network);
    client::ApiClient api(client::ApiClientOptions{}, &transport);
    models::ProfileStore store{QHash<QString, QString>{}};
    models::CredentialStore credentials(QStringLiteral("firedeck-tst"));
    credentials.setKeychainEnabled(false);
    models::ProfileManager manager(&api, &transport, &store, &credentials, {});
    ui::SettingsPage settingsPage(&manager);
    settingsPage.show();
    QVERIFY(QTest::qWaitForWindowExposed(&settingsPage));

    auto *port = settingsPage.findChild<QSpinBox *>(QStringLiteral("serverPort"));
    auto *allowNetwork = settingsPage.findChild<QCheckBox *>(QStringLiteral("serverAllowNetwork"));
    auto *key = settingsPage.findChild<QLineEdit *>(QStringLiteral("serverApiKey"));
    QVERIFY(port && allowNetwork && key);
    QCOMPARE(port->value(), models::LocalServerSettings::defaultPort());
    QVERIFY(!allowNetwork->isChecked()); // loopback unless the user says otherwise
    port->setFocus();
    QTest::keyClick(port, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(port, QStringLiteral("9555"));
    QVERIFY(testing::click(allowNetwork));
    key->setFocus();
    QTest::keyClicks(key, QStringLiteral("sk-local-9"));
    QTest::keyClick(key, Qt::Key_Return);
    auto *origins = settingsPage.findChild<QLineEdit *>(QStringLiteral("serverOrigins"));
    QVERIFY(origins);
    origins->setFocus();
    QTest::keyClicks(origins, QStringLiteral("http://localhost:5173  http://127.0.0.1:3000"));
    QTest::keyClick(origins, Qt::Key_Return);
    const models::LocalServerSettings saved = models::LocalServerSettings::load();
    QCOMPARE(saved.port, 9555);
    QVERIFY(saved.allowNetwork);
    QCOMPARE(saved.apiKey, QStringLiteral("sk-local-9"));
    QCOMPARE(saved.allowedOrigins, QStringList({QStringLiteral("http://localhost:5173"),
                                                QStringLiteral("http://127.0.0.1:3000")}));

    // Serve reads them (on any free port here): every interface, with the warning, and the key.
    models::LocalServerSettings anyPort = saved;
    anyPort.port = 0;
    anyPort.save();
    QVERIFY(testing::click(serveSwitch()));
    QVERIFY(m_local.page->server()->isRunning());
    QVERIFY(m_local.page->server()->requiresApiKey());
    QVERIFY2(status()->text().contains(QStringLiteral("Warning:")) &&
                 status()->text().contains(QStringLiteral("API key required")),
             qPrintable(status()->text()));
    for (const QString &other : m_local.page->server()->networkUrls()) // this machine's addresses
        QVERIFY2(status()->text().contains(other), qPrintable(status()->text()));
    const quint16 served = quint16(QUrl(m_local.page->server()->url()).port());
    QCOMPARE(servertest::rawExchange(served, servertest::httpRequest("GET", "/v1/models", served))
                 .status,
             401);
    // A listed origin passes the origin check (and then needs the key like anyone); another is
    // refused outright.
    QCOMPARE(
        servertest::rawExchange(served, servertest::httpRequest("GET", "/v1/models", served, {},
                                                                {"Origin: http://localhost:5173"}))
            .status,
        401);
    QCOMPARE(
        servertest::rawExchange(served, servertest::httpRequest("GET", "/v1/models", served, {},
                                                                {"Origin: http://evil.example"}))
            .status,
        403);
}

QTEST_MAIN(tst_ServeSwitch)
#include "tst_serveswitch.moc"
