// The upload and download dialogs against the sandbox, driven with the keyboard and mouse:
// a dataset file the platform refuses (readable message, intact form, delete or retry), a
// model upload resumed from the folder it started from, and the download dialog's counts.

#include <ui/createdatasetdialog.h>
#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>
#include <ui/downloaddialog.h>
#include <ui/editmodeldialog.h>
#include <ui/uploadmodeldialog.h>

#include <widgets/errorbanner.h>

#include "../common/modelupload.h"
#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using client::ApiError;
using testing::await;

namespace {

template <typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QLatin1String(name));
}

QPushButton *okButton(QWidget *dialog)
{
    return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

void typeInto(QLineEdit *edit, const QString &text)
{
    QTest::mouseClick(edit, Qt::LeftButton);
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, text);
}

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray sftRow(int i)
{
    return R"({"messages":[{"role":"user","content":"What is )" + QByteArray::number(i) +
           R"(+1?"},{"role":"assistant","content":")" + QByteArray::number(i + 1) + "\"}]}\n";
}

// Three rows; the third lacks 'messages'.
QByteArray refusedRows()
{
    return sftRow(1) + sftRow(2) +
           R"({"conversation":[{"role":"user","content":"hi"}]})"
           "\n";
}

} // namespace

class tst_UploadDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear(); // no folder remembered from an earlier run
    }

    void createDataset_refusedFile_saysWhyKeepsFormOffersDelete()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir dir;
        const QString bad = writeFile(dir.filePath(QStringLiteral("bad.jsonl")), refusedRows());
        auto *dialog = new ui::CreateDatasetDialog(&sb.api());
        QSignalSpy deleted(dialog, &ui::CreateDatasetDialog::datasetDeleted);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *id = child<QLineEdit>(dialog, "datasetIdEdit");
        auto *file = child<QLineEdit>(dialog, "fileEdit");
        const int idHeight = id->height();
        const int fileHeight = file->height();
        typeInto(id, QStringLiteral("bad-set"));
        typeInto(file, QDir::toNativeSeparators(bad));
        QTRY_VERIFY(okButton(dialog)->isEnabled()); // the local check passed: valid JSON
        QVERIFY(testing::click(okButton(dialog)));
        auto *banner = child<widgets::ErrorBanner>(dialog, "errorBanner");
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        const QString text = banner->message();
        // One sentence that says what the platform said, not "... the file failed. The
        // request was refused as invalid. — ...".
        QVERIFY2(text.startsWith(QStringLiteral("The platform refused the file: ")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("failed.")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("line 3")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("messages")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("delete")), qPrintable(text));
        // The form keeps its size: nothing is squeezed to make room for the message.
        QApplication::processEvents();
        QVERIFY2(id->height() >= idHeight && file->height() >= fileHeight,
                 qPrintable(QStringLiteral("ID %1 px (was %2), File %3 px (was %4)")
                                .arg(id->height())
                                .arg(idHeight)
                                .arg(file->height())
                                .arg(fileHeight)));
        QCOMPARE(id->text(), QStringLiteral("bad-set"));
        QCOMPARE(QDir::fromNativeSeparators(file->text()), bad);
        // The half-created dataset can go.
        auto *remove = child<QPushButton>(dialog, "deleteDatasetButton");
        QVERIFY(remove && remove->isVisible());
        QPointer<QWidget> guard(dialog);
        QVERIFY(testing::click(remove));
        QTRY_COMPARE_WITH_TIMEOUT(deleted.size(), 1, 10000);
        QCOMPARE(deleted.at(0).at(0).toString(), QStringLiteral("accounts/local/datasets/bad-set"));
        QTRY_VERIFY(!guard || !guard->isVisible());
        auto gone = await(sb.api().datasets().get(QStringLiteral("bad-set")));
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().kind, ApiError::Kind::NotFound);
    }

    void createDataset_refusedFile_uploadAgainWithFixedFile()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir dir;
        const QString bad = writeFile(dir.filePath(QStringLiteral("bad.jsonl")), refusedRows());
        const QString good = writeFile(dir.filePath(QStringLiteral("good.jsonl")),
                                       sftRow(1) + sftRow(2) + sftRow(3));
        auto *dialog = new ui::CreateDatasetDialog(&sb.api());
        QSignalSpy changed(dialog, &ui::CreateDatasetDialog::datasetChanged);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        typeInto(child<QLineEdit>(dialog, "datasetIdEdit"), QStringLiteral("fixable"));
        typeInto(child<QLineEdit>(dialog, "fileEdit"), QDir::toNativeSeparators(bad));
        QTRY_VERIFY(okButton(dialog)->isEnabled());
        QVERIFY(testing::click(okButton(dialog)));
        auto *banner = child<widgets::ErrorBanner>(dialog, "errorBanner");
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QCOMPARE(okButton(dialog)->text().remove(QLatin1Char('&')), QStringLiteral("Upload again"));
        typeInto(child<QLineEdit>(dialog, "fileEdit"), QDir::toNativeSeparators(good));
        QTRY_VERIFY(okButton(dialog)->isEnabled());
        QPointer<QWidget> guard(dialog);
        QVERIFY(testing::click(okButton(dialog)));
        QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto d = await(sb.api().datasets().get(QStringLiteral("fixable")));
                return d.ok() && d.value().state == client::DatasetState::Ready;
            }(),
            10000);
    }

    void resumeUpload_remembersTheFolderAndKeepsTheId()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir folder;
        const QDir dir(folder.path());
        writeFile(dir.filePath(QStringLiteral("config.json")),
                  R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
        writeFile(dir.filePath(QStringLiteral("model.safetensors")), QByteArray(4096, '\1'));
        // The first upload is interrupted: the storage refuses the first file.
        sb.addFault(
            R"({"path":"^/signed/","method":"PUT","kind":"status","status":403,"count":1})");
        auto *first = new ui::UploadModelDialog(&sb.api());
        first->show();
        QVERIFY(QTest::qWaitForWindowExposed(first));
        typeInto(child<QLineEdit>(first, "modelIdEdit"), QStringLiteral("resumable"));
        typeInto(child<QLineEdit>(first, "folderEdit"), QDir::toNativeSeparators(folder.path()));
        QTRY_VERIFY(okButton(first)->isEnabled());
        QVERIFY(testing::click(okButton(first)));
        QTRY_VERIFY_WITH_TIMEOUT(child<widgets::ErrorBanner>(first, "errorBanner")->isVisible(),
                                 10000);
        delete first; // the person closes it; the model stays UPLOADING
        auto model = await(sb.api().models().get(QStringLiteral("resumable")));
        QVERIFY(model.ok());
        QCOMPARE(model.value().state, client::ModelState::Uploading);

        // "Resume upload…" opens the dialog with the model (as the Models page does).
        auto *resume = new ui::UploadModelDialog(&sb.api(), model.value());
        QSignalSpy changed(resume, &ui::UploadModelDialog::modelChanged);
        resume->show();
        QVERIFY(QTest::qWaitForWindowExposed(resume));
        auto *id = child<QLineEdit>(resume, "modelIdEdit");
        QCOMPARE(id->text(), QStringLiteral("resumable"));
        QVERIFY(id->isReadOnly());
        QTest::keyClicks(id, QStringLiteral("x")); // typing cannot change it
        QCOMPARE(id->text(), QStringLiteral("resumable"));
        auto *folderEdit = child<QLineEdit>(resume, "folderEdit");
        QCOMPARE(QDir::fromNativeSeparators(folderEdit->text()), folder.path());
        QCOMPARE(child<QTreeWidget>(resume, "fileList")->topLevelItemCount(), 2);
        QVERIFY(okButton(resume)->isEnabled());
        QVERIFY(testing::click(okButton(resume)));
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty() &&
                                     changed.last().at(0).value<client::Model>().state ==
                                         client::ModelState::Ready,
                                 10000);
        QCOMPARE(changed.last().at(0).value<client::Model>().name,
                 QStringLiteral("accounts/local/models/resumable"));
    }

    void uploadModel_typedFolder_checkedOncePaused_noBarsForAFolderThatCannotGoUp()
    {
        testing::SandboxFixture sb(200);
        // A crowded folder without config.json ("/tmp" froze the dialog for seconds: every
        // typed prefix was listed with a progress bar per file).
        QTemporaryDir crowded;
        for (int i = 0; i < 300; ++i)
            writeFile(QDir(crowded.path()).filePath(QStringLiteral("f%1.txt").arg(i)), "x");
        QTemporaryDir model;
        writeFile(QDir(model.path()).filePath(QStringLiteral("config.json")),
                  R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
        writeFile(QDir(model.path()).filePath(QStringLiteral("model.safetensors")), "x");

        auto *dialog = new ui::UploadModelDialog(&sb.api());
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        typeInto(child<QLineEdit>(dialog, "modelIdEdit"), QStringLiteral("typed"));
        auto *folder = child<QLineEdit>(dialog, "folderEdit");
        auto *files = child<QTreeWidget>(dialog, "fileList");
        typeInto(folder, QDir::toNativeSeparators(crowded.path()));
        QTRY_COMPARE(files->topLevelItemCount(), 300); // what is there, to see why
        QVERIFY(!okButton(dialog)->isEnabled());
        QCOMPARE(files->findChildren<QProgressBar *>().size(), 0);

        typeInto(folder, QDir::toNativeSeparators(model.path()));
        QTRY_VERIFY(okButton(dialog)->isEnabled());
        QCOMPARE(files->topLevelItemCount(), 2);
        QCOMPARE(files->findChildren<QProgressBar *>().size(), 2);
        // Typing again: nothing to upload until the new text is checked.
        QTest::keyClicks(folder, QStringLiteral("/"));
        QVERIFY(!okButton(dialog)->isEnabled());
        QTRY_VERIFY(okButton(dialog)->isEnabled());
        delete dialog;
    }

    //! Picking a folder left the ID empty and Upload off: the ID is made from the folder's
    //! name (a Hugging Face cache snapshot's from its repository, not the commit hash) until
    //! the user types their own, which is kept.
    void uploadModel_idFromTheFolderName_untilOneIsTyped()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir root;
        const auto modelIn = [&](const QString &relative) {
            const QString dir = QDir(root.path()).filePath(relative);
            QDir().mkpath(dir);
            writeFile(QDir(dir).filePath(QStringLiteral("config.json")),
                      R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
            writeFile(QDir(dir).filePath(QStringLiteral("model.safetensors")), "x");
            return QDir::toNativeSeparators(dir);
        };
        const QString named = modelIn(QStringLiteral("Qwen2.5-0.5B-Instruct"));
        const QString snapshot = modelIn(QStringLiteral(
            "hub/models--Qwen--Qwen3-0.6B/snapshots/3c2d8e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"));

        auto *dialog = new ui::UploadModelDialog(&sb.api());
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *id = child<QLineEdit>(dialog, "modelIdEdit");
        auto *folder = child<QLineEdit>(dialog, "folderEdit");
        typeInto(folder, named);
        QTRY_COMPARE(id->text(), QStringLiteral("qwen2-5-0-5b-instruct"));
        QVERIFY(okButton(dialog)->isEnabled());
        typeInto(folder, snapshot); // another folder: the suggestion follows it
        QTRY_COMPARE(id->text(), QStringLiteral("qwen3-0-6b"));

        // A typed ID the platform refuses says what in it is wrong (as the secret dialog's).
        typeInto(id, QStringLiteral("My_Model"));
        auto *hint = child<QLabel>(dialog, "modelIdHint");
        QVERIFY2(hint->text().contains(QStringLiteral("capital letters are not allowed (M)")),
                 qPrintable(hint->text()));
        QVERIFY(!okButton(dialog)->isEnabled());
        typeInto(id, QStringLiteral("my-own-id"));
        typeInto(folder, named);
        QTRY_VERIFY(okButton(dialog)->isEnabled());
        QCOMPARE(id->text(), QStringLiteral("my-own-id"));
        delete dialog;
    }

    void uploadModel_fileOverThePlatformLimit_refusedBeforeCreating()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir folder;
        const QDir dir(folder.path());
        writeFile(dir.filePath(QStringLiteral("config.json")),
                  R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
        {
            QFile huge(dir.filePath(QStringLiteral("model.safetensors")));
            QVERIFY(huge.open(QIODevice::WriteOnly));
            if (!huge.resize(client::kMaxSignedUploadBytes + 1))
                QSKIP("this file system cannot hold a sparse file of 5 TiB");
        }
        auto *dialog = new ui::UploadModelDialog(&sb.api());
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        typeInto(child<QLineEdit>(dialog, "modelIdEdit"), QStringLiteral("too-big"));
        typeInto(child<QLineEdit>(dialog, "folderEdit"), QDir::toNativeSeparators(folder.path()));
        QTRY_VERIFY(okButton(dialog)->isEnabled());
        QVERIFY(testing::click(okButton(dialog)));
        auto *banner = child<widgets::ErrorBanner>(dialog, "errorBanner");
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->message().contains(QStringLiteral("5 TiB")),
                 qPrintable(banner->message()));
        QTest::qWait(200);
        auto model = await(sb.api().models().get(QStringLiteral("too-big")));
        QVERIFY2(!model.ok(), "the model was created although its file cannot be uploaded");
        QCOMPARE(model.error().kind, ApiError::Kind::NotFound);
        delete dialog;
    }

    void download_countsFilesBeforeStartAndAfterARefusedOverwrite()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir source;
        const QDir src(source.path());
        QStringList paths{
            writeFile(src.filePath(QStringLiteral("config.json")),
                      R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})"),
            writeFile(src.filePath(QStringLiteral("model.safetensors")), QByteArray(8192, '\2')),
            writeFile(src.filePath(QStringLiteral("tokenizer.json")), "{}"),
            writeFile(src.filePath(QStringLiteral("generation_config.json")), "{}")};
        const QString uploaded = testing::uploadModel(sb.api(), QStringLiteral("four-files"),
                                                      testing::customBaseModel(), paths);
        QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));

        QTemporaryDir target;
        auto *dialog = new ui::DownloadDialog(&sb.api(), client::DownloadFlow::Target::Model,
                                              QStringLiteral("accounts/local/models/four-files"));
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *total = child<QProgressBar>(dialog, "totalProgress");
        auto *files = child<QTreeWidget>(dialog, "fileList");
        // Before anything starts: the model's four files, none downloaded.
        QTRY_COMPARE(total->text(), QStringLiteral("0 of 4 files"));
        QCOMPARE(files->topLevelItemCount(), 4);

        // A folder is suggested (Downloads/<model ID> on a first download), so Enter downloads.
        auto *folder = child<QLineEdit>(dialog, "folderEdit");
        QCOMPARE(QDir::fromNativeSeparators(folder->text()),
                 QDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation))
                     .filePath(QStringLiteral("four-files")));
        QVERIFY(okButton(dialog)->isEnabled());
        typeInto(folder, QDir::toNativeSeparators(target.filePath(QStringLiteral("four-files"))));
        QVERIFY(testing::click(okButton(dialog)));
        QTRY_VERIFY_WITH_TIMEOUT(total->text().startsWith(QStringLiteral("4 of 4 files")), 10000);
        QTRY_VERIFY(okButton(dialog)->isEnabled());

        // Again into the same folder without "Replace": refused, and the dialog says so
        // without claiming a finished download.
        QVERIFY(testing::click(okButton(dialog)));
        auto *banner = child<widgets::ErrorBanner>(dialog, "errorBanner");
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QVERIFY2(banner->message().contains(QStringLiteral("Replace")),
                 qPrintable(banner->message()));
        QCOMPARE(files->topLevelItemCount(), 4);
        QCOMPARE(total->value(), 0);
        QCOMPARE(total->text(), QStringLiteral("0 of 4 files"));
        delete dialog;

        // The next download is suggested beside this one.
        auto *next = new ui::DownloadDialog(&sb.api(), client::DownloadFlow::Target::Model,
                                            QStringLiteral("accounts/local/models/another"));
        QCOMPARE(QDir::fromNativeSeparators(child<QLineEdit>(next, "folderEdit")->text()),
                 target.filePath(QStringLiteral("another")));
        delete next;
    }

    // An ID in use (the model's is often made from a folder an earlier upload used): said in
    // words, with the ID selected to type over.
    void anIdTakenAlready_saysSoAndSelectsTheId()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir dir;
        client::Dataset existingSet;
        existingSet.userUploaded = true;
        QVERIFY(await(sb.api().datasets().create(QStringLiteral("taken"), existingSet)).ok());
        QVERIFY(await(sb.api().models().create(QStringLiteral("taken"), testing::customBaseModel()))
                    .ok());

        auto *createDataset = new ui::CreateDatasetDialog(&sb.api());
        createDataset->show();
        QVERIFY(QTest::qWaitForWindowExposed(createDataset));
        auto *datasetId = child<QLineEdit>(createDataset, "datasetIdEdit");
        typeInto(datasetId, QStringLiteral("taken"));
        typeInto(child<QLineEdit>(createDataset, "fileEdit"),
                 QDir::toNativeSeparators(writeFile(dir.filePath(QStringLiteral("set.jsonl")),
                                                    sftRow(1) + sftRow(2) + sftRow(3))));
        QTRY_VERIFY(okButton(createDataset)->isEnabled());
        QVERIFY(testing::click(okButton(createDataset)));
        auto *banner = child<widgets::ErrorBanner>(createDataset, "errorBanner");
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QCOMPARE(banner->message(),
                 QStringLiteral("A dataset with the ID taken already exists: type another "
                                "Dataset ID, or delete that dataset on the Datasets page first."));
        QVERIFY(!datasetId->isReadOnly());
        QCOMPARE(datasetId->selectedText(), QStringLiteral("taken"));
        delete createDataset;

        const QDir model(dir.filePath(QStringLiteral("model")));
        QVERIFY(QDir().mkpath(model.path()));
        writeFile(model.filePath(QStringLiteral("config.json")),
                  R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2"})");
        writeFile(model.filePath(QStringLiteral("model.safetensors")), "x");
        auto *uploadModel = new ui::UploadModelDialog(&sb.api());
        uploadModel->show();
        QVERIFY(QTest::qWaitForWindowExposed(uploadModel));
        auto *modelId = child<QLineEdit>(uploadModel, "modelIdEdit");
        typeInto(child<QLineEdit>(uploadModel, "folderEdit"),
                 QDir::toNativeSeparators(model.path()));
        modelId->setText(QStringLiteral("taken"));
        QTRY_VERIFY(okButton(uploadModel)->isEnabled());
        QVERIFY(testing::click(okButton(uploadModel)));
        auto *modelBanner = child<widgets::ErrorBanner>(uploadModel, "errorBanner");
        QTRY_VERIFY_WITH_TIMEOUT(modelBanner->isVisible(), 10000);
        QCOMPARE(modelBanner->message(),
                 QStringLiteral("A model with the ID taken already exists: type another Model "
                                "ID, or delete that model on the Models page first (Resume "
                                "upload there finishes one left in UPLOADING)."));
        QVERIFY(!modelId->isReadOnly());
        QCOMPARE(modelId->selectedText(), QStringLiteral("taken"));
        delete uploadModel;
    }

    // The platform takes display names of fewer than 64 characters (the models reference);
    // every field that sends one stops there instead of sending a name to be refused.
    void displayNames_stopAtThePlatformsLimit()
    {
        testing::SandboxFixture sb(200);
        const QString typed = QString(70, QLatin1Char('n'));
        auto typedInto = [&](QLineEdit *edit) {
            if (!edit)
                return QString();
            edit->clear();
            QTest::keyClicks(edit, typed);
            return edit->text();
        };
        const QString limit(63, QLatin1Char('n'));

        auto *createDataset = new ui::CreateDatasetDialog(&sb.api());
        QCOMPARE(typedInto(child<QLineEdit>(createDataset, "displayNameEdit")), limit);
        delete createDataset;

        auto *uploadModel = new ui::UploadModelDialog(&sb.api());
        QCOMPARE(typedInto(child<QLineEdit>(uploadModel, "displayNameEdit")), limit);
        delete uploadModel;

        client::Model model;
        model.name = QStringLiteral("accounts/local/models/m");
        auto *editModel = new ui::EditModelDialog(&sb.api(), model);
        QCOMPARE(typedInto(child<QLineEdit>(editModel, "displayNameEdit")), limit);
        delete editModel;

        ui::DatasetWizard wizard(&sb.api());
        QLineEdit *wizardName = nullptr;
        for (auto *label : wizard.uploadPage()->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&Display name:"))
                wizardName = qobject_cast<QLineEdit *>(label->buddy());
        QCOMPARE(typedInto(wizardName), limit);
    }

    // The wizard names the eval dataset after the train one with " (eval)": a name at the
    // limit gives way to the suffix instead of going over it.
    void wizardEvalDatasetName_keepsItsSuffixWithinTheLimit()
    {
        testing::SandboxFixture sb(200);
        QTemporaryDir dir;
        QByteArray train, eval;
        for (int i = 0; i < 6; ++i)
            (i < 3 ? train : eval) += sftRow(i);
        ui::DatasetWizard wizard(&sb.api());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.setSourceFile(writeFile(dir.filePath(QStringLiteral("chats.jsonl")), train));
        QLineEdit *evalField = nullptr;
        for (auto *label : wizard.sourcePage()->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&Eval file:"))
                evalField = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(evalField);
        evalField->setText(writeFile(dir.filePath(QStringLiteral("chats-eval.jsonl")), eval));
        auto next = [&] {
            return testing::click(
                qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
        };
        QVERIFY(next());
        QVERIFY(next());
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next()); // Tokens
        QVERIFY(next()); // Fix & split
        QVERIFY(next()); // Upload, with the eval file
        auto *upload = wizard.uploadPage();
        QLineEdit *name = nullptr;
        for (auto *label : upload->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&Display name:"))
                name = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(name);
        const QString longName =
            QStringLiteral("Support chats ").leftJustified(63, QLatin1Char('x'));
        name->setText(longName);
        upload->upload();
        QTRY_VERIFY2_WITH_TIMEOUT(upload->isComplete(), qPrintable(upload->stageLabel()->text()),
                                  20000);
        QCOMPARE(upload->dataset().displayName, longName);
        const QString evalName = upload->evalDataset().displayName;
        QVERIFY2(evalName.size() <= 63 && evalName.endsWith(QStringLiteral(" (eval)")),
                 qPrintable(evalName));
        QCOMPARE(evalName, longName.left(56) + QStringLiteral(" (eval)"));
    }
};

QTEST_MAIN(tst_UploadDialogs)
#include "tst_uploaddialogs.moc"
