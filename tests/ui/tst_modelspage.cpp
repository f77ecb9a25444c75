// The Models page against the sandbox: upload a model folder and a LoRA through the dialog,
// refuse a folder without a config before anything is sent, edit, delete, download, resume a
// failed upload, and switch to the public catalog.

#include "common/pagefixture.h"
#include "common/seeds.h"
#include "common/uitesthelpers.h"

#include <ui/deploymentdialog.h>
#include <ui/downloaddialog.h>
#include <ui/editmodeldialog.h>
#include <ui/modelspage.h>
#include <ui/uploadmodeldialog.h>

#include <client/loggingtransport.h>
#include <client/trainingjobs.h>

#include <models/modellistmodel.h>
#include <widgets/errorbanner.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace testing;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
}

QByteArray bytes(int n, char seed)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(seed + i * 31);
    return b;
}

void writeBaseFolder(const QString &dir)
{
    writeFile(dir + QStringLiteral("/config.json"),
              R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama",
                  "max_position_embeddings": 2048, "hidden_size": 64})");
    writeFile(dir + QStringLiteral("/model.safetensors"), bytes(48 * 1024, 7));
    writeFile(dir + QStringLiteral("/tokenizer.json"), bytes(3 * 1024, 'a'));
    writeFile(dir + QStringLiteral("/tokenizer_config.json"), R"({"model_max_length": 2048})");
}

} // namespace

class tst_ModelsPage : public QObject
{
    Q_OBJECT

private:
    struct Env : PageFixture<ui::ModelsPage>
    {
        QString name(const QString &id)
        {
            return QStringLiteral("accounts/%1/models/%2").arg(sb.api().accountId(), id);
        }
        //! The state of the row of `name`, which must be in the list.
        client::ModelState state(const QString &name) const
        {
            return page.model()->item(page.model()->rowOfName(name)).state;
        }
        bool isReady(const QString &name) const
        {
            return page.model()->rowOfName(name) >= 0 && state(name) == client::ModelState::Ready;
        }
    };

    ui::UploadModelDialog *openUpload(ui::ModelsPage &page)
    {
        page.newItem();
        return waitForDialog<ui::UploadModelDialog>(&page);
    }
    void fill(ui::UploadModelDialog *d, const QString &id, const QString &folder)
    {
        d->findChild<QLineEdit *>(QStringLiteral("modelIdEdit"))->setText(id);
        d->findChild<QLineEdit *>(QStringLiteral("displayNameEdit"))->setText(id.toUpper());
        d->setFolder(folder);
    }
    //! Opens the upload dialog, fills it and clicks Upload; nullptr if any step fails.
    ui::UploadModelDialog *submitUpload(ui::ModelsPage &page, const QString &id,
                                        const QString &folder)
    {
        auto *d = openUpload(page);
        if (!d)
            return nullptr;
        fill(d, id, folder);
        return clickButton(d, QDialogButtonBox::Ok) ? d : nullptr;
    }
    //! A custom base model as the API takes it, with `displayName`.
    static client::Model baseModel(const QString &displayName = {})
    {
        client::Model m;
        m.kind = client::ModelKind::HfBaseModel;
        m.displayName = displayName;
        m.baseModelDetails = client::BaseModelDetails{};
        m.baseModelDetails->modelType = QStringLiteral("llama");
        return m;
    }

private Q_SLOTS:
    void upload_modelFolder_reachesReady()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeBaseFolder(folder.path());
        auto *d = openUpload(env.page);
        QVERIFY(d);
        fill(d, QStringLiteral("tiny-llama"), folder.path());
        auto *files = d->findChild<QTreeWidget *>(QStringLiteral("fileList"));
        QCOMPARE(files->topLevelItemCount(), 4);
        QVERIFY(d->findChild<QLabel *>(QStringLiteral("folderCheckLabel"))
                    ->text()
                    .contains(QStringLiteral("config.json")));
        // Copied commands: firectl with the folder, curl with the create body, never the key.
        QVERIFY(d->firectlCommand().startsWith(QStringLiteral("firectl create model tiny-llama ")));
        QVERIFY(d->curlCommand().contains(QStringLiteral("\"modelId\":\"tiny-llama\"")));
        QVERIFY(!d->curlCommand().contains(QStringLiteral("fw_local_sandbox_key")));
        QVERIFY(clickButton(d, QDialogButtonBox::Ok));
        const QString name = env.name(QStringLiteral("tiny-llama"));
        QTRY_VERIFY_WITH_TIMEOUT(env.page.model()->rowOfName(name) >= 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(env.state(name), client::ModelState::Ready, 20000);
        auto server = await(env.sb.api().models().get(QStringLiteral("tiny-llama")));
        FD_VERIFY_OK(server);
        QCOMPARE(server.value().state, client::ModelState::Ready);
        QCOMPARE(server.value().kind, client::ModelKind::HfBaseModel);
        QCOMPARE(env.page.selectedName(), name);
    }

    //! Issue 10 finding 14: a deployed model links its deployment, and Deploy… opens the
    //! deployment dialog with the model filled in.
    void deployedModel_linksItsDeployment_andDeployPrefillsTheDialog()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeBaseFolder(folder.path());
        QVERIFY(submitUpload(env.page, QStringLiteral("served-llama"), folder.path()));
        const QString name = env.name(QStringLiteral("served-llama"));
        QTRY_VERIFY_WITH_TIMEOUT(env.isReady(name), 20000);
        client::Deployment d = smallDeployment();
        d.baseModel = name;
        auto created = await(env.sb.api().deployments().create(QStringLiteral("serving-it"), d));
        FD_VERIFY_OK(created);

        // The user goes to another page (where deployments are made) and comes back.
        env.page.hide();
        env.page.show();
        QVERIFY(env.select(name));
        auto *links = env.page.findChild<QLabel *>(QStringLiteral("detailLinks"));
        QTRY_VERIFY2_WITH_TIMEOUT(
            links->text().contains(QStringLiteral("deployments|") + created.value().name),
            qPrintable(links->text()), 10000);
        QVERIFY(links->text().contains(QStringLiteral("Deployed on")));

        QAction *deploy = env.page.findChild<QAction *>(QStringLiteral("deployModel"));
        QVERIFY(deploy && deploy->isEnabled());
        QVERIFY(clickAction(deploy));
        auto *dialog = waitForDialog<ui::DeploymentDialog>(&env.page);
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QComboBox *>(QStringLiteral("baseModel"))->currentText(), name);
        dialog->reject();
    }

    // The custom models page: config.json, the weights (*.safetensors or *.bin) and the
    // tokenizer; a folder of the config and tokenizer alone went up and would fail to deploy.
    void upload_baseFolderWithoutWeights_isRefusedBeforeSending()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeBaseFolder(folder.path());
        QVERIFY(QFile::remove(folder.path() + QStringLiteral("/model.safetensors")));
        auto *d = openUpload(env.page);
        QVERIFY(d);
        fill(d, QStringLiteral("no-weights"), folder.path());
        const QString check = d->findChild<QLabel *>(QStringLiteral("folderCheckLabel"))->text();
        QVERIFY2(check.contains(QStringLiteral("The folder has config.json but no weights: a "
                                               "*.safetensors (or *.bin) file must be beside it")),
                 qPrintable(check));
        QVERIFY(!clickButton(d, QDialogButtonBox::Ok)); // Upload stays disabled

        // Weights as PyTorch's .bin do.
        writeFile(folder.path() + QStringLiteral("/pytorch_model.bin"), bytes(1024, 3));
        d->setFolder(QString());
        d->setFolder(folder.path());
        QVERIFY2(!d->findChild<QLabel *>(QStringLiteral("folderCheckLabel"))
                      ->text()
                      .contains(QStringLiteral("no weights")),
                 qPrintable(d->findChild<QLabel *>(QStringLiteral("folderCheckLabel"))->text()));
        d->close();
    }

    void upload_folderWithoutConfig_isRefusedBeforeSending()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeFile(folder.path() + QStringLiteral("/model.safetensors"), bytes(1024, 1));
        auto *d = openUpload(env.page);
        QVERIFY(d);
        fill(d, QStringLiteral("no-config"), folder.path());
        const QString check = d->findChild<QLabel *>(QStringLiteral("folderCheckLabel"))->text();
        QVERIFY2(check.contains(QStringLiteral("config.json")) &&
                     check.contains(QStringLiteral("adapter_config.json")),
                 qPrintable(check));
        QVERIFY(!clickButton(d, QDialogButtonBox::Ok)); // OK stays disabled

        // A config that is not JSON: named, with line and column.
        writeFile(folder.path() + QStringLiteral("/config.json"),
                  "{\n  \"model_type\": \"llama\"\n  \"x\": 1\n}");
        d->setFolder(QString());
        d->setFolder(folder.path());
        const QString bad = d->findChild<QLabel *>(QStringLiteral("folderCheckLabel"))->text();
        QVERIFY2(bad.contains(QStringLiteral("config.json")) &&
                     bad.contains(QStringLiteral("line 3")),
                 qPrintable(bad));
        QVERIFY(!clickButton(d, QDialogButtonBox::Ok));
        QVERIFY(QMetaObject::invokeMethod(d, "reject"));
        auto server = await(env.sb.api().models().get(QStringLiteral("no-config")));
        QVERIFY(!server.ok());
        QCOMPARE(server.error().kind, client::ApiError::Kind::NotFound);
    }

    //! Issue 10 finding 10: the LoRA's base is looked for among the user's own models first,
    //! and the dialog's look-ups (404s included) are background requests, never the user's
    //! last error; the base field offers the account's models.
    void upload_loraBase_prefersOwnModel_andLookUpsAreBackground()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        FD_VERIFY_OK(await(env.sb.api().models().create(QStringLiteral("llama-v3p1-8b-instruct"),
                                                        baseModel(QStringLiteral("My Llama")))));
        QList<bool> failures; // background flag of every failed request
        connect(env.sb.api().logging(), &client::LoggingTransport::requestFailed, this,
                [&failures](const client::ApiError &, bool background) { failures << background; });
        QTemporaryDir folder;
        writeFile(folder.path() + QStringLiteral("/adapter_config.json"),
                  R"({"base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct", "r": 8,
                      "target_modules": ["q_proj"], "peft_type": "LORA"})");
        writeFile(folder.path() + QStringLiteral("/adapter_model.safetensors"), bytes(1024, 3));
        auto *d = openUpload(env.page);
        QVERIFY(d);
        fill(d, QStringLiteral("own-base-lora"), folder.path());
        auto *base = d->findChild<QLineEdit *>(QStringLiteral("baseModelEdit"));
        QTRY_COMPARE(base->text(), env.name(QStringLiteral("llama-v3p1-8b-instruct")));
        QTRY_VERIFY(d->findChild<QLabel *>(QStringLiteral("baseModelHint"))
                        ->text()
                        .contains(QStringLiteral("My Llama")));
        const QStringList offered =
            base->completer()->model()->index(0, 0).isValid()
                ? QStringList{base->completer()->model()->index(0, 0).data().toString()}
                : QStringList{};
        QCOMPARE(offered, QStringList{env.name(QStringLiteral("llama-v3p1-8b-instruct"))});
        QVERIFY(QMetaObject::invokeMethod(d, "reject"));

        // A base found nowhere: two 404s, both background, and a hint that says so.
        writeFile(folder.path() + QStringLiteral("/adapter_config.json"),
                  R"({"base_model_name_or_path": "acme/unknown-model-7b", "r": 8,
                      "target_modules": ["q_proj"], "peft_type": "LORA"})");
        d = openUpload(env.page);
        QVERIFY(d);
        fill(d, QStringLiteral("nowhere-lora"), folder.path());
        QTRY_VERIFY(d->findChild<QLabel *>(QStringLiteral("baseModelHint"))
                        ->text()
                        .contains(QStringLiteral("matches none")));
        QVERIFY(failures.size() >= 2);
        QVERIFY2(!failures.contains(false), "a look-up failure counted as the user's error");
        QVERIFY(QMetaObject::invokeMethod(d, "reject"));
    }

    void upload_loraFolder_becomesPeftAddonWithBase()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeFile(folder.path() + QStringLiteral("/adapter_config.json"),
                  R"({"base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct", "r": 8,
                      "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"], "peft_type": "LORA"})");
        writeFile(folder.path() + QStringLiteral("/adapter_model.safetensors"), bytes(8 * 1024, 3));
        auto *d = openUpload(env.page);
        QVERIFY(d);
        fill(d, QStringLiteral("my-lora"), folder.path());
        auto *base = d->findChild<QLineEdit *>(QStringLiteral("baseModelEdit"));
        QVERIFY(base->isVisible());
        const QString expected = QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct");
        QTRY_COMPARE(base->text(), expected);
        QTRY_VERIFY(d->findChild<QLabel *>(QStringLiteral("baseModelHint"))
                        ->text()
                        .contains(QStringLiteral("Llama 3.1 8B Instruct")));
        QVERIFY(d->firectlCommand().contains(QStringLiteral("--base-model ") + expected));
        QVERIFY(clickButton(d, QDialogButtonBox::Ok));
        const QString name = env.name(QStringLiteral("my-lora"));
        QTRY_VERIFY_WITH_TIMEOUT(env.isReady(name), 20000);
        const client::Model &m = env.page.model()->item(env.page.model()->rowOfName(name));
        QCOMPARE(m.kind, client::ModelKind::HfPeftAddon);
        QVERIFY(m.peftDetails);
        QCOMPARE(m.peftDetails->baseModel, expected);
        // The detail pane links the base model.
        QVERIFY(env.select(name));
        QTRY_VERIFY(env.page.findChild<QLabel *>(QStringLiteral("detailLinks"))
                        ->text()
                        .contains(QStringLiteral("models|") + expected));
    }

    void upload_failedPut_staysUploadingAndResumes()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeBaseFolder(folder.path());
        env.sb.addFault(
            R"({"path": "^/signed/", "method": "PUT", "kind": "status", "status": 403, "count": 1})");
        auto *d = submitUpload(env.page, QStringLiteral("flaky"), folder.path());
        QVERIFY(d);
        auto *banner = d->findChild<QWidget *>(QStringLiteral("errorBanner"));
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
        const QString name = env.name(QStringLiteral("flaky"));
        QTRY_VERIFY(env.page.model()->rowOfName(name) >= 0);
        QCOMPARE(env.state(name), client::ModelState::Uploading);
        QVERIFY(QMetaObject::invokeMethod(d, "reject"));
        QTRY_VERIFY(!d->isVisible() || d->isHidden());

        // Later (the fault hit one PUT only): Resume upload… on the UPLOADING row.
        QVERIFY(env.select(name));
        QAction *resume = actionStartingWith(&env.page, QStringLiteral("Resume upload"));
        QVERIFY(resume && resume->isEnabled());
        QVERIFY(clickAction(resume));
        ui::UploadModelDialog *again = nullptr;
        QTRY_VERIFY((again = [&]() -> ui::UploadModelDialog * {
            for (auto *c : env.page.findChildren<ui::UploadModelDialog *>())
                if (c->isVisible() && c != d)
                    return c;
            return nullptr;
        }()));
        QVERIFY(again->findChild<QLineEdit *>(QStringLiteral("modelIdEdit"))->isReadOnly());
        again->setFolder(folder.path());
        QVERIFY(clickButton(again, QDialogButtonBox::Ok));
        QTRY_COMPARE_WITH_TIMEOUT(env.state(name), client::ModelState::Ready, 20000);
    }

    void edit_displayName_updatesRowAndServer()
    {
        Env env;
        FD_VERIFY_OK(await(env.sb.api().models().create(QStringLiteral("editable"),
                                                        baseModel(QStringLiteral("Before")))));
        env.page.reload();
        const QString name = env.name(QStringLiteral("editable"));
        QVERIFY(env.select(name));
        QVERIFY(clickAction(actionStartingWith(&env.page, QStringLiteral("Edit"))));
        auto *d = waitForDialog<ui::EditModelDialog>(&env.page);
        QVERIFY(d);
        d->findChild<QLineEdit *>(QStringLiteral("displayNameEdit"))
            ->setText(QStringLiteral("After"));
        // The copy row states the same edit: only the changed field, in firectl and curl.
        QVERIFY(click(d->findChild<QPushButton *>(QStringLiteral("copyFirectl"))));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("firectl update model %1 --display-name=After").arg(name));
        // What was copied is said in full, even in this narrow dialog (it was cut after
        // "Copied the firectl co").
        auto *copied = d->findChild<QLabel *>(QStringLiteral("copiedStatus"));
        QCOMPARE(copied->text(), QStringLiteral("Copied the firectl command."));
        QTRY_VERIFY2(copied->width() >= copied->minimumSizeHint().width() &&
                         copied->height() >= copied->heightForWidth(copied->width()),
                     qPrintable(QStringLiteral("%1x%2 for \"%3\"")
                                    .arg(copied->width())
                                    .arg(copied->height())
                                    .arg(copied->text())));
        QVERIFY2(copied->wordWrap() ||
                     copied->width() >= copied->fontMetrics().horizontalAdvance(copied->text()),
                 qPrintable(QString::number(copied->width())));
        QVERIFY(click(d->findChild<QPushButton *>(QStringLiteral("copyCurl"))));
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.contains(QStringLiteral("-X PATCH")) &&
                     curl.contains(QStringLiteral("/v1/") + name +
                                   QStringLiteral("?updateMask=displayName")),
                 qPrintable(curl));
        QVERIFY2(!curl.contains(QStringLiteral("description")), qPrintable(curl));
        QVERIFY(clickButton(d, QDialogButtonBox::Ok));
        QTRY_COMPARE(env.page.model()->item(env.page.model()->rowOfName(name)).displayName,
                     QStringLiteral("After"));
        auto server = await(env.sb.api().models().get(name));
        FD_VERIFY_OK(server);
        QCOMPARE(server.value().displayName, QStringLiteral("After"));
    }

    void delete_confirmed_removesModel()
    {
        Env env;
        FD_VERIFY_OK(await(env.sb.api().models().create(QStringLiteral("doomed"), baseModel())));
        env.page.reload();
        const QString name = env.name(QStringLiteral("doomed"));
        QVERIFY(env.select(name));
        env.page.deleteSelected();
        auto *box = waitForDialog<QMessageBox>(&env.page);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("confirmation"));
        QVERIFY(box->text().contains(QStringLiteral("doomed")));
        QVERIFY(click(box->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QTRY_COMPARE(env.page.model()->rowOfName(name), -1);
        auto server = await(env.sb.api().models().get(name));
        QVERIFY(!server.ok());
        QCOMPARE(server.error().kind, client::ApiError::Kind::NotFound);
    }

    void download_toFolder_matchesBytes()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeBaseFolder(folder.path());
        auto *d = submitUpload(env.page, QStringLiteral("fetch-me"), folder.path());
        QVERIFY(d);
        const QString name = env.name(QStringLiteral("fetch-me"));
        QTRY_VERIFY_WITH_TIMEOUT(env.isReady(name), 20000);
        QVERIFY(env.select(name));
        QAction *download = actionStartingWith(&env.page, QStringLiteral("Download"));
        QTRY_VERIFY(download->isEnabled());
        QVERIFY(clickAction(download));
        auto *dd = waitForDialog<ui::DownloadDialog>(&env.page);
        QVERIFY(dd);
        QTemporaryDir target;
        dd->setFolder(target.path() + QStringLiteral("/out"));
        QVERIFY(clickButton(dd, QDialogButtonBox::Ok));
        auto *total = dd->findChild<QProgressBar *>(QStringLiteral("totalProgress"));
        QTRY_VERIFY_WITH_TIMEOUT(total->maximum() == 4 && total->value() == 4, 20000);
        for (const QString &file : QDir(folder.path()).entryList(QDir::Files)) {
            QFile a(folder.filePath(file)), b(target.path() + QStringLiteral("/out/") + file);
            QVERIFY(a.open(QIODevice::ReadOnly));
            QVERIFY2(b.open(QIODevice::ReadOnly), qPrintable(file));
            QCOMPARE(b.readAll(), a.readAll());
        }
        // Again into the same folder: refused, nothing replaced, until the user says so.
        QVERIFY(clickButton(dd, QDialogButtonBox::Ok));
        auto *banner = dd->findChild<widgets::ErrorBanner *>(QStringLiteral("errorBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->message().contains(QStringLiteral("already has")),
                 qPrintable(banner->message()));
    }

    void source_catalog_listsPublicModels()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        auto *combo = env.page.findChild<QComboBox *>(QStringLiteral("sourceCombo"));
        QVERIFY(combo);
        combo->setCurrentIndex(1);
        QCOMPARE(env.page.source(), ui::ModelsPage::Source::Catalog);
        QCOMPARE(env.page.model()->account(), QStringLiteral("fireworks"));
        QTRY_VERIFY(env.page.isLoaded());
        QTRY_VERIFY(env.page.model()->rowOfName(
                        QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct")) >= 0);
        QVERIFY(!actionStartingWith(&env.page, QStringLiteral("Upload model"))->isEnabled());
        combo->setCurrentIndex(0);
        QTRY_VERIFY(env.page.isLoaded());
        QCOMPARE(env.page.model()->account(), QString());

        // A LoRA's base-model link names a catalog model: the page switches source to show it.
        const QString base = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        env.page.showResource(base);
        QCOMPARE(env.page.source(), ui::ModelsPage::Source::Catalog);
        QTRY_COMPARE(env.page.selectedName(), base);
    }

    void upload_cancelled_keepsInputAndRowUploading()
    {
        Env env;
        QTRY_VERIFY(env.page.isLoaded());
        QTemporaryDir folder;
        writeBaseFolder(folder.path());
        // Slow PUTs so that Cancel lands while files are in flight.
        env.sb.addFault(
            R"({"path": "^/signed/", "method": "PUT", "kind": "latency", "latencyMs": 3000, "count": 1})");
        auto *d = submitUpload(env.page, QStringLiteral("cancelled"), folder.path());
        QVERIFY(d);
        auto *stage = d->findChild<QLabel *>(QStringLiteral("stageLabel"));
        QTRY_VERIFY(stage->text().contains(QStringLiteral("Uploading")));
        QVERIFY(clickButton(d, QDialogButtonBox::Cancel)); // Cancel aborts, the dialog stays
        auto *banner = d->findChild<widgets::ErrorBanner *>(QStringLiteral("errorBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->message().contains(QStringLiteral("cancelled")),
                 qPrintable(banner->message()));
        QVERIFY(d->isVisible());
        QCOMPARE(d->findChild<QLineEdit *>(QStringLiteral("modelIdEdit"))->text(),
                 QStringLiteral("cancelled"));
        const QString name = env.name(QStringLiteral("cancelled"));
        QTRY_VERIFY(env.page.model()->rowOfName(name) >= 0);
        QCOMPARE(env.state(name), client::ModelState::Uploading);
    }
    void fineTunedModel_showsJobNameWithCopyAndBaseLink()
    {
        Env env;
        QTemporaryDir dir;
        QByteArray rows;
        for (int i = 0; i < 20; ++i)
            rows += QStringLiteral(R"({"messages": [{"role": "user", "content": "q%1"}, )"
                                   R"({"role": "assistant", "content": "a%1"}]})"
                                   "\n")
                        .arg(i)
                        .toUtf8();
        writeFile(dir.filePath(QStringLiteral("t.jsonl")), rows);
        client::Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(env.sb.api().datasets().create(QStringLiteral("train"), d)));
        FD_VERIFY_OK(await(env.sb.api().datasets().upload(
            QStringLiteral("train"), dir.filePath(QStringLiteral("t.jsonl")))));
        client::TrainingJob job;
        job.dataset = QStringLiteral("accounts/%1/datasets/train").arg(env.sb.api().accountId());
        job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        job.epochs = 1;
        FD_VERIFY_OK(await(env.sb.api().sftJobs().create(QStringLiteral("tuned"), job)));
        QVERIFY(QTest::qWaitFor(
            [&] { return await(env.sb.api().models().get(QStringLiteral("tuned"))).ok(); }, 30000));
        env.page.reload();
        const QString name = env.name(QStringLiteral("tuned"));
        QVERIFY(env.select(name));
        auto *label = env.page.findChild<QLabel *>(QStringLiteral("fineTuningJobLabel"));
        const QString jobName = QStringLiteral("accounts/%1/supervisedFineTuningJobs/tuned")
                                    .arg(env.sb.api().accountId());
        QVERIFY(label->isVisible());
        QVERIFY(label->text().contains(jobName));
        QVERIFY(click(env.page.findChild<QPushButton *>(QStringLiteral("copyJobButton"))));
        QCOMPARE(QApplication::clipboard()->text(), jobName);
        QVERIFY(env.page.findChild<QLabel *>(QStringLiteral("detailLinks"))
                    ->text()
                    .contains(QStringLiteral("models|accounts/fireworks/models/qwen3-0p6b")));
    }
};

QTEST_MAIN(tst_ModelsPage)
#include "tst_modelspage.moc"
