// "Get from platform…" on the Local models page as a person uses it, against the sandbox: with
// no profile it says so; with one, a model uploaded to the platform is listed (one still
// uploading is not), a new folder is added from the dialog, the download runs, and the model
// appears in the library with the engine's verdict, selected.

#include "common/localmodelspagefixture.h"
#include "common/modelupload.h"
#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <client/models.h>
#include <engine/host/enginehost.h>
#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <ui/getmodeldialog.h>
#include <ui/localmodelspage.h>

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

using testing::await;

class tst_LocalModelsGet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void noProfile_saysSoAndCannotDownload();
    void emptyAccount_saysNothingToDownload();
    void download_appearsInLibraryWithVerdict();
    void loraAdapter_cancelKeepsNothingThenDownloads();

private:
    ui::GetModelDialog *openDialog();
    QLabel *dialogMessage(ui::GetModelDialog *dialog) const;

    QTemporaryDir m_tmp;
    testing::LocalModelsPageFixture m_local;
};

void tst_LocalModelsGet::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_localmodelsget"));
}

void tst_LocalModelsGet::init()
{
    QVERIFY(m_local.open());
}

void tst_LocalModelsGet::cleanup()
{
    m_local.close();
}

ui::GetModelDialog *tst_LocalModelsGet::openDialog()
{
    auto *button = m_local.page->findChild<QPushButton *>(QStringLiteral("getFromPlatform"));
    if (!button || button->text() != QStringLiteral("Get from &platform…") ||
        !testing::click(button))
        return nullptr;
    return testing::waitForDialog<ui::GetModelDialog>(m_local.page.get());
}

QLabel *tst_LocalModelsGet::dialogMessage(ui::GetModelDialog *dialog) const
{
    return dialog->findChild<QLabel *>(QStringLiteral("getModelMessage"));
}

void tst_LocalModelsGet::noProfile_saysSoAndCannotDownload()
{
    ui::GetModelDialog *dialog = openDialog();
    QVERIFY(dialog);
    const QPointer<QDialog> dialogAlive(dialog);
    QVERIFY2(dialogMessage(dialog)->text().startsWith(
                 QStringLiteral("No platform profile is connected.")),
             qPrintable(dialogMessage(dialog)->text()));
    QCOMPARE(dialog->findChild<QListWidget *>(QStringLiteral("platformModels"))->count(), 0);
    QVERIFY(!testing::clickButton(dialog, QDialogButtonBox::Ok)); // Download is disabled
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));
    QTRY_VERIFY(!dialogAlive || !dialogAlive->isVisible()); // closed dialogs may be deleted
}

void tst_LocalModelsGet::emptyAccount_saysNothingToDownload()
{
    testing::SandboxFixture sb(200);
    // A model whose files never arrived cannot be downloaded, so it is not offered.
    client::Model m;
    m.kind = client::ModelKind::HfBaseModel;
    m.baseModelDetails = client::BaseModelDetails{};
    QVERIFY(await(sb.api().models().create(QStringLiteral("never-uploaded"), m)).ok());
    m_local.page->setPlatform(&sb.api());
    ui::GetModelDialog *dialog = openDialog();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(
        dialogMessage(dialog)->text().contains(QStringLiteral("has no models to download")), 10000);
    QCOMPARE(dialog->findChild<QListWidget *>(QStringLiteral("platformModels"))->count(), 0);
    QVERIFY(!testing::clickButton(dialog, QDialogButtonBox::Ok));
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));

    // With a model folder and nothing picked, the Folder row says where a download goes (it was
    // an empty value beside "Folder:").
    QTemporaryDir root;
    QVERIFY(m_local.library->addRoot(root.path()));
    dialog = openDialog();
    QVERIFY(dialog);
    auto *target = dialog->findChild<QLabel *>(QStringLiteral("downloadTarget"));
    QCOMPARE(target->text(), QStringLiteral("A folder named after the model you pick, in %1.")
                                 .arg(QDir::toNativeSeparators(root.path())));
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));
}

void tst_LocalModelsGet::download_appearsInLibraryWithVerdict()
{
    testing::SandboxFixture sb(200);
    // The platform side: the golden tiny Qwen2 uploaded as the account's own model.
    const QDir golden(QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/tiny-qwen2-f32"));
    const QString uploaded = testing::uploadModel(
        sb.api(), QStringLiteral("tiny-qwen2"), testing::customBaseModel(),
        testing::filesOf(golden, {"config.json", "generation_config.json", "model.safetensors"}));
    QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));
    QVERIFY(await(sb.api().models().create(QStringLiteral("never-uploaded"),
                                           testing::customBaseModel()))
                .ok());

    m_local.page->setPlatform(&sb.api());
    ui::GetModelDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *list = dialog->findChild<QListWidget *>(QStringLiteral("platformModels"));
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), 1, 10000); // not the one without files
    QVERIFY2(list->item(0)->text().startsWith(QStringLiteral("tiny-qwen2")),
             qPrintable(list->item(0)->text()));
    QVERIFY(testing::clickRow(list, 0));

    // No model folder yet: add one from the dialog, as a person would.
    auto *root = dialog->findChild<QComboBox *>(QStringLiteral("downloadRoot"));
    QCOMPARE(root->count(), 0);
    QVERIFY(!testing::clickButton(dialog, QDialogButtonBox::Ok));
    const QString libraryDir = QDir(m_tmp.filePath(QStringLiteral("library"))).absolutePath();
    QVERIFY(QDir().mkpath(libraryDir));
    // Nothing to show yet: no empty bar that looks like a text box.
    QVERIFY(!dialog->findChild<QProgressBar *>(QStringLiteral("downloadProgress"))->isVisible());
    QVERIFY(testing::click(dialog->findChild<QPushButton *>(QStringLiteral("addDownloadRoot"))));
    auto *files_ = testing::waitForDialog<QFileDialog>(dialog);
    QVERIFY(files_);
    // The home folder, as the page's Add folder, not where the app was started (ctest's cwd).
    QVERIFY(QDir::currentPath() != QDir::homePath());
    QCOMPARE(files_->directory().absolutePath(), QDir::home().absolutePath());
    files_->setDirectory(libraryDir);
    files_->selectFile(libraryDir);
    static_cast<QDialog *>(files_)->accept(); // QFileDialog::accept is protected
    QTRY_COMPARE(root->currentText(), libraryDir);
    QCOMPARE(m_local.library->roots(), QStringList{libraryDir});
    const QString target = QDir(libraryDir).filePath(QStringLiteral("tiny-qwen2"));
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("downloadTarget"))->text(),
             QDir::toNativeSeparators(target));

    QPointer<ui::GetModelDialog> guard(dialog);
    // Enter downloads: the focus went from Add folder (where Enter asked for a folder again)
    // to Download.
    QTRY_VERIFY(QApplication::focusWidget() ==
                dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), 30000); // closes once all are in
    for (const char *f : {"config.json", "generation_config.json", "model.safetensors"})
        QVERIFY2(QFileInfo(QDir(target).filePath(QLatin1String(f))).size() ==
                     QFileInfo(golden.filePath(QLatin1String(f))).size(),
                 f);

    // The rescan lists it with the engine's verdict, and it is the selected row.
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT((row = m_local.library->rowForDir(target)) >= 0, 30000);
    const QModelIndex index = m_local.library->index(row, 0);
    QVERIFY2(index.data(models::LocalModelLibrary::SupportedRole).toBool(),
             qPrintable(index.data(models::LocalModelLibrary::ReasonRole).toString()));
    QTRY_COMPARE(m_local.page->table()
                     ->selectionModel()
                     ->currentIndex()
                     .data(models::LocalModelLibrary::DirRole)
                     .toString(),
                 target);
    QVERIFY(m_local.page->findChild<QLabel *>(QStringLiteral("loadStatus"))
                ->text()
                .startsWith(QStringLiteral("Downloaded tiny-qwen2 into")));
}

void tst_LocalModelsGet::loraAdapter_cancelKeepsNothingThenDownloads()
{
    testing::SandboxFixture sb(200);
    // A fine-tuned LoRA on the platform: the golden tiny Llama 3 adapter.
    const QDir golden(QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/tiny-llama3-lora"));
    client::Model m;
    m.kind = client::ModelKind::HfPeftAddon;
    m.peftDetails = client::PeftDetails{};
    m.peftDetails->baseModel = QStringLiteral("accounts/fireworks/models/llama-v3p2-1b-instruct");
    m.peftDetails->r = 8;
    const QString uploaded = testing::uploadModel(
        sb.api(), QStringLiteral("tiny-lora"), m,
        testing::filesOf(golden, {"adapter_config.json", "adapter_model.safetensors"}));
    QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));

    const QString libraryDir = QDir(m_tmp.filePath(QStringLiteral("adapters"))).absolutePath();
    // The adapter's base (its adapter_config.json names ../tiny-llama3-f32) is already local.
    const QDir goldenBase(QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/tiny-llama3-f32"));
    const QDir base(QDir(libraryDir).filePath(QStringLiteral("tiny-llama3-f32")));
    QVERIFY(QDir().mkpath(base.path()));
    for (const char *f : {"config.json", "model.safetensors"})
        QVERIFY(
            QFile::copy(goldenBase.filePath(QLatin1String(f)), base.filePath(QLatin1String(f))));
    QVERIFY(m_local.library->addRoot(libraryDir)); // an existing model folder is offered at once
    m_local.page->setPlatform(&sb.api());
    ui::GetModelDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *list = dialog->findChild<QListWidget *>(QStringLiteral("platformModels"));
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), 1, 10000);
    QVERIFY2(list->item(0)->text().contains(QStringLiteral("LoRA adapter")),
             qPrintable(list->item(0)->text()));
    QVERIFY(testing::clickRow(list, 0));
    QCOMPARE(dialog->findChild<QComboBox *>(QStringLiteral("downloadRoot"))->currentText(),
             libraryDir);
    const QString target = QDir(libraryDir).filePath(QStringLiteral("tiny-lora"));

    // Cancel before the first file: the dialog stays and says so, nothing is left behind.
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));
    auto *banner = dialog->findChild<QWidget *>(QStringLiteral("errorBanner"));
    QVERIFY(banner);
    QTRY_VERIFY(banner->isVisible());
    bool saysCancelled = false;
    for (QLabel *l : banner->findChildren<QLabel *>())
        saysCancelled |= l->text().startsWith(QStringLiteral("Download cancelled"));
    QVERIFY(saysCancelled);
    QTest::qWait(200); // a late file would land now if Cancel had not stopped it
    QVERIFY(dialog->isVisible());
    QVERIFY(QDir(target).entryList(QDir::Files).isEmpty());

    // Then the real download: the adapter appears as an adapter row on its local base.
    QPointer<ui::GetModelDialog> guard(dialog);
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), 30000);
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT((row = m_local.library->rowForDir(target)) >= 0, 30000);
    const QModelIndex index = m_local.library->index(row, 0);
    QVERIFY(index.data(models::LocalModelLibrary::IsAdapterRole).toBool());
    QVERIFY2(index.data(models::LocalModelLibrary::SupportedRole).toBool(),
             qPrintable(index.data(models::LocalModelLibrary::ReasonRole).toString()));
    QCOMPARE(m_local.library->entry(row)->baseDir, base.absolutePath());
}

QTEST_MAIN(tst_LocalModelsGet)
#include "tst_localmodelsget.moc"
