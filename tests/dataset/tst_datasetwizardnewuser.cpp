// The dataset wizard as a new user meets it with their own files: a spreadsheet's CSV whose
// header says question/answer (the columns offered and guessed, a wrong name refused with the
// header's columns), a folder picked instead of a file, a CSV problem opened to its whole row,
// Escape that would throw the checks away (asked first), and Cancel while Fix & split writes a
// large file.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>

#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/resourcenames.h>

#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"
#include "longchatfile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {

bool next(QWizard &wizard)
{
    return testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    return path;
}

// "CSV UTF-8" from a spreadsheet: BOM, CRLF, question/answer, a quoted three-line answer
// (lines 3-5), an empty row, a row typed short (line 7), the last row twice.
const QByteArray kSheet = "\xEF\xBB\xBF"
                          "question,answer,notes\r\n"
                          "What is 2+2?,4,easy\r\n"
                          "\"Write a haiku\",\"Soft rain on the roof\r\n"
                          "the gutters hum\r\n"
                          "sleep comes\",poem\r\n"
                          ",,\r\n"
                          "Only a question here\r\n"
                          "\"Name three colours\",\"Red, green, blue\",\r\n"
                          "Capital of France?,Paris,\r\n"
                          "Capital of France?,Paris,\r\n";

//! The file typed into the File field, as a person without the file dialog does.
QLineEdit *fileField(ui::DatasetWizard &wizard)
{
    for (auto *label : wizard.sourcePage()->findChildren<QLabel *>())
        if (label->text() == QStringLiteral("&File:"))
            return qobject_cast<QLineEdit *>(label->buddy());
    return nullptr;
}

//! Three short chats, one a line.
const QByteArray kThreeChats =
    QByteArray(R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})"
               "\n")
        .repeated(3);

//! Shows the wizard on `source`, as the Datasets page opens it for a file; false when it was
//! never exposed.
bool showWith(ui::DatasetWizard &wizard, const QString &source)
{
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return false;
    wizard.setSourceFile(source);
    return true;
}

QMessageBox *visibleConfirmation(QWidget *parent)
{
    return testing::waitForDialog<QMessageBox>(parent, 2000);
}

} // namespace

class TestDatasetWizardNewUser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvHeaderColumnsAreOfferedAndGuessed()
    {
        QTemporaryDir dir;
        const QString sheet = write(dir, QStringLiteral("sheet.csv"), kSheet);
        ui::DatasetWizard wizard(nullptr);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QLineEdit *file = fileField(wizard);
        QVERIFY(file);
        QTest::mouseClick(file, Qt::LeftButton);
        QTest::keyClicks(file, sheet);
        auto *prompt =
            wizard.sourcePage()->findChild<QComboBox *>(QStringLiteral("csvPromptColumn"));
        auto *completion =
            wizard.sourcePage()->findChild<QComboBox *>(QStringLiteral("csvCompletionColumn"));
        QVERIFY(prompt && completion);
        // The header's columns to pick from, the likely ones chosen; the hint names them all.
        QCOMPARE(prompt->count(), 3);
        QCOMPARE(prompt->itemText(2), QStringLiteral("notes"));
        QCOMPARE(prompt->currentText(), QStringLiteral("question"));
        QCOMPARE(completion->currentText(), QStringLiteral("answer"));
        QVERIFY2(wizard.sourcePage()->hintLabel()->text().contains(
                     QStringLiteral("Its columns: question, answer, notes")),
                 qPrintable(wizard.sourcePage()->hintLabel()->text()));

        // A name the header does not have: Next stays on Source and says which columns exist.
        completion->lineEdit()->selectAll();
        QTest::keyClicks(completion->lineEdit(), QStringLiteral("reply"));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::SourceId));
        QCOMPARE(wizard.sourcePage()->hintLabel()->text(),
                 QStringLiteral("The CSV header has no column \"reply\". Its columns: question, "
                                "answer, notes."));

        // Picked from the list: on to Format, the rows read through the header's names.
        completion->setCurrentIndex(completion->findText(QStringLiteral("answer")));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FormatId));
        QCOMPARE(wizard.state().csv.prompt, std::string("question"));
        QCOMPARE(wizard.state().csv.completion, std::string("answer"));
        QCOMPARE(wizard.formatPage()->chosenFormat(), dataset::Format::SftChat);
    }

    void aFolderIsNotAFile()
    {
        QTemporaryDir dir;
        ui::DatasetWizard wizard(nullptr);
        QVERIFY(showWith(wizard, dir.path()));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        QCOMPARE(wizard.sourcePage()->hintLabel()->text(),
                 QStringLiteral("%1 is a folder. Pick the training file in it (JSONL, JSON or "
                                "CSV).")
                     .arg(QDir::toNativeSeparators(dir.path())));
    }

    void csvProblemOpensItsWholeRowAndNoBomError()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString sheet = write(dir, QStringLiteral("sheet.csv"), kSheet);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, sheet));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        auto *validation = wizard.validationPage();
        QTRY_VERIFY_WITH_TIMEOUT(validation->isComplete(), 10000);
        const dataset::Report &report = *wizard.state().report;
        // The spreadsheet's BOM goes with the conversion; the short row is the one error.
        QCOMPARE(report.train.count(dataset::Rule::Bom), uint64_t(0));
        QCOMPARE(report.train.errors, uint64_t(1));
        QCOMPARE(report.train.count(dataset::Rule::CsvColumns), uint64_t(1));

        // A CSV never goes up as it is.
        QVERIFY2(validation->summaryLabel()->text().endsWith(
                     QStringLiteral("The platform would refuse some rows: Fix & split writes the "
                                    "others as JSONL, the one format it reads.")),
                 qPrintable(validation->summaryLabel()->text()));

        QTableView *view = validation->problemView();
        QAbstractItemModel *model = view->model();
        // One file: a File column saying "train" on every row would say nothing.
        QVERIFY(view->isColumnHidden(ui::DatasetProblemModel::FileColumn));
        int shortRow = -1, haikuRow = -1;
        for (int r = 0; r < model->rowCount(); ++r) {
            const QString rule =
                model->index(r, ui::DatasetProblemModel::RuleColumn).data().toString();
            const int line = model->index(r, ui::DatasetProblemModel::LineColumn).data().toInt();
            if (rule == QStringLiteral("csv-columns"))
                shortRow = r;
            if (line == 3)
                haikuRow = r;
        }
        QVERIFY(shortRow >= 0);
        QVERIFY2(
            model->index(shortRow, ui::DatasetProblemModel::MessageColumn)
                .data()
                .toString()
                .contains(QStringLiteral("'answer' column")),
            qPrintable(
                model->index(shortRow, ui::DatasetProblemModel::MessageColumn).data().toString()));
        // Line 7 of the file; the haiku's line breaks make it row 5 of the spreadsheet.
        QCOMPARE(model->index(shortRow, ui::DatasetProblemModel::LineColumn).data().toString(),
                 QStringLiteral("7 (row 5)"));
        // The quoted three-line answer ends with a CRLF inside quotes: no problem there.
        QCOMPARE(haikuRow, -1);

        // Enter on the row opens it: the file and line in the title, the row's text.
        QVERIFY(testing::clickRow(view, shortRow, ui::DatasetProblemModel::MessageColumn));
        QTest::keyClick(view, Qt::Key_Return);
        auto *dialog = testing::waitForDialog<QDialog>(validation);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("sheet.csv, line 7 (row 5)"));
        auto *text = dialog->findChild<QPlainTextEdit *>();
        QVERIFY(text);
        QCOMPARE(text->toPlainText(), QStringLiteral("Only a question here"));
        dialog->close();
    }

    void anotherSourceDoesNotUploadTheFilesOfTheFirst()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QByteArray rows =
            QByteArray(
                R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})"
                "\n") +
            R"({"messages":[{"role":"user","content":"c"},{"role":"assistant","content":"d"}]})"
            "\n" +
            R"({"messages":[{"role":"user","content":"e"},{"role":"assistant","content":"f"}]})"
            "\n";
        const QString first = write(dir, QStringLiteral("first.jsonl"), rows);
        const QString second = write(dir, QStringLiteral("second.jsonl"), rows);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, first));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard)); // Tokens
        QVERIFY(next(wizard)); // Fix & split
        auto *fix = wizard.fixPage();
        QPushButton *writeButton = nullptr;
        for (auto *b : fix->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Write files"))
                writeButton = b;
        QVERIFY(writeButton && testing::click(writeButton));
        QTRY_VERIFY_WITH_TIMEOUT(!fix->isRunning() && !wizard.state().cleanedPath.isEmpty(), 10000);
        QVERIFY(next(wizard)); // Upload: first.clean.jsonl offered, ID "first"
        QCOMPARE(wizard.uploadPage()->fileCombo()->currentData().toString(),
                 dir.filePath(QStringLiteral("first.clean.jsonl")));

        // Back to Source, the other file: its own name everywhere, first's copy not offered.
        for (int i = 0; i < 5; ++i)
            wizard.back();
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::SourceId));
        wizard.setSourceFile(second);
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(fix->resultLabel()->text().isEmpty());
        QVERIFY(next(wizard));
        QComboBox *files = wizard.uploadPage()->fileCombo();
        QCOMPARE(files->count(), 1);
        QCOMPARE(files->currentData().toString(), second);
        QLineEdit *id = nullptr;
        for (auto *e : wizard.uploadPage()->findChildren<QLineEdit *>())
            if (e->text() == QStringLiteral("second"))
                id = e;
        QVERIFY2(id, "the dataset ID is named after second.jsonl");
    }

    void csvMustBeWrittenBeforeUpload()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString sheet = write(dir, QStringLiteral("sheet.csv"), kSheet);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, sheet));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard)); // Tokens
        QVERIFY(next(wizard)); // Fix & split
        auto *fix = wizard.fixPage();
        // Nothing the platform reads yet: Next waits for Write files, and the step says so.
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        QVERIFY2(fix->subTitle().startsWith(QStringLiteral("The platform reads only JSONL")),
                 qPrintable(fix->subTitle()));
        // Enter in the file name writes the files: the step's one action while Next is off.
        QLineEdit *out = nullptr;
        for (auto *label : fix->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&Cleaned copy:"))
                out = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(out);
        QTest::mouseClick(out, Qt::LeftButton);
        QTest::keyClick(out, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::NextButton)->isEnabled(), 10000);
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FixId));
        // 6 rows (the empty one is no record): the short one and the second copy dropped,
        // "1 duplicate" in the singular.
        QVERIFY2(fix->resultLabel()->text().startsWith(
                     QStringLiteral("Kept 4 of 6 rows; dropped 1 with errors, 1 duplicate,")),
                 qPrintable(fix->resultLabel()->text()));
        // In the spreadsheet's words, as the Format and Validation steps.
        bool dropRows = false;
        for (auto *box : fix->findChildren<QCheckBox *>())
            dropRows = dropRows || box->text() == QStringLiteral("Drop rows with &errors");
        QVERIFY(dropRows);
        QVERIFY(next(wizard));
        QCOMPARE(wizard.uploadPage()->fileCombo()->currentData().toString(),
                 dir.filePath(QStringLiteral("sheet.clean.jsonl")));
    }

    void everyStepHasOneKeyPerMnemonic()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = write(dir, QStringLiteral("chat.jsonl"), kThreeChats);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        for (;;) {
            QWizardPage *page = wizard.currentPage();
            // Alt+letter of every button and labelled field shown, the wizard's own included:
            // two on one step and Alt+B reaches Browse instead of Back.
            QMap<QKeySequence, QString> seen;
            QStringList clashes;
            auto add = [&](const QString &text) {
                const QKeySequence key = QKeySequence::mnemonic(text);
                if (key.isEmpty())
                    return;
                if (seen.contains(key))
                    clashes << QStringLiteral("%1 and %2").arg(seen.value(key), text);
                seen.insert(key, text);
            };
            for (auto which : {QWizard::BackButton, QWizard::NextButton, QWizard::FinishButton,
                               QWizard::CancelButton})
                if (QAbstractButton *b = wizard.button(which); b && b->isVisible())
                    add(b->text());
            for (QAbstractButton *b : page->findChildren<QAbstractButton *>())
                if (b->isVisible())
                    add(b->text());
            for (QLabel *l : page->findChildren<QLabel *>())
                if (l->isVisible() && l->buddy())
                    add(l->text());
            QVERIFY2(clashes.isEmpty(), qPrintable(page->title() + QStringLiteral(": ") +
                                                   clashes.join(QStringLiteral("; "))));
            if (wizard.currentId() == ui::DatasetWizard::ValidationId)
                QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
            if (wizard.currentId() == ui::DatasetWizard::UploadId)
                break;
            QVERIFY(next(wizard));
        }
    }

    void theEvalFileGoesUpAsTheEvaluationDataset()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        QByteArray train, eval;
        // 1,200 train rows: the platform's count is shown grouped as every other figure.
        for (int i = 0; i < 1203; ++i)
            (i < 1200 ? train : eval) +=
                QStringLiteral(R"({"messages":[{"role":"user","content":"q%1"},)"
                               R"({"role":"assistant","content":"a%1"}]})"
                               "\n")
                    .arg(i)
                    .toUtf8();
        const QString trainPath = write(dir, QStringLiteral("support.jsonl"), train);
        const QString evalPath = write(dir, QStringLiteral("support-eval.jsonl"), eval);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, trainPath));
        QLineEdit *evalField = nullptr;
        for (auto *label : wizard.sourcePage()->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("&Eval file:"))
                evalField = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(evalField);
        QTest::mouseClick(evalField, Qt::LeftButton);
        QTest::keyClicks(evalField, evalPath);
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        // Two files: which one a problem is in is shown.
        QVERIFY(!wizard.validationPage()->problemView()->isColumnHidden(
            ui::DatasetProblemModel::FileColumn));
        QVERIFY(next(wizard)); // Tokens
        QVERIFY(next(wizard)); // Fix & split, nothing to fix
        QVERIFY(next(wizard)); // Upload: the source as it is, with its eval file
        auto *upload = wizard.uploadPage();
        QCOMPARE(upload->fileCombo()->currentData().toString(), trainPath);
        QVERIFY2(upload->fileCombo()->currentText().endsWith(
                     QStringLiteral(", with the eval file support-eval.jsonl")),
                 qPrintable(upload->fileCombo()->currentText()));
        QCOMPARE(upload->evalUploadPath(), evalPath);
        bool evalIdShown = false;
        for (auto *label : upload->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("E&val dataset ID:"))
                evalIdShown = label->isVisible() && label->buddy()->isVisible();
        QVERIFY(evalIdShown);
        QPushButton *button = nullptr;
        for (auto *b : upload->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Upload"))
                button = b;
        QVERIFY(button && button->isEnabled());
        QVERIFY(testing::click(button));
        QTRY_VERIFY2_WITH_TIMEOUT(upload->isComplete(), qPrintable(upload->stageLabel()->text()),
                                  20000);
        QCOMPARE(upload->dataset().exampleCount, 1200);
        const QString results =
            upload->findChild<QLabel *>(QStringLiteral("uploadResults"))->text();
        QVERIFY2(results.contains(QStringLiteral("support (train): READY with 1,200 examples")),
                 qPrintable(results));
        QCOMPARE(upload->evalDataset().state, client::DatasetState::Ready);
        QCOMPARE(upload->evalDataset().exampleCount, 3);
        QCOMPARE(client::resourceId(upload->evalDataset().name), QStringLiteral("support-eval"));
    }

    void enterAfterTypingTheIdUploadsThenFinishes()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = write(dir, QStringLiteral("chat.jsonl"), kThreeChats);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard)); // Tokens
        QVERIFY(next(wizard)); // Fix & split
        QVERIFY(next(wizard)); // Upload
        auto *upload = wizard.uploadPage();
        QLineEdit *id = nullptr;
        for (auto *label : upload->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("Dataset &ID:"))
                id = qobject_cast<QLineEdit *>(label->buddy());
        QVERIFY(id);
        // No eval file, no split: no eval dataset ID to read as a second dataset.
        for (auto *label : upload->findChildren<QLabel *>())
            if (label->text() == QStringLiteral("E&val dataset ID:"))
                QVERIFY(!label->isVisible() && !label->buddy()->isVisible());
        // Before the upload the bar says 0 %, as on the other steps, not an empty field.
        auto *bar = upload->findChild<QProgressBar *>();
        QVERIFY(bar);
        QCOMPARE(bar->text(), QStringLiteral("0%"));
        QTest::mouseClick(id, Qt::LeftButton);
        QTest::keyClick(id, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(id, QStringLiteral("my-chats"));
        QTest::keyClick(id, Qt::Key_Return);
        QTRY_VERIFY2_WITH_TIMEOUT(upload->isComplete(), qPrintable(upload->stageLabel()->text()),
                                  20000);
        QCOMPARE(client::resourceId(upload->dataset().name), QStringLiteral("my-chats"));
        QVERIFY(wizard.isVisible());
        // READY: Enter is Finish now.
        QTest::keyClick(id, Qt::Key_Return);
        QTRY_VERIFY(!wizard.isVisible());
        QCOMPARE(wizard.result(), int(QDialog::Accepted));
    }

    void everyExampleRefusedIsNotToldToDropThem()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        // Not one line has messages (nor prompt and completion): dropping the invalid lines in
        // Fix & split would leave an empty file.
        const QString source = write(dir, QStringLiteral("notes.jsonl"),
                                     QByteArray(R"({"text": "a"})"
                                                "\n")
                                         .repeated(3));
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        const QString summary = wizard.validationPage()->summaryLabel()->text();
        QVERIFY2(summary.endsWith(QStringLiteral(
                     "Every example has an error the platform refuses, so dropping them would "
                     "leave nothing: correct the file (the first problem says what is wrong).")),
                 qPrintable(summary));
        QVERIFY2(!summary.contains(QStringLiteral("drop the invalid lines")), qPrintable(summary));
    }

    void aBlankLineShowsThatItIsEmpty()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source =
            write(dir, QStringLiteral("gap.jsonl"), kThreeChats + QByteArray("  \n") + kThreeChats);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        auto *validation = wizard.validationPage();
        QTRY_VERIFY_WITH_TIMEOUT(validation->isComplete(), 10000);
        QTableView *view = validation->problemView();
        int blank = -1;
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->index(r, ui::DatasetProblemModel::RuleColumn).data().toString() ==
                QStringLiteral("blank-line"))
                blank = r;
        QVERIFY(blank >= 0);
        QVERIFY(testing::clickRow(view, blank, ui::DatasetProblemModel::MessageColumn));
        QTest::keyClick(view, Qt::Key_Return);
        auto *dialog = testing::waitForDialog<QDialog>(validation);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("gap.jsonl, line 4"));
        auto *text = dialog->findChild<QPlainTextEdit *>();
        QVERIFY(text);
        QCOMPARE(text->toPlainText(), QString());
        QVERIFY2(text->placeholderText().startsWith(QStringLiteral("The line is empty")),
                 qPrintable(text->placeholderText()));
        dialog->close();
    }

    void aFileWithoutProblemsSaysSoInsteadOfAnEmptyTable()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        QByteArray rows;
        for (int i = 0; i < 3; ++i)
            rows += QStringLiteral(R"({"messages":[{"role":"user","content":"q%1"},)"
                                   R"({"role":"assistant","content":"a%1"}]})"
                                   "\n")
                        .arg(i)
                        .toUtf8();
        const QString source = write(dir, QStringLiteral("fine.jsonl"), rows);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        auto *validation = wizard.validationPage();
        QTRY_VERIFY_WITH_TIMEOUT(validation->isComplete(), 10000);
        auto *none = validation->findChild<QLabel *>(QStringLiteral("noProblems"));
        QVERIFY(none);
        QVERIFY(none->isVisible());
        QCOMPARE(none->text(),
                 QStringLiteral("No problem in fine.jsonl: no error, no warning, no duplicate."));
        QVERIFY(!validation->problemView()->isVisible());
        QVERIFY(!validation->filterEdit()->isEnabled());

        // Another file with problems: the table again.
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        wizard.setSourceFile(write(dir, QStringLiteral("three.jsonl"), kThreeChats));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(validation->isComplete(), 10000);
        QVERIFY(!none->isVisible());
        QVERIFY(validation->problemView()->isVisible());
        QVERIFY(validation->filterEdit()->isEnabled());
    }

    void escapeAsksBeforeThrowingTheChecksAway()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = write(dir, QStringLiteral("chat.jsonl"), kThreeChats);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);

        // Escape: asked, Cancel the default; Enter (or Escape) keeps the wizard and its step.
        QTest::keyClick(&wizard, Qt::Key_Escape);
        QMessageBox *box = visibleConfirmation(&wizard);
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("Close the dataset wizard")));
        // Nothing was counted: only the checks are lost.
        QVERIFY2(
            box->informativeText().startsWith(QStringLiteral("The checks of chat.jsonl are lost.")),
            qPrintable(box->informativeText()));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QTest::keyClick(box, Qt::Key_Return);
        QTRY_VERIFY(!box->isVisible());
        QVERIFY(wizard.isVisible());
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::ValidationId));
        QVERIFY(wizard.state().report.has_value());

        // Confirmed: closed.
        QTest::keyClick(&wizard, Qt::Key_Escape);
        box = visibleConfirmation(&wizard);
        QVERIFY(box);
        auto *confirm = box->findChild<QPushButton *>(QStringLiteral("confirmButton"));
        QVERIFY(confirm);
        QVERIFY(testing::click(confirm));
        QTRY_VERIFY(!wizard.isVisible());
        QCOMPARE(wizard.result(), int(QDialog::Rejected));
    }

    void escapeOnTheSourceStepClosesAtOnce()
    {
        ui::DatasetWizard wizard(nullptr);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QTest::keyClick(&wizard, Qt::Key_Escape);
        QTRY_VERIFY(!wizard.isVisible());
        QVERIFY(!wizard.findChild<QMessageBox *>());
    }

    void cancelWhileFixAndSplitWrites()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("big.jsonl"));
        QVERIFY(datasettest::writeLongChatFile(source));
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, source));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 60000);
        QVERIFY(next(wizard)); // Tokens, not counted
        QVERIFY(next(wizard)); // Fix & split
        auto *fix = wizard.fixPage();
        QPushButton *writeButton = nullptr;
        for (auto *b : fix->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Write files"))
                writeButton = b;
        auto *cancel = fix->findChild<QPushButton *>(QStringLiteral("cancelWrite"));
        QVERIFY(writeButton && cancel);
        QVERIFY(!cancel->isEnabled());
        QVERIFY(testing::click(writeButton));
        QVERIFY(cancel->isEnabled());
        // A JSONL source may skip this step, but not while its files are being written.
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        QVERIFY(testing::click(cancel));
        QTRY_COMPARE_WITH_TIMEOUT(fix->resultLabel()->text(),
                                  QStringLiteral("Cancelled; no file was written."), 30000);
        QVERIFY(!cancel->isEnabled());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("big.jsonl")});
    }
};

QTEST_MAIN(TestDatasetWizardNewUser)
#include "tst_datasetwizardnewuser.moc"
