// What every resource page must do for a person with a mouse (issue 10): a click selects a
// row and fills the detail pane; the pane never shows a row that is no longer selected;
// destructive actions confirm with Cancel as the default; status lines do not outlive their
// operation. The other themes are in tst_resourcepages{keyboard,icons,fit,reload}.cpp.
// Everything is done through mouse and key events on the real sandbox over loopback.

#include "resourcepagetesthelpers.h"

#include "common/uitesthelpers.h"

#include <ui/apikeyspage.h>

#include <client/accounts.h>
#include <client/deployments.h>
#include <models/apikeylistmodel.h>

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableView>
#include <QPointer>
#include <QPushButton>
#include <QTest>

using namespace testing;

class tst_ResourcePages : public QObject
{
    Q_OBJECT

    //! Finding 1: a click selects the row, fills the pane and enables Delete; finding 4: a
    //! click on empty space, a filter that matches nothing and a reload leave nothing
    //! selected, with the actions disabled.
    template <typename Page> void mouseSelection(const QString &id)
    {
        PageFixture<Page> t;
        const QString name = seed<Page>(t.sb.api(), id);
        QVERIFY(!name.isEmpty());
        t.page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        QAction *remove = action(&t.page, "Delete");
        QVERIFY(remove);
        QCOMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());

        QVERIFY(t.select(name)); // a mouse click on the row
        QCOMPARE(detailTitle(&t.page), name);
        QVERIFY(remove->isEnabled());
        QVERIFY(t.page.template findChild<QPushButton *>(QStringLiteral("copyName"))->isEnabled());

        QVERIFY(clickEmptySpace(t.page.view()));
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());

        QVERIFY(t.select(name));
        auto *filter = t.page.template findChild<QLineEdit *>(QStringLiteral("filter"));
        filter->setFocus();
        QTest::keyClicks(filter, QStringLiteral("matches-nothing-at-all"));
        QTest::keyClick(filter, Qt::Key_Return);
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());
        filter->clear();
        QTest::keyClick(filter, Qt::Key_Return);

        QVERIFY(t.select(name));
        t.page.reload(); // what a profile switch does to every page
        QCOMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());
    }

    //! Finding 11: the confirmation names the resource for people, Cancel is the default, and
    //! Enter cancels.
    template <typename Page> void deleteConfirmation(const QString &id, const QString &shownName)
    {
        PageFixture<Page> t;
        const QString name = seed<Page>(t.sb.api(), id);
        QVERIFY(!name.isEmpty());
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY2(box->text().contains(shownName), qPrintable(box->text()));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QTest::keyClick(box, Qt::Key_Return);
        QTRY_VERIFY(!box->isVisible());
        QTest::qWait(200);
        QVERIFY(t.page.model()->rowOfName(name) >= 0); // Enter did not delete

        QVERIFY(clickAction(action(&t.page, "Delete")));
        box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY(click(box->template findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QTRY_COMPARE_WITH_TIMEOUT(t.page.model()->rowOfName(name), -1, 20000);
        // Finding 9: the result line goes when the page is left.
        auto *status = t.page.template findChild<QLabel *>(QStringLiteral("actionStatus"));
        QTRY_VERIFY(status->isVisible());
        t.page.hide();
        t.page.show();
        QVERIFY(!status->isVisible());
    }

private Q_SLOTS:
    void mouseSelection_models() { mouseSelection<ui::ModelsPage>(QStringLiteral("clicked")); }

    void mouseSelection_datasets() { mouseSelection<ui::DatasetsPage>(QStringLiteral("clicked")); }

    void mouseSelection_deployments()
    {
        mouseSelection<ui::DeploymentsPage>(QStringLiteral("clicked"));
    }

    void mouseSelection_secrets() { mouseSelection<ui::SecretsPage>(QStringLiteral("clicked")); }

    void mouseSelection_apiKeys()
    {
        PageFixture<ui::ApiKeysPage> t;
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        auto created = await(
            t.sb.api().apiKeys().create(t.page.model()->userId(), QStringLiteral("Clicked key")));
        FD_VERIFY_OK(created);
        t.page.reload();
        QVERIFY(t.select(created.value().keyId));
        QCOMPARE(detailTitle(&t.page), created.value().keyId);
        QVERIFY(action(&t.page, "Delete")->isEnabled());
        QVERIFY(clickEmptySpace(t.page.view()));
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!action(&t.page, "Delete")->isEnabled());

        // Finding 11 for keys: named by display name, Cancel the default.
        QVERIFY(t.select(created.value().keyId));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("Clicked key")), qPrintable(box->text()));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QVERIFY(click(box->button(QMessageBox::Cancel)));
    }

    void deploymentsShowDeleted_clearsTheSelection()
    {
        PageFixture<ui::DeploymentsPage> t;
        const QString name = seed<ui::DeploymentsPage>(t.sb.api(), QStringLiteral("stale"));
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(action(&t.page, "Delete")->isEnabled());
        QVERIFY(click(t.page.findChild<QCheckBox *>(QStringLiteral("showDeleted"))));
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!action(&t.page, "Delete")->isEnabled());
        QVERIFY(!action(&t.page, "Scale")->isEnabled());
    }

    void deploymentDelete_enterCancels()
    {
        PageFixture<ui::DeploymentsPage> t;
        const QString name = seed<ui::DeploymentsPage>(t.sb.api(), QStringLiteral("keep-me"));
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *dialog = waitForDialog<QDialog>(&t.page);
        QVERIFY(dialog);
        const QPointer<QDialog> dialogAlive(dialog);
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(buttons->button(QDialogButtonBox::Cancel)->isDefault());
        QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isDefault());
        QTest::keyClick(dialog, Qt::Key_Return);
        QTRY_VERIFY(!dialogAlive || !dialogAlive->isVisible()); // closed dialogs may be deleted
        auto still = await(t.sb.api().deployments().get(name));
        FD_VERIFY_OK(still);
        QVERIFY(still.value().state != client::DeploymentState::Deleting);
    }

    void deleteConfirmation_models()
    {
        deleteConfirmation<ui::ModelsPage>(QStringLiteral("doomed"),
                                           QStringLiteral("Seeded model (doomed)"));
    }

    void deleteConfirmation_datasets()
    {
        deleteConfirmation<ui::DatasetsPage>(QStringLiteral("doomed"),
                                             QStringLiteral("Seeded dataset (doomed)"));
    }

    void deleteConfirmation_secrets()
    {
        deleteConfirmation<ui::SecretsPage>(QStringLiteral("doomed"), QStringLiteral("doomed"));
    }

    //! Finding 9: a status line goes away by itself. It floats over the table's bottom edge:
    //! shown above the table, it moved the rows under the pointer while it came and went.
    void statusLine_expires_andTheTableStaysPut()
    {
        PageFixture<ui::SecretsPage> t;
        const QString name = seed<ui::SecretsPage>(t.sb.api(), QStringLiteral("short-lived"));
        t.page.reload();
        QVERIFY(t.select(name));
        auto *table = t.page.findChild<QTableView *>(QStringLiteral("resourceTable"));
        const QPoint tableAt = table->mapTo(&t.page, QPoint(0, 0));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY(click(box->template findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        auto *status = t.page.findChild<QLabel *>(QStringLiteral("actionStatus"));
        QTRY_VERIFY(status->isVisible());
        QCOMPARE(table->mapTo(&t.page, QPoint(0, 0)), tableAt);
        const QRect over(status->mapTo(&t.page, QPoint(0, 0)), status->size());
        const QRect tableRect(tableAt, table->size());
        QVERIFY2(tableRect.contains(over), "the status line lies within the table's area");
        QVERIFY(over.bottom() > tableRect.center().y()); // at its bottom, not over the header
        // One line where the table has the room, not a narrow wrapped column.
        QVERIFY2(status->height() < 2 * status->fontMetrics().height() + 12,
                 qPrintable(QStringLiteral("%1 px tall").arg(status->height())));
        QTRY_VERIFY_WITH_TIMEOUT(!status->isVisible(), 12000);
    }
};

QTEST_MAIN(tst_ResourcePages)
#include "tst_resourcepages.moc"
