// API keys page against a strict sandbox (only its bootstrap key and keys it created work):
// create a key through the dialogs, check the key shown once authenticates, delete it.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <models/apikeylistmodel.h>
#include <ui/apikeycreateddialog.h>
#include <ui/apikeydialog.h>
#include <ui/apikeyspage.h>
#include <ui/commandequivalents.h>

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QWheelEvent>

using namespace testing;

class tst_ApiKeysPage : public QObject
{
    Q_OBJECT

private:
    //! The service account "ci-bot", listed before the person "local-user" (by ID).
    static bool addServiceAccount(SandboxFixture &sb)
    {
        client::User bot;
        bot.displayName = QStringLiteral("CI bot");
        bot.role = QStringLiteral("user");
        bot.serviceAccount = true;
        return await(sb.api().users().create(QStringLiteral("ci-bot"), bot)).ok();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void createKey_showsItOnceAndItAuthenticates_thenDelete()
    {
        SandboxFixture sb(200, /*acceptAnyKey=*/false);
        ui::ApiKeysPage page(&sb.api());
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1200, 700);
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        QVERIFY(page.userSelector()->count() >= 1);
        QCOMPARE(page.userSelector()->currentIndex(), 0);
        QCOMPARE(page.model()->userId(), page.userSelector()->currentData().toString());
        const int before = page.model()->rowCount();

        page.newItem();
        auto *dialog = waitForDialog<ui::ApiKeyDialog>(&page);
        QVERIFY(dialog);
        // Whose key, in the User box's words: it said only "For user local-user".
        const QString user = dialog->findChild<QLabel *>(QStringLiteral("apiKeyUser"))->text();
        QVERIFY2(user.contains(page.userSelector()->currentText()) &&
                     user.contains(page.model()->userId()),
                 qPrintable(user));
        QVERIFY(!clickButton(dialog, QDialogButtonBox::Ok)); // no name yet
        dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyName"))
            ->setText(QStringLiteral("CI bot"));
        dialog->findChild<QCheckBox *>(QStringLiteral("apiKeyExpires"))->setChecked(true);
        const QString firectl = dialog->firectlCommand();
        QVERIFY2(firectl.startsWith(QStringLiteral("firectl create api-key --key-name='CI bot' "
                                                   "--expire-time=")),
                 qPrintable(firectl));
        const QString curl = dialog->curlCommand();
        QVERIFY2(curl.contains(QStringLiteral("/apiKeys")), qPrintable(curl));
        QVERIFY(!curl.contains(QStringLiteral("fw_local_sandbox_key")));
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));

        auto *shown = waitForDialog<ui::ApiKeyCreatedDialog>(&page, 20000);
        QVERIFY(shown);
        const QString key = shown->key();
        QVERIFY(!key.isEmpty());
        QVERIFY(shown->findChild<QLabel *>(QStringLiteral("apiKeyWarning"))
                    ->text()
                    .contains(QStringLiteral("cannot be shown again")));
        QVERIFY(click(shown->findChild<QPushButton *>(QStringLiteral("copyKey"))));
        QTRY_COMPARE(page.model()->rowCount(), before + 1);
        const QString keyId = page.selectedName();
        QVERIFY(!keyId.isEmpty());
        // The list never holds the plaintext.
        for (const client::ApiKey &k : page.model()->items())
            QVERIFY(k.key.isEmpty());

        // The key shown once works against the strict sandbox; a made-up one does not.
        client::ApiClientOptions o;
        o.baseUrl = sb.server().baseUrl();
        o.accountId = sb.api().accountId();
        o.apiKey = key;
        client::NetworkTransport transport(&sb.network());
        client::ApiClient withNewKey(o, &transport);
        FD_VERIFY_OK(await(withNewKey.accounts().get(o.accountId)));
        o.apiKey = QStringLiteral("fw_made_up");
        client::ApiClient withWrongKey(o, &transport);
        auto refused = await(withWrongKey.accounts().get(o.accountId));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, client::ApiError::Kind::Unauthorized);
        shown->reject();

        page.deleteSelected();
        auto *confirm = waitForDialog<QMessageBox>(&page);
        QVERIFY(confirm);
        QCOMPARE(confirm->objectName(), QStringLiteral("confirmation"));
        QVERIFY(click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), before, 20000);
        QCOMPARE(page.model()->rowOfName(keyId), -1);
        auto listed = await(sb.api().apiKeys().list(page.model()->userId()));
        FD_VERIFY_OK(listed);
        for (const client::ApiKey &k : listed.value().items)
            QVERIFY(k.keyId != keyId);
        // A deleted key no longer authenticates.
        auto afterDelete = await(withNewKey.accounts().get(o.accountId));
        QVERIFY(!afterDelete.ok());
    }

    //! A key without an expiry never expires (the platform's rule): the list says "Never"
    //! rather than leave the cell empty, and sorts such keys after every date; a key past its
    //! expiry says "Expired …".
    //! "firectl create api-key: Creates an API key for the signed in user or a specified
    //! service account user" (the docs): for a service account chosen in the User box the
    //! copied command names it (--service-account); for anyone else it says firectl makes the
    //! key for whoever is signed in. It made a key for whoever ran it, without a word.
    void firectlCommand_namesAServiceAccount()
    {
        SandboxFixture sb(200);
        QVERIFY(addServiceAccount(sb));
        ui::ApiKeysPage page(&sb.api());
        page.resize(1200, 700);
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        QComboBox *users = page.userSelector();
        const int botRow = users->findData(QStringLiteral("ci-bot"));
        const int personRow = users->findData(QStringLiteral("local-user"));
        QVERIFY(botRow >= 0 && personRow >= 0);
        for (int row : {botRow, personRow}) {
            users->setFocus();
            users->setCurrentIndex(row);
            Q_EMIT users->activated(row);
            page.newItem();
            auto *dialog = waitForDialog<ui::ApiKeyDialog>(&page);
            QVERIFY(dialog);
            dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyName"))
                ->setText(QStringLiteral("deploys"));
            const QString firectl = dialog->firectlCommand();
            auto *copy = dialog->findChild<QAbstractButton *>(QStringLiteral("copyFirectl"));
            QVERIFY(copy);
            if (row == botRow) {
                QCOMPARE(firectl, QStringLiteral("firectl create api-key --key-name=deploys "
                                                 "--service-account=ci-bot"));
            } else {
                QCOMPARE(firectl, QStringLiteral("firectl create api-key --key-name=deploys"));
                QVERIFY2(copy->toolTip().contains(QStringLiteral("signed in as")),
                         qPrintable(copy->toolTip()));
            }
            dialog->reject();
            QTRY_VERIFY(!dialog->isVisible());
        }
    }

    //! A wheel passing over the toolbar switched the user (and reloaded the keys) at each
    //! notch, as the status bar's profile box did; a pick in the open list switches.
    void userBox_wheelDoesNotSwitch_aPickInTheListDoes()
    {
        SandboxFixture sb(200);
        QVERIFY(addServiceAccount(sb));
        ui::ApiKeysPage page(&sb.api());
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        QComboBox *users = page.userSelector();
        QCOMPARE(users->count(), 2);
        const int start = users->currentIndex();
        const QString first = page.model()->userId();
        const QPointF centre = QRectF(users->rect()).center();
        for (int notch = 0; notch < 3; ++notch) {
            QWheelEvent wheel(centre, users->mapToGlobal(centre), QPoint(), QPoint(0, -120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(users, &wheel);
        }
        QCOMPARE(users->currentIndex(), start);
        QCOMPARE(page.model()->userId(), first);

        QApplication::setActiveWindow(&page);
        users->setFocus();
        QTest::keyClick(users, Qt::Key_Down);
        QCOMPARE(users->currentIndex(), start);
        QTRY_VERIFY(users->view()->isVisible()); // the list to choose from
        QTest::keyClick(users->view(), start == 0 ? Qt::Key_Down : Qt::Key_Up);
        QTest::keyClick(users->view(), Qt::Key_Return);
        QTRY_COMPARE(users->currentIndex(), 1 - start);
        QCOMPARE(page.model()->userId(), users->itemData(1 - start).toString());
    }

    //! The list is by ID, so a service account ("ci-bot") came before the person
    //! ("local-user") and the page opened on the bot's keys, every time. It opens on the person,
    //! and after a pick on the user picked last, in a page made later (the next start).
    void userBox_startsOnAPerson_thenOnTheLastPick()
    {
        QSettings().clear();
        SandboxFixture sb(200);
        QVERIFY(addServiceAccount(sb));
        {
            ui::ApiKeysPage page(&sb.api());
            page.reload();
            QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
            QComboBox *users = page.userSelector();
            QCOMPARE(users->itemData(0).toString(), QStringLiteral("ci-bot")); // first by ID
            QCOMPARE(page.model()->userId(), QStringLiteral("local-user"));
            QCOMPARE(users->currentData().toString(), QStringLiteral("local-user"));
            const int botRow = users->findData(QStringLiteral("ci-bot"));
            users->setCurrentIndex(botRow);
            Q_EMIT users->activated(botRow);
        }
        ui::ApiKeysPage later(&sb.api());
        later.reload();
        QTRY_VERIFY_WITH_TIMEOUT(later.isLoaded(), 20000);
        QCOMPARE(later.model()->userId(), QStringLiteral("ci-bot"));
        QCOMPARE(later.userSelector()->currentData().toString(), QStringLiteral("ci-bot"));
    }

    void keyExpiry_readsNeverOrExpired()
    {
        SandboxFixture sb(200);
        const QString user = QStringLiteral("local-user");
        FD_VERIFY_OK(await(sb.api().apiKeys().create(user, QStringLiteral("forever"))));
        FD_VERIFY_OK(await(sb.api().apiKeys().create(user, QStringLiteral("for a while"),
                                                     QDateTime::currentDateTimeUtc().addDays(30))));
        FD_VERIFY_OK(await(sb.api().apiKeys().create(user, QStringLiteral("over"),
                                                     QDateTime::currentDateTimeUtc().addDays(-2))));
        ui::ApiKeysPage page(&sb.api());
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        QCOMPARE(page.model()->rowCount(), 3);
        int forever = -1;
        int dated = -1;
        int over = -1;
        for (int row = 0; row < 3; ++row) {
            const QString name = page.model()->item(row).displayName;
            (name == QStringLiteral("forever") ? forever
             : name == QStringLiteral("over")  ? over
                                               : dated) = row;
        }
        // A key past its expiry says it expired, not just a date.
        const QString expired =
            page.model()->index(over, models::ApiKeyListModel::ExpiresColumn).data().toString();
        QVERIFY2(expired.startsWith(QStringLiteral("Expired ")), qPrintable(expired));
        const QModelIndex never =
            page.model()->index(forever, models::ApiKeyListModel::ExpiresColumn);
        QCOMPARE(never.data().toString(), QStringLiteral("Never"));
        const QModelIndex date = page.model()->index(dated, models::ApiKeyListModel::ExpiresColumn);
        QVERIFY(date.data().toDateTime().isValid());
        QVERIFY(never.data(models::ResourceListModel::SortRole).toLongLong() >
                date.data(models::ResourceListModel::SortRole).toLongLong());
    }

    //! Deleting the key this profile signs in with locks Firedeck itself out: the question
    //! says so, and only for that key.
    void deletingTheKeyInUse_saysFiredeckUsesIt()
    {
        SandboxFixture sb(200);
        const QString user = QStringLiteral("local-user");
        auto inUse = await(sb.api().apiKeys().create(user, QStringLiteral("this app")));
        FD_VERIFY_OK(inUse);
        FD_VERIFY_OK(await(sb.api().apiKeys().create(user, QStringLiteral("other"))));
        sb.api().setApiKey(inUse.value().key);
        ui::ApiKeysPage page(&sb.api());
        page.resize(1200, 700);
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        const auto consequenceOfDeleting = [&](const QString &keyId) {
            const int row = viewRowOf(page.view(), models::ResourceListModel::NameRole, keyId);
            if (!clickRow(page.view(), row))
                return QStringLiteral("(row not shown)");
            page.deleteSelected();
            auto *confirm = waitForDialog<QMessageBox>(&page);
            if (!confirm)
                return QStringLiteral("(no question)");
            const QString text = confirm->informativeText();
            confirm->reject();
            return text;
        };
        const QString own = consequenceOfDeleting(inUse.value().keyId);
        QVERIFY2(
            own.startsWith(
                QStringLiteral("Firedeck uses this key (prefix %1)").arg(inUse.value().prefix)),
            qPrintable(own));
        for (const client::ApiKey &k : page.model()->items())
            if (k.keyId != inUse.value().keyId) {
                const QString other = consequenceOfDeleting(k.keyId);
                QCOMPARE(other, QStringLiteral("Programs that use it stop working. This "
                                               "cannot be undone."));
            }
    }

    //! A display name hundreds of characters long (the platform sets no limit) is shortened in
    //! the middle where a sentence names it: the "created" window and the delete question stay
    //! on a screen, and the created window still says "was created".
    void longDisplayName_windowsStayOnTheScreen()
    {
        SandboxFixture sb(200);
        const QString longName = QString(300, QLatin1Char('x'));
        auto created = await(sb.api().apiKeys().create(QStringLiteral("local-user"), longName));
        FD_VERIFY_OK(created);
        ui::ApiKeysPage page(&sb.api());
        page.resize(1200, 700);
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);

        auto *shown = new ui::ApiKeyCreatedDialog(created.value(), &page);
        shown->show();
        QVERIFY(QTest::qWaitForWindowExposed(shown));
        QLabel *title = nullptr;
        for (QLabel *label : shown->findChildren<QLabel *>())
            if (label->text().endsWith(QStringLiteral("was created.")))
                title = label;
        QVERIFY(title);
        QVERIFY2(shown->width() <= 800, qPrintable(QString::number(shown->width())));
        QVERIFY2(title->sizeHint().width() <= title->width(),
                 qPrintable(
                     QStringLiteral("%1 > %2").arg(title->sizeHint().width()).arg(title->width())));
        QCOMPARE(title->toolTip(), longName);
        QApplication::clipboard()->setText(created.value().key); // closes without asking
        shown->reject();

        QVERIFY(clickRow(page.view(), 0));
        page.deleteSelected();
        auto *confirm = waitForDialog<QMessageBox>(&page);
        QVERIFY(confirm);
        QVERIFY2(confirm->sizeHint().width() <= 800,
                 qPrintable(QString::number(confirm->sizeHint().width())));
        QVERIFY(confirm->text().endsWith(QStringLiteral("(%1)?").arg(created.value().keyId)));
        confirm->reject();
    }

    //! Creating a key says so above the list, as every other page's New does.
    void createKey_saysCreatedAboveTheList()
    {
        SandboxFixture sb(200);
        ui::ApiKeysPage page(&sb.api());
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        page.newItem();
        auto *dialog = waitForDialog<ui::ApiKeyDialog>(&page);
        QVERIFY(dialog);
        dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyName"))
            ->setText(QStringLiteral("deploy bot"));
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        auto *shown = waitForDialog<ui::ApiKeyCreatedDialog>(&page, 20000);
        QVERIFY(shown);
        auto *status = page.findChild<QLabel *>(QStringLiteral("actionStatus"));
        QVERIFY(status);
        QVERIFY2(status->text().startsWith(QStringLiteral("Created the API key deploy bot (")),
                 qPrintable(status->text()));
        QApplication::clipboard()->setText(shown->key());
        shown->reject();
    }

    //! A problem shown under the fields makes room for itself; put right, the dialog is as
    //! high as before, with no blank band where the message was.
    void dialogError_putRight_givesBackItsHeight()
    {
        SandboxFixture sb(200);
        ui::ApiKeyDialog dialog(&sb.api(), QStringLiteral("local-user"));
        dialog.setAttribute(Qt::WA_DeleteOnClose, false);
        dialog.findChild<QLineEdit *>(QStringLiteral("apiKeyName"))
            ->setText(QStringLiteral("deploy bot"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const int height = dialog.height();
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("apiKeyError"));
        auto *expireTime = dialog.findChild<QDateTimeEdit *>(QStringLiteral("apiKeyExpireTime"));
        dialog.findChild<QCheckBox *>(QStringLiteral("apiKeyExpires"))->setChecked(true);
        for (int round = 0; round < 2; ++round) {
            expireTime->setDateTime(QDateTime::currentDateTime().addDays(-1));
            QVERIFY(error->isVisible());
            QVERIFY2(dialog.height() > height, "no room was made for the error");
            expireTime->setDateTime(QDateTime::currentDateTime().addDays(30));
            QVERIFY(!error->isVisible());
            QCOMPARE(dialog.height(), height);
        }
    }

    void createKey_serverErrorKeepsDialogOpenWithInput()
    {
        SandboxFixture sb(200);
        ui::ApiKeysPage page(&sb.api());
        page.show();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        sb.addFault(QByteArrayLiteral(
            R"({"path": "apiKeys$", "method": "POST", "kind": "status", "status": 500, "count": 5})"));
        page.newItem();
        auto *dialog = waitForDialog<ui::ApiKeyDialog>(&page);
        QVERIFY(dialog);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyName"));
        name->setText(QStringLiteral("will fail"));
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("apiKeyError"));
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible() && !error->text().isEmpty(), 20000);
        QVERIFY(dialog->isVisible());
        QCOMPARE(name->text(), QStringLiteral("will fail"));
        dialog->reject();
    }

    //! The key is shown once: Escape (or Close) before it was copied asks first, with Cancel
    //! the default, so one key press too many does not lose it. Copied, it closes at once.
    void createdKey_closingBeforeCopying_asksFirst()
    {
        QApplication::clipboard()->setText(QStringLiteral("something else"));
        client::ApiKey key;
        key.keyId = QStringLiteral("k1");
        key.displayName = QStringLiteral("CI bot");
        key.key = QStringLiteral("fw_FAKE-test-key-not-real-12345");
        QWidget parent;
        parent.show();
        auto *shown = new ui::ApiKeyCreatedDialog(key, &parent);
        QPointer<ui::ApiKeyCreatedDialog> alive(shown);
        shown->open();
        QVERIFY(QTest::qWaitForWindowExposed(shown));
        QTest::keyClick(shown->findChild<QLineEdit *>(QStringLiteral("createdKey")),
                        Qt::Key_Escape);
        QVERIFY2(shown->isVisible(), "closed without asking, the key lost");
        auto *confirm = waitForDialog<QMessageBox>(shown);
        QVERIFY(confirm);
        QVERIFY(confirm->informativeText().contains(QStringLiteral("cannot be shown again")));
        QTest::keyClick(confirm, Qt::Key_Return); // Cancel is the default: the key stays
        QTRY_VERIFY(!confirm->isVisible());
        QVERIFY(shown->isVisible());
        QCOMPARE(shown->key(), key.key);

        QVERIFY(click(shown->findChild<QPushButton *>(QStringLiteral("copyKey"))));
        QCOMPARE(QApplication::clipboard()->text(), key.key);
        QTest::keyClick(shown->findChild<QLineEdit *>(QStringLiteral("createdKey")),
                        Qt::Key_Escape);
        QTRY_VERIFY(alive.isNull()); // closed without asking, and deleted with the key
    }
};

QTEST_MAIN(tst_ApiKeysPage)
#include "tst_apikeyspage.moc"
