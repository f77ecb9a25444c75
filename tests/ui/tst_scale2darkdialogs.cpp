// Issue 16: the API keys and Secrets pages, their dialogs (new API key, key created, new and
// edit secret) and every step of the dataset and fine-tuning wizards in the dark theme, at the
// scale factor ctest gives (ui.scale2darkdialogs: QT_SCALE_FACTOR=2): nothing cut (no label,
// button, field or header narrower or shorter than it needs, nothing outside its parent, no
// sideways scrolling, no toolbar action pushed into the » menu) and every text readable on its
// background (contrast at least 4.5:1, rich-text colours included).
// ui.dialogslight runs the same in the light theme at scale 1 (FIREDECK_TEST_THEME=light).
// FIREDECK_TEST_SHOTS=DIR saves each checked window there as PNG, to look at.

#include "common/layoutchecks.h"
#include "common/sandboxfixture.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"
#include "common/wizardtesthelpers.h"

#include <ui/apikeycreateddialog.h>
#include <ui/apikeydialog.h>
#include <ui/apikeyspage.h>
#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>
#include <ui/datasetwizardproblemmodel.h>
#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>
#include <ui/mainwindow.h>
#include <ui/secretdialog.h>
#include <ui/secretspage.h>
#include <ui/theme.h>

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <models/apikeylistmodel.h>

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

#include <cmath>

using namespace testing;

namespace {

//! ctest ui.dialogslight runs the same checks in the light theme at scale 1.
bool lightRun()
{
    return qEnvironmentVariable("FIREDECK_TEST_THEME") == QLatin1String("light");
}

//! WCAG relative luminance of an sRGB colour.
double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QString describe(const QWidget *w)
{
    QString text;
    if (auto *label = qobject_cast<const QLabel *>(w))
        text = label->text();
    else if (auto *button = qobject_cast<const QAbstractButton *>(w))
        text = button->text();
    return QStringLiteral("%1 \"%2\" (%3)")
        .arg(QString::fromLatin1(w->metaObject()->className()), text.left(60), w->objectName());
}

//! Whether `w` lies inside a scroll area's viewport below `window` (it may scroll there).
bool insideScrolledContent(const QWidget *w, const QWidget *window)
{
    for (const QWidget *p = w->parentWidget(); p && p != window; p = p->parentWidget())
        if (auto *area = qobject_cast<const QAbstractScrollArea *>(p->parentWidget()))
            if (area->viewport() == p)
                return true;
    return false;
}

//! Nothing in `window` is cut and every visible text reads on its background.
void verifyNothingCut(QWidget *window, const QString &what)
{
    QVERIFY2(window->isVisible(), qPrintable(what));
    // The scale ctest asked for is the one the window is drawn at.
    if (qEnvironmentVariableIsSet("QT_SCALE_FACTOR"))
        QCOMPARE(window->devicePixelRatio(), qEnvironmentVariable("QT_SCALE_FACTOR").toDouble());
    if (const QString dir = qEnvironmentVariable("FIREDECK_TEST_SHOTS"); !dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(window->grab().save(QDir(dir).filePath(what + QStringLiteral(".png"))));
    }
    const QColor background = window->palette().color(QPalette::Window);
    QVERIFY2((background.lightness() < 128) == !lightRun(), "not the theme asked for");
    static const QRegularExpression colorRule(QStringLiteral("color:\\s*(#[0-9a-fA-F]{6})"));

    for (QWidget *w : window->findChildren<QWidget *>()) {
        if (!w->isVisible() || w->width() <= 0)
            continue;
        const QString where = QStringLiteral("%1: %2").arg(what, describe(w));
        // Inside every parent up to the window, unless it scrolls within a scroll area.
        if (!insideScrolledContent(w, window) && !qobject_cast<QLineEdit *>(w->parentWidget())) {
            const QRect inWindow(w->mapTo(window, QPoint(0, 0)), w->size());
            QVERIFY2(window->rect().contains(inWindow),
                     qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 is outside the window")
                                    .arg(where)
                                    .arg(inWindow.x())
                                    .arg(inWindow.y())
                                    .arg(inWindow.width())
                                    .arg(inWindow.height())));
        }
        if (auto *label = qobject_cast<QLabel *>(w); label && !label->text().isEmpty()) {
            if (label->wordWrap()) {
                const int needed = label->heightForWidth(label->width());
                QVERIFY2(label->height() >= needed,
                         qPrintable(QStringLiteral("%1: %2 px high, its text needs %3")
                                        .arg(where)
                                        .arg(label->height())
                                        .arg(needed)));
            } else if (!insideScrolledContent(label, window)) {
                const QSize needed = label->minimumSizeHint();
                QVERIFY2(label->width() >= needed.width() && label->height() >= needed.height(),
                         qPrintable(QStringLiteral("%1: %2x%3, needs %4x%5")
                                        .arg(where)
                                        .arg(label->width())
                                        .arg(label->height())
                                        .arg(needed.width())
                                        .arg(needed.height())));
            }
            if (label->isEnabled()) {
                const QColor fg = label->palette().color(label->foregroundRole());
                const QColor bg = label->palette().color(QPalette::Window);
                QVERIFY2(contrast(fg, bg) >= 4.5,
                         qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                                        .arg(where, fg.name(), bg.name())
                                        .arg(contrast(fg, bg), 0, 'f', 1)));
                for (const auto &m : colorRule.globalMatch(label->text())) {
                    const QColor rich(m.captured(1));
                    QVERIFY2(contrast(rich, bg) >= 4.5,
                             qPrintable(QStringLiteral("%1: rich text %2 on %3 is %4:1")
                                            .arg(where, rich.name(), bg.name())
                                            .arg(contrast(rich, bg), 0, 'f', 1)));
                }
            }
        }
        const bool sized =
            qobject_cast<QPushButton *>(w) || qobject_cast<QCheckBox *>(w) ||
            qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w) ||
            (qobject_cast<QToolButton *>(w) && qobject_cast<QToolBar *>(w->parent()));
        if (sized && !insideScrolledContent(w, window)) {
            const QSize needed = w->minimumSizeHint();
            QVERIFY2(w->width() >= needed.width() && w->height() >= needed.height(),
                     qPrintable(QStringLiteral("%1: %2x%3, needs %4x%5")
                                    .arg(where)
                                    .arg(w->width())
                                    .arg(w->height())
                                    .arg(needed.width())
                                    .arg(needed.height())));
        }
        if (auto *edit = qobject_cast<QLineEdit *>(w);
            edit && !qobject_cast<QAbstractSpinBox *>(w->parentWidget()) &&
            !qobject_cast<QComboBox *>(w->parentWidget()))
            QVERIFY2(edit->height() >= edit->minimumSizeHint().height(),
                     qPrintable(QStringLiteral("%1: %2 px high, needs %3")
                                    .arg(where)
                                    .arg(edit->height())
                                    .arg(edit->minimumSizeHint().height())));
        if (auto *bar = qobject_cast<QScrollBar *>(w))
            QVERIFY2(bar->orientation() == Qt::Vertical,
                     qPrintable(QStringLiteral("%1: scrolls sideways (%2)")
                                    .arg(what, bar->parentWidget()->parentWidget()->objectName())));
        if (auto *bar = qobject_cast<QToolBar *>(w))
            for (auto *extension : bar->findChildren<QToolButton *>(
                     QStringLiteral("qt_toolbar_ext_button"), Qt::FindDirectChildrenOnly))
                QVERIFY2(!extension->isVisible(),
                         qPrintable(QStringLiteral("%1: toolbar actions in the » menu").arg(what)));
        // Every header of a table reads whole, also in bold (a selected row's sections).
        if (auto *view = qobject_cast<QTableView *>(w); view && view->model()) {
            const QStringList cut = cutHeaders(view);
            QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("%1: headers cut: %2")
                                                   .arg(where, cut.join(QStringLiteral("; ")))));
        }
    }
}

//! The placeholder of a resource page's filter box is whole in the box.
void verifyFilterPlaceholderFits(QWidget *page, const QString &what)
{
    auto *filter = page->findChild<QLineEdit *>(QStringLiteral("filter"));
    QVERIFY(filter);
    // The frame and text margins on both sides and the clear button's room.
    const int room = filter->width() - 2 * 4 - filter->height();
    const int needed = filter->fontMetrics().horizontalAdvance(filter->placeholderText());
    QVERIFY2(needed <= room, qPrintable(QStringLiteral("%1: filter \"%2\" needs %3 px, has %4")
                                            .arg(what, filter->placeholderText())
                                            .arg(needed)
                                            .arg(room)));
}

//! Shows `dialog` as the app opens it and checks it.
void verifyDialog(QWidget *dialog, const QString &what)
{
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QTest::qWait(50); // the layout settled
    verifyNothingCut(dialog, what);
}

QString writeSource(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("support.jsonl"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < 8; ++i)
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"How do I reset %1?"},)"
                               R"({"role":"assistant","content":"Open Settings, then %1."}]})"
                               "\n")
                    .arg(i)
                    .toUtf8());
    // A duplicate: a warning row in the problems table.
    f.write(R"({"messages":[{"role":"user","content":"How do I reset 0?"},)"
            R"({"role":"assistant","content":"Open Settings, then 0."}]})"
            "\n");
    return path;
}

QWidget *fieldLabelled(QWidget *page, const QString &labelText)
{
    for (auto *label : page->findChildren<QLabel *>())
        if (label->text() == labelText)
            return label->buddy();
    return nullptr;
}

} // namespace

class tst_Scale2DarkDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::applyTheme(lightRun() ? ui::Theme::Light : ui::Theme::Dark); }
    void cleanupTestCase() { ui::applyTheme(ui::Theme::System); }

    void apiKeysPageAndDialogs()
    {
        SandboxFixture sb(200);
        const auto user = await(sb.api().users().list());
        FD_VERIFY_OK(user);
        QVERIFY(!user.value().items.isEmpty());
        const QString userId = client::resourceId(user.value().items.first().name);
        FD_VERIFY_OK(await(sb.api().apiKeys().create(
            userId, QStringLiteral("CI pipeline key with a rather long display name"), {})));
        FD_VERIFY_OK(await(sb.api().apiKeys().create(userId, QStringLiteral("laptop"),
                                                     QDateTime::currentDateTimeUtc().addDays(90))));

        ui::MainWindow window;
        auto *page = new ui::ApiKeysPage(&sb.api());
        showLoadedPage(window, page, 2);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(clickRow(page->view(), 0));
        verifyNothingCut(&window, QStringLiteral("apikeys"));
        QVERIFY(!QTest::currentTestFailed());
        verifyFilterPlaceholderFits(page, QStringLiteral("apikeys"));
        QVERIFY(!QTest::currentTestFailed());

        auto *dialog = new ui::ApiKeyDialog(&sb.api(), userId, page);
        verifyDialog(dialog, QStringLiteral("apikey-new"));
        QVERIFY(!QTest::currentTestFailed());
        // With its expiry date shown.
        QVERIFY(click(dialog->findChild<QCheckBox *>(QStringLiteral("apiKeyExpires"))));
        QTest::qWait(50);
        verifyNothingCut(dialog, QStringLiteral("apikey-new-expires"));
        QVERIFY(!QTest::currentTestFailed());
        dialog->reject();

        client::ApiKey key;
        key.keyId = QStringLiteral("k1");
        key.displayName = QStringLiteral("CI pipeline key with a rather long display name");
        key.key = QStringLiteral("fw_FAKE-test-key-not-real-00000000000");
        auto *created = new ui::ApiKeyCreatedDialog(key, page);
        verifyDialog(created, QStringLiteral("apikey-created"));
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(click(created->findChild<QPushButton *>(QStringLiteral("copyKey"))));
        QTest::qWait(50);
        verifyNothingCut(created, QStringLiteral("apikey-created-copied"));
        created->reject();
    }

    void secretsPageAndDialogs()
    {
        SandboxFixture sb(200);
        FD_VERIFY_OK(
            await(sb.api().secrets().create(QStringLiteral("hf-token-for-the-evaluator-downloads"),
                                            QStringLiteral("HF_TOKEN"), QStringLiteral("hf_x"))));
        FD_VERIFY_OK(await(sb.api().secrets().create(QStringLiteral("openai-key"),
                                                     QStringLiteral("OPENAI_API_KEY"),
                                                     QStringLiteral("sk-x"))));
        ui::MainWindow window;
        auto *page = new ui::SecretsPage(&sb.api());
        showLoadedPage(window, page, 2);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(clickRow(page->view(), 0));
        verifyNothingCut(&window, QStringLiteral("secrets"));
        QVERIFY(!QTest::currentTestFailed());
        verifyFilterPlaceholderFits(page, QStringLiteral("secrets"));
        QVERIFY(!QTest::currentTestFailed());

        auto *create = new ui::SecretDialog(&sb.api(), std::nullopt, page);
        verifyDialog(create, QStringLiteral("secret-new"));
        QVERIFY(!QTest::currentTestFailed());
        // A bad ID: the hint under the field says what is wrong, in red.
        auto *id = create->findChild<QLineEdit *>(QStringLiteral("secretId"));
        QVERIFY(id);
        typeInto(id, QStringLiteral("Bad ID-"));
        QTest::qWait(50);
        verifyNothingCut(create, QStringLiteral("secret-new-bad-id"));
        QVERIFY(!QTest::currentTestFailed());
        create->reject();

        const auto secret =
            await(sb.api().secrets().get(QStringLiteral("hf-token-for-the-evaluator-downloads")));
        FD_VERIFY_OK(secret);
        auto *edit = new ui::SecretDialog(&sb.api(), secret.value(), page);
        verifyDialog(edit, QStringLiteral("secret-edit"));
        edit->reject();
    }

    void datasetWizardEveryStep()
    {
        SandboxFixture sb(200);
        QTemporaryDir dir;
        const QString source = writeSource(dir);
        QVERIFY(!source.isEmpty());
        ui::MainWindow window;
        window.resize(1400, 860);
        window.show();
        auto *wizard = new ui::DatasetWizard(&sb.api(), &window);
        wizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-1-source"));
        QVERIFY(!QTest::currentTestFailed());
        QWidget *fileField = fieldLabelled(wizard->sourcePage(), QStringLiteral("&File:"));
        QVERIFY(fileField);
        typeInto(fileField, source);
        QVERIFY(next(*wizard)); // Format
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-2-format"));
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(next(*wizard)); // Validation
        QTRY_VERIFY_WITH_TIMEOUT(wizard->validationPage()->isComplete(), 10000);
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-3-validation"));
        QVERIFY(!QTest::currentTestFailed());
        // The summary counts in words: one of a kind is singular.
        QStringList summaries;
        for (auto *label : wizard->validationPage()->findChildren<QLabel *>())
            if (label->text().contains(QStringLiteral("examples checked")))
                summaries << label->text();
        QCOMPARE(summaries.size(), 1);
        QVERIFY2(summaries.first().startsWith(
                     QStringLiteral("9 examples checked as SFT chat: 0 errors, 1 warning, "
                                    "1 duplicate.")),
                 qPrintable(summaries.first()));
        QVERIFY(next(*wizard)); // Tokens
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-4-tokens"));
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(next(*wizard)); // Fix & split
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-5-fix"));
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(next(*wizard)); // Upload
        QCOMPARE(wizard->currentId(), int(ui::DatasetWizard::UploadId));
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-6-upload"));
        QVERIFY(!QTest::currentTestFailed());
        QWidget *idField = fieldLabelled(wizard->uploadPage(), QStringLiteral("Dataset &ID:"));
        QVERIFY(idField);
        typeInto(idField, QStringLiteral("support-chats"));
        QPushButton *upload = nullptr;
        for (auto *b : wizard->uploadPage()->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Upload"))
                upload = b;
        QVERIFY(upload);
        QTRY_VERIFY(upload->isEnabled());
        QVERIFY(click(upload));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->uploadPage()->isComplete(), 20000);
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("dataset-wizard-7-uploaded"));
        wizard->reject();
    }

    //! The validation table's errors in a red readable on the table's dark base; warnings in
    //! the table's own text colour.
    void problemSeverity_errorsInReadableRed()
    {
        ui::DatasetProblemModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ui::DatasetProblemModel::Row> rows(2);
        rows[0].problem.rule = dataset::Rule::InvalidJson;
        rows[0].problem.line = 7;
        rows[1].problem.rule = dataset::Rule::BlankLine;
        rows[1].problem.line = 9;
        QCOMPARE(dataset::ruleSeverity(rows[0].problem.rule), dataset::Severity::Error);
        QVERIFY(dataset::ruleSeverity(rows[1].problem.rule) != dataset::Severity::Error);
        model.setProblems(std::move(rows));
        const QColor base = QApplication::palette().color(QPalette::Base);
        const QVariant error =
            model.index(0, ui::DatasetProblemModel::SeverityColumn).data(Qt::ForegroundRole);
        QVERIFY(error.canConvert<QBrush>());
        const QColor red = error.value<QBrush>().color();
        QVERIFY2(red.red() > red.green() + 60 && red.red() > red.blue() + 60,
                 qPrintable(red.name()));
        QVERIFY2(contrast(red, base) >= 4.5, qPrintable(red.name()));
        QVERIFY(!model.index(1, ui::DatasetProblemModel::SeverityColumn)
                     .data(Qt::ForegroundRole)
                     .isValid());
    }

    void fineTuneWizardEveryStep()
    {
        SandboxFixture sb(200);
        QVERIFY(makeChatDataset(sb, QStringLiteral("support-chats-with-a-long-dataset-id")));
        ui::MainWindow window;
        window.resize(1400, 860);
        window.show();
        auto *wizard = new ui::FineTuneWizard(&sb.api(), &window);
        wizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), 10000);
        QVERIFY(choose(wizard->methodPage()->baseModelCombo(), baseModelForTraining()));
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("finetune-wizard-1-method"));
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(next(*wizard)); // Data
        QVERIFY(choose(wizard->dataPage()->datasetCombo(),
                       datasetNameOf(sb, QStringLiteral("support-chats-with-a-long-dataset-id"))));
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("finetune-wizard-2-data"));
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(next(*wizard)); // Hyperparameters
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("finetune-wizard-3-parameters"));
        QVERIFY(!QTest::currentTestFailed());
        // Out of range: the message under the field, in red, readable.
        QWidget *rank = wizard->parametersPage()->knobEditor(QStringLiteral("loraRank"));
        QVERIFY(rank);
        typeInto(rank, QStringLiteral("128"));
        QTest::qWait(100);
        verifyNothingCut(wizard, QStringLiteral("finetune-wizard-3-parameters-out-of-range"));
        QVERIFY(!QTest::currentTestFailed());
        typeInto(rank, QStringLiteral("16"));
        QVERIFY(next(*wizard)); // Summary
        QTest::qWait(500);      // the cost estimate
        verifyNothingCut(wizard, QStringLiteral("finetune-wizard-4-summary"));
        QVERIFY(!QTest::currentTestFailed());

        // RFT's data step: the evaluator choice and the code folder with its preview.
        QVERIFY(makeEvaluator(sb, QStringLiteral("exact-answer")));
        auto *rft = new ui::FineTuneWizard(&sb.api(), &window);
        rft->show();
        QVERIFY(QTest::qWaitForWindowExposed(rft));
        QTRY_VERIFY_WITH_TIMEOUT(rft->isLoaded(), 10000);
        rft->methodPage()->setKind(client::TrainingJobKind::Rft);
        QVERIFY(choose(rft->methodPage()->baseModelCombo(), baseModelForTraining()));
        QVERIFY(next(*rft));
        QTest::qWait(100);
        verifyNothingCut(rft, QStringLiteral("finetune-wizard-2-data-rft"));
        rft->reject();
        wizard->reject();
    }
};

QTEST_MAIN(tst_Scale2DarkDialogs)
#include "tst_scale2darkdialogs.moc"
