// The Datasets page against the sandbox: create from a JSONL file through the dialog, refuse a
// file whose line 3 is not JSON before sending, show the server's line-numbered validation
// error, preview the first rows, download, delete.

#include "common/pagefixture.h"
#include "common/uitesthelpers.h"

#include <ui/createdatasetdialog.h>
#include <ui/datasetpreviewdialog.h>
#include <ui/datasetspage.h>
#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>
#include <ui/downloaddialog.h>
#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>

#include <models/datasetlistmodel.h>
#include <widgets/errorbanner.h>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace testing;

namespace {

QByteArray chatLine(int i)
{
    return QStringLiteral(R"({"messages": [{"role": "user", "content": "Question %1?"}, )"
                          R"({"role": "assistant", "content": "Answer %1."}]})")
        .arg(i)
        .toUtf8();
}

QString writeJsonl(const QTemporaryDir &dir, const QString &name, const QList<QByteArray> &lines)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (const QByteArray &l : lines)
        f.write(l + '\n');
    return path;
}

} // namespace

class tst_DatasetsPage : public QObject
{
    Q_OBJECT

private:
    struct Env : PageFixture<ui::DatasetsPage>
    {
        QString name(const QString &id)
        {
            return QStringLiteral("accounts/%1/datasets/%2").arg(sb.api().accountId(), id);
        }
        bool isReady(const QString &name) const
        {
            const int row = page.model()->rowOfName(name);
            return row >= 0 && page.model()->item(row).state == client::DatasetState::Ready;
        }
    };

    ui::CreateDatasetDialog *openCreate(ui::DatasetsPage &page, const QString &id,
                                        const QString &file)
    {
        page.newItem();
        auto *d = waitForDialog<ui::CreateDatasetDialog>(&page);
        if (!d)
            return nullptr;
        d->findChild<QLineEdit *>(QStringLiteral("datasetIdEdit"))->setText(id);
        d->findChild<QLineEdit *>(QStringLiteral("displayNameEdit"))->setText(id.toUpper());
        d->setFile(file);
        return d;
    }
    //! Creates a READY dataset of `rows` chat rows through the dialog and selects it.
    bool createReady(Env &env, const QString &id, int rows, const QTemporaryDir &dir)
    {
        QList<QByteArray> lines;
        for (int i = 1; i <= rows; ++i)
            lines << chatLine(i);
        auto *d = openCreate(env.page, id, writeJsonl(dir, id + QStringLiteral(".jsonl"), lines));
        if (!d)
            return false;
        if (!QTest::qWaitFor([&] { return clickButton(d, QDialogButtonBox::Ok); }, 5000))
            return false;
        return QTest::qWaitFor([&] { return env.isReady(env.name(id)); }, 20000) &&
               env.select(env.name(id));
    }

private Q_SLOTS:
    void empty_namesTheQuickDialogAndTheWizard()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        auto *text = env.page.findChild<QLabel *>(QStringLiteral("emptyText"));
        QVERIFY(text);
        QTRY_VERIFY(text->isVisible());
        QVERIFY(text->text().contains(QStringLiteral("JSONL file")));
        const QString wizard =
            QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W).toString(QKeySequence::NativeText);
        QVERIFY2(text->text().contains(QStringLiteral("Dataset wizard (%1)").arg(wizard)),
                 qPrintable(text->text()));
    }

    void create_fromJsonl_reachesReadyWithExampleCount()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        QList<QByteArray> lines;
        for (int i = 1; i <= 12; ++i)
            lines << chatLine(i);
        auto *d = openCreate(env.page, QStringLiteral("chats"),
                             writeJsonl(dir, QStringLiteral("chats.jsonl"), lines));
        QVERIFY(d);
        auto *check = d->findChild<QLabel *>(QStringLiteral("fileCheckLabel"));
        QTRY_VERIFY2(check->text().contains(QStringLiteral("12 rows")), qPrintable(check->text()));
        QVERIFY(d->firectlCommand().startsWith(QStringLiteral("firectl create dataset chats ")));
        QVERIFY(d->curlCommand().contains(QStringLiteral("\"datasetId\":\"chats\"")));
        QVERIFY(!d->curlCommand().contains(QStringLiteral("fw_local_sandbox_key")));
        QVERIFY(clickButton(d, QDialogButtonBox::Ok));
        const QString name = env.name(QStringLiteral("chats"));
        QTRY_VERIFY_WITH_TIMEOUT(env.isReady(name), 20000);
        QCOMPARE(env.page.model()->item(env.page.model()->rowOfName(name)).exampleCount, 12);
        const int row = env.page.model()->rowOfName(name);
        QCOMPARE(env.page.model()->index(row, models::DatasetListModel::StatusColumn).data(),
                 QVariant(QStringLiteral("Validated")));
        QCOMPARE(env.page.model()->index(row, models::DatasetListModel::FormatColumn).data(),
                 QVariant(QStringLiteral("Chat")));
        auto server = await(env.sb.api().datasets().get(name));
        FD_VERIFY_OK(server);
        QCOMPARE(server.value().exampleCount, 12);
        QCOMPARE(env.page.selectedName(), name);
    }

    // 12000 examples read "12000" in the list and "exampleCount": "12000" beside an unlabelled
    // "estimatedTokenCount" in the detail pane, which a person took for a byte count.
    void readyDataset_countsAreGroupedAndTheTokenEstimateIsNamed()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        const int rows = 12000;
        QVERIFY(createReady(env, QStringLiteral("large"), rows, dir));
        QLocale grouping;
        grouping.setNumberOptions(grouping.numberOptions() & ~QLocale::OmitGroupSeparator);
        const QString examples = grouping.toString(rows);
        QVERIFY2(examples != QString::number(rows), "this locale does not group 12000");
        auto *status = env.page.findChild<QLabel *>(QStringLiteral("actionStatus"));
        QTRY_VERIFY2_WITH_TIMEOUT(
            status->text().contains(QStringLiteral("READY with %1 examples").arg(examples)),
            qPrintable(status->text()), 20000);
        const QString name = env.name(QStringLiteral("large"));
        const int row = env.page.model()->rowOfName(name);
        const client::Dataset &d = env.page.model()->item(row);
        QVERIFY(d.estimatedTokenCount > 999);
        QCOMPARE(env.page.model()->index(row, models::DatasetListModel::ExamplesColumn).data(),
                 QVariant(examples));
        auto *figures = env.page.findChild<QLabel *>(QStringLiteral("datasetFigures"));
        QVERIFY(figures);
        QTRY_VERIFY(figures->isVisible());
        QVERIFY2(figures->text().contains(QStringLiteral("%1 examples").arg(examples)),
                 qPrintable(figures->text()));
        QVERIFY2(
            figures->text().contains(
                QStringLiteral("about %1 tokens").arg(grouping.toString(d.estimatedTokenCount))),
            qPrintable(figures->text()));
        // The column still sorts by the number, not the text ("9,000" after "12,000").
        QCOMPARE(env.page.model()
                     ->index(row, models::DatasetListModel::ExamplesColumn)
                     .data(models::ResourceListModel::SortRole),
                 QVariant(qint64(rows)));
        // Nothing selected, nothing shown.
        env.page.view()->clearSelection();
        QTRY_VERIFY(!figures->isVisible());
    }

    void create_badJsonOnLine3_isRefusedLocally()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        auto *d =
            openCreate(env.page, QStringLiteral("broken"),
                       writeJsonl(dir, QStringLiteral("broken.jsonl"),
                                  {chatLine(1), chatLine(2), "{\"messages\": [", chatLine(4)}));
        QVERIFY(d);
        auto *check = d->findChild<QLabel *>(QStringLiteral("fileCheckLabel"));
        QTRY_VERIFY2(check->text().contains(QStringLiteral("line 3")), qPrintable(check->text()));
        QVERIFY(!clickButton(d, QDialogButtonBox::Ok));
        auto server = await(env.sb.api().datasets().get(QStringLiteral("broken")));
        QVERIFY(!server.ok());
        QCOMPARE(server.error().kind, client::ApiError::Kind::NotFound);
    }

    // The quick dialog checks the first lines and stops at a broken one; the wizard lists every
    // problem and writes a copy without them: the file goes there as typed.
    void create_refusedFile_goesToTheWizardAsTyped()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        const QString path =
            writeJsonl(dir, QStringLiteral("broken.jsonl"),
                       {chatLine(1), chatLine(2), "{\"messages\": [", chatLine(4)});
        auto *d = openCreate(env.page, QStringLiteral("broken"), path);
        QVERIFY(d);
        auto *check = d->findChild<QLabel *>(QStringLiteral("fileCheckLabel"));
        QTRY_VERIFY2(check->text().contains(QStringLiteral("line 3")), qPrintable(check->text()));
        auto *toWizard = d->findChild<QPushButton *>(QStringLiteral("openInWizard"));
        QVERIFY(toWizard);
        QTRY_VERIFY(toWizard->isVisible());
        QPointer<ui::CreateDatasetDialog> dialog(d);
        QVERIFY(click(toWizard));
        QTRY_VERIFY(!dialog || !dialog->isVisible());
        auto *wizard = waitForDialog<ui::DatasetWizard>(&env.page);
        QVERIFY(wizard);
        QLineEdit *file = nullptr;
        for (auto *label : wizard->sourcePage()->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&File:"))
                file = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(file);
        QCOMPARE(QDir::fromNativeSeparators(file->text()), path);
        wizard->close();

        // A file the check takes has nothing to hand over.
        auto *fine = openCreate(
            env.page, QStringLiteral("fine"),
            writeJsonl(dir, QStringLiteral("fine.jsonl"), {chatLine(1), chatLine(2), chatLine(3)}));
        QVERIFY(fine);
        auto *fineCheck = fine->findChild<QLabel *>(QStringLiteral("fileCheckLabel"));
        QTRY_VERIFY2(fineCheck->text().startsWith(QStringLiteral("3 rows")),
                     qPrintable(fineCheck->text()));
        QVERIFY(!fine->findChild<QPushButton *>(QStringLiteral("openInWizard"))->isVisible());
        fine->close();
    }

    void create_schemaErrorOnLine3_showsServerStatus()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        auto *d = openCreate(
            env.page, QStringLiteral("wrong-shape"),
            writeJsonl(dir, QStringLiteral("wrong.jsonl"),
                       {chatLine(1), chatLine(2), R"({"prompt": "no messages"})", chatLine(4)}));
        QVERIFY(d);
        auto *check = d->findChild<QLabel *>(QStringLiteral("fileCheckLabel"));
        QTRY_VERIFY2(check->text().contains(QStringLiteral("4 rows")), qPrintable(check->text()));
        QVERIFY(clickButton(d, QDialogButtonBox::Ok));
        auto *banner = d->findChild<widgets::ErrorBanner *>(QStringLiteral("errorBanner"));
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
        QVERIFY2(banner->message().contains(QStringLiteral("line 3")),
                 qPrintable(banner->message()));
        const QString name = env.name(QStringLiteral("wrong-shape"));
        QTRY_VERIFY(env.page.model()->rowOfName(name) >= 0);
        const client::Dataset &row = env.page.model()->item(env.page.model()->rowOfName(name));
        QVERIFY(row.status.isError());
        QVERIFY(row.status.message.contains(QStringLiteral("line 3")));
        // The Status column says it, its tooltip with the status code (issue 16).
        const QModelIndex status = env.page.model()->index(env.page.model()->rowOfName(name),
                                                           models::DatasetListModel::StatusColumn);
        QVERIFY2(status.data().toString().contains(QStringLiteral("line 3")),
                 qPrintable(status.data().toString()));
        QVERIFY2(status.data(Qt::ToolTipRole).toString().startsWith(row.status.code),
                 qPrintable(status.data(Qt::ToolTipRole).toString()));
    }

    void preview_readyDataset_showsRows()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        QVERIFY(createReady(env, QStringLiteral("many"), 80, dir));
        QAction *preview = actionStartingWith(&env.page, QStringLiteral("Preview"));
        QTRY_VERIFY(preview->isEnabled());
        QVERIFY(clickAction(preview));
        auto *d = waitForDialog<ui::DatasetPreviewDialog>(&env.page);
        QVERIFY(d);
        auto *table = d->findChild<QTableWidget *>(QStringLiteral("previewTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), ui::DatasetPreviewDialog::kRows, 20000);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("1"));
        QVERIFY(table->item(2, 1)->text().contains(QStringLiteral("Question 3?")));
        QVERIFY(d->findChild<QLabel *>(QStringLiteral("previewStatus"))
                    ->text()
                    .contains(QStringLiteral("first 50")));
    }

    void fineTune_readyDataset_opensTheWizardWithItChosen()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        QVERIFY(createReady(env, QStringLiteral("to-train"), 12, dir));
        QAction *fineTune = actionStartingWith(&env.page, QStringLiteral("Fine-"));
        QVERIFY(fineTune);
        QCOMPARE(fineTune->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
        QTRY_VERIFY(fineTune->isEnabled());
        QVERIFY(clickAction(fineTune));
        auto *wizard = waitForDialog<ui::FineTuneWizard>(&env.page);
        QVERIFY(wizard);
        const QString name = env.page.model()->item(0).name;
        QTRY_COMPARE_WITH_TIMEOUT(wizard->dataPage()->datasetCombo()->currentData().toString(),
                                  name, 20000);
        QVERIFY(wizard->dataPage()->datasetInfo()->text().contains(QStringLiteral("12 examples")));
        wizard->reject();
        // Nothing selected: nothing to train on.
        env.page.view()->clearSelection();
        QVERIFY(!fineTune->isEnabled());
    }

    void download_readyDataset_matchesBytes()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        QVERIFY(createReady(env, QStringLiteral("saved"), 5, dir));
        QVERIFY(clickAction(actionStartingWith(&env.page, QStringLiteral("Download"))));
        auto *d = waitForDialog<ui::DownloadDialog>(&env.page);
        QVERIFY(d);
        QTemporaryDir target;
        d->setFolder(target.path());
        QVERIFY(clickButton(d, QDialogButtonBox::Ok));
        auto *total = d->findChild<QProgressBar *>(QStringLiteral("totalProgress"));
        QTRY_VERIFY_WITH_TIMEOUT(total->maximum() == 1 && total->value() == 1, 20000);
        QFile a(dir.filePath(QStringLiteral("saved.jsonl"))),
            b(target.filePath(QStringLiteral("saved.jsonl")));
        QVERIFY(a.open(QIODevice::ReadOnly));
        QVERIFY(b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
    }

    void delete_confirmed_removesDataset()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir dir;
        QVERIFY(createReady(env, QStringLiteral("gone"), 3, dir));
        const QString name = env.name(QStringLiteral("gone"));
        env.page.deleteSelected();
        auto *box = waitForDialog<QMessageBox>(&env.page);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("confirmation"));
        QVERIFY(box->text().contains(QStringLiteral("gone")));
        QVERIFY(click(box->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QTRY_COMPARE(env.page.model()->rowOfName(name), -1);
        auto server = await(env.sb.api().datasets().get(name));
        QVERIFY(!server.ok());
    }
};

QTEST_MAIN(tst_DatasetsPage)
#include "tst_datasetspage.moc"
