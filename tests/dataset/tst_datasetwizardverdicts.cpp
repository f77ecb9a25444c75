// What the dataset wizard tells a new user about the kind of file it took and the verdict it
// gives: a file that mixes chat examples and prompt-only rows (the Format step says which kind
// the wizard took it for and why; the Upload step warns before the source goes up with its
// errors, and names the kind the platform recorded when it differs), and files the platform
// refuses as a whole (empty, a byte order mark, too few examples), where "drop the invalid
// lines" would not help.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>

#include <client/apiclient.h>
#include <client/datasets.h>

#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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

QByteArray chats(int n)
{
    QByteArray rows;
    for (int i = 0; i < n; ++i)
        rows += QStringLiteral(R"({"messages":[{"role":"user","content":"question %1"},)"
                               R"({"role":"assistant","content":"answer %1"}]})"
                               "\n")
                    .arg(i)
                    .toUtf8();
    return rows;
}

QByteArray prompts(int n)
{
    QByteArray rows;
    for (int i = 0; i < n; ++i)
        rows += QStringLiteral(R"({"messages":[{"role":"user","content":"prompt %1"}]})"
                               "\n")
                    .arg(i)
                    .toUtf8();
    return rows;
}

bool showWith(ui::DatasetWizard &wizard, const QString &source)
{
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return false;
    wizard.setSourceFile(source);
    return true;
}

QString formatReason(ui::DatasetWizard &wizard)
{
    auto *label = wizard.formatPage()->findChild<QLabel *>(QStringLiteral("formatReason"));
    return label && label->isVisible() ? label->text() : QString();
}

//! The Validation step's summary for `bytes`, checked as detected.
QString summaryFor(const QByteArray &bytes)
{
    testing::SandboxFixture sandbox;
    QTemporaryDir dir;
    ui::DatasetWizard wizard(&sandbox.api());
    if (!showWith(wizard, write(dir, QStringLiteral("data.jsonl"), bytes)) || !next(wizard) ||
        !next(wizard))
        return {};
    if (!QTest::qWaitFor([&] { return wizard.validationPage()->isComplete(); }, 10000))
        return {};
    return wizard.validationPage()->summaryLabel()->text();
}

} // namespace

class TestDatasetWizardVerdicts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mixedFile_formatStepSaysWhichKindItTookAndWhy()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard,
                         write(dir, QStringLiteral("mostly-chat.jsonl"), chats(5) + prompts(2))));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.formatPage()->chosenFormat(), dataset::Format::SftChat);
        QCOMPARE(formatReason(wizard),
                 QStringLiteral(
                     "More lines end with an assistant answer (5) than with a prompt (2), so "
                     "the file is taken for SFT chat: its 2 prompt-only lines are errors there, "
                     "having no answer to train on. If the file holds prompts for an evaluator, "
                     "check it as RFT / evaluation. The platform's documentation does not say "
                     "how it classifies a file that mixes the two."));

        // Mostly prompts: the other kind, and the way back to SFT.
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        wizard.setSourceFile(
            write(dir, QStringLiteral("mostly-prompts.jsonl"), chats(1) + prompts(3)));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.formatPage()->chosenFormat(), dataset::Format::Rft);
        QCOMPARE(formatReason(wizard),
                 QStringLiteral(
                     "More lines end with a prompt (3) than with an assistant answer (1), so "
                     "the file is taken for RFT / evaluation, where the answers are not trained "
                     "on. For SFT, check it as SFT chat: its prompt-only lines are then errors. "
                     "The platform's documentation does not say how it classifies a file that "
                     "mixes the two."));

        // One kind only: the rule in a few words.
        QVERIFY(
            testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton))));
        wizard.setSourceFile(write(dir, QStringLiteral("chat.jsonl"), chats(3)));
        QVERIFY(next(wizard));
        QCOMPARE(formatReason(wizard),
                 QStringLiteral("Every line ends with an assistant answer, the turn SFT "
                                "trains on."));
    }

    void mixedFileUploadedAsItIs_isWarnedOf_andThePlatformsKindIsNamed()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, write(dir, QStringLiteral("mixed.jsonl"), chats(5) + prompts(2))));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard)); // Tokens
        QVERIFY(next(wizard)); // Fix & split, skipped
        QVERIFY(next(wizard)); // Upload
        auto *upload = wizard.uploadPage();
        QCOMPARE(upload->fileCombo()->count(), 1); // the source as it is, nothing written
        QLabel *hint = upload->fileHintLabel();
        QVERIFY(hint && hint->isVisible());
        QCOMPARE(hint->text(),
                 QStringLiteral("The check found 2 errors in mixed.jsonl as SFT chat: the "
                                "platform would refuse it as it is. Back in Fix & split, Write "
                                "files makes a copy without them."));

        // Uploaded anyway: the Local platform takes prompt-only rows for RFT, and says so.
        upload->upload();
        QTRY_VERIFY2_WITH_TIMEOUT(upload->isComplete(), qPrintable(upload->stageLabel()->text()),
                                  20000);
        QCOMPARE(upload->dataset().format, client::DatasetFormat::Rl);
        auto *results = upload->findChild<QLabel *>(QStringLiteral("uploadResults"));
        QVERIFY(results);
        QCOMPARE(results->text(),
                 QStringLiteral(
                     "mixed (train): READY with 7 examples, format Reinforcement (RL) (the "
                     "platform's own validation).\nThe platform took it for Reinforcement (RL), "
                     "not the SFT chat the wizard checked it as. For SFT chat, upload a copy Fix "
                     "& split wrote without the lines that are errors for SFT chat; if it is "
                     "meant as Reinforcement (RL), check it as RFT / evaluation in the "
                     "wizard."));
    }

    void anIdTakenAlready_saysSoAndSelectsTheId()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = write(dir, QStringLiteral("chat.jsonl"), chats(3));
        for (int attempt = 0; attempt < 2; ++attempt) {
            ui::DatasetWizard wizard(&sandbox.api());
            QVERIFY(showWith(wizard, source));
            QVERIFY(next(wizard));
            QVERIFY(next(wizard));
            QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
            QVERIFY(next(wizard));
            QVERIFY(next(wizard));
            QVERIFY(next(wizard));
            auto *upload = wizard.uploadPage();
            upload->upload();
            if (attempt == 0) {
                QTRY_VERIFY_WITH_TIMEOUT(upload->isComplete(), 20000);
                continue;
            }
            // The same ID again: the platform refuses it (409).
            QTRY_VERIFY_WITH_TIMEOUT(!upload->isRunning(), 20000);
            QCOMPARE(upload->stageLabel()->text(),
                     QStringLiteral("A dataset with the ID chat already exists: type another "
                                    "dataset ID, or delete that dataset on the Datasets page "
                                    "first."));
            QLineEdit *id = nullptr;
            for (auto *label : upload->findChildren<QLabel *>())
                if (label->text() == QStringLiteral("Dataset &ID:"))
                    id = qobject_cast<QLineEdit *>(label->buddy());
            QVERIFY(id && !id->isReadOnly());
            QCOMPARE(id->selectedText(), QStringLiteral("chat"));
        }
    }

    void anEmptyFile_stopsAtTheSourceStep()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, write(dir, QStringLiteral("empty.jsonl"), {})));
        QCOMPARE(wizard.sourcePage()->hintLabel()->text(),
                 QStringLiteral("empty.jsonl is empty (0 bytes): pick the file that holds the "
                                "examples."));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        wizard.setSourceFile(write(dir, QStringLiteral("chat.jsonl"), chats(3)));
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    }

    void fixAndSplit_saysWhatTheBoxesDropBeforeWriting()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        // Line 2 broken, line 4 a prompt only, line 6 a repeat of line 1.
        const QByteArray rows = chats(1) + "{broken\n" + chats(2).mid(chats(1).size()) +
                                prompts(1) + chats(3).mid(chats(2).size()) + chats(1);
        QVERIFY(showWith(wizard, write(dir, QStringLiteral("notes.jsonl"), rows)));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard)); // Tokens
        QVERIFY(next(wizard)); // Fix & split
        QLabel *found = wizard.fixPage()->foundLabel();
        QVERIFY(found && found->isVisible());
        QCOMPARE(found->text(),
                 QStringLiteral("The check found 2 lines with errors (2, 4) and 1 duplicate in "
                                "notes.jsonl; the ticked boxes leave them out of the copy."));
    }

    void aFileWithoutErrors_hasNoWarningUnderTheFileToUpload()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(showWith(wizard, write(dir, QStringLiteral("chat.jsonl"), chats(3))));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(next(wizard));
        QVERIFY(!wizard.uploadPage()->fileHintLabel()->isVisible());
    }

    void refusedAsAWhole_isNotToldToDropTheInvalidLines()
    {
        // Blank lines only (an empty file stops at the Source step).
        const QString empty = summaryFor("\n  \n");
        QVERIFY2(empty.endsWith(
                     QStringLiteral("The file holds no example: there is nothing to upload.")),
                 qPrintable(empty));

        const QString bom = summaryFor("\xEF\xBB\xBF" + chats(3));
        QVERIFY2(bom.endsWith(QStringLiteral("The platform would refuse it for its byte order "
                                             "mark alone: Fix & split writes a copy without it.")),
                 qPrintable(bom));

        const QString tooFew = summaryFor(chats(2));
        QVERIFY2(tooFew.endsWith(QStringLiteral(
                     "The platform would refuse the file as a whole, not for any of its lines, "
                     "so dropping lines does not help: the problems on the whole file say why.")),
                 qPrintable(tooFew));

        for (const QString &summary : {empty, bom, tooFew})
            QVERIFY2(!summary.contains(QStringLiteral("drop the invalid lines")),
                     qPrintable(summary));
        // Lines with errors are still told to go.
        QVERIFY(summaryFor(chats(3) + "{broken\n")
                    .endsWith(QStringLiteral("The platform would refuse it as it is: drop the "
                                             "invalid lines in Fix & split.")));
    }
};

QTEST_MAIN(TestDatasetWizardVerdicts)
#include "tst_datasetwizardverdicts.moc"
