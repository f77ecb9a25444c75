// The wizards' pickers against a sandbox holding more than one page (200) of models, datasets
// and evaluators: every page is listed, the pickers say "Loading…" while pages are coming and
// fill as they arrive, and the last item of the last page can be picked.

#include <ui/datasetwizard.h>
#include <ui/datasetwizardpages.h>
#include <ui/finetunewizard.h>
#include <ui/finetunewizardpages.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>

#include "../common/sandboxfixture.h"
#include "../common/storeseeds.h"
#include "../common/trainingseeds.h"
#include "../common/uitesthelpers.h"
#include "../common/wizardtesthelpers.h"

#include <QComboBox>
#include <QLabel>
#include <QScreen>
#include <QTest>

namespace {

using testing::choose;
using testing::next;

//! A tunable catalog model copied 230 times (IDs zz-tunable-000 … 229, after every real
//! catalog model in name order, so they reach past the first page).
bool seedCatalog(testing::SandboxFixture &sb)
{
    return testing::seedStoredCopies(sb, QStringLiteral("models"), QStringLiteral("fireworks"),
                                     client::resourceId(testing::baseModelForTraining()),
                                     QStringLiteral("zz-tunable"), 230);
}

} // namespace

class TestFineTuneWizardLists : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPageOfEveryListIsOffered()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(testing::makeChatDataset(sb, QStringLiteral("aa-data")));
        QVERIFY(testing::makeEvaluator(sb, QStringLiteral("aa-eval")));
        const QString evaluator =
            client::evaluatorName(sb.api().accountId(), QStringLiteral("aa-eval"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto e = testing::await(sb.api().evaluators().get(evaluator));
                return e.ok() && client::isEvaluatorActive(e.value());
            }(),
            10000);
        const QString account = sb.api().accountId();
        QVERIFY(seedCatalog(sb));
        QVERIFY(testing::seedStoredCopies(sb, QStringLiteral("datasets"), account,
                                          QStringLiteral("aa-data"), QStringLiteral("zz-data"),
                                          250));
        QVERIFY(testing::seedStoredCopies(sb, QStringLiteral("evaluators"), account,
                                          QStringLiteral("aa-eval"), QStringLiteral("zz-eval"),
                                          210));

        ui::FineTuneWizard wizard(&sb.api());
        // Before any page arrives the pickers say the lists are loading.
        QVERIFY(!wizard.isLoaded());
        QVERIFY(!wizard.methodPage()->listsLabel()->isHidden());
        QVERIFY(wizard.methodPage()->listsLabel()->text().startsWith(QStringLiteral("Loading")));
        QStringList statuses;
        QList<int> datasetCounts;
        connect(&wizard, &ui::FineTuneWizard::listsChanged, this, [&] {
            statuses << wizard.methodPage()->listsLabel()->text();
            datasetCounts << wizard.dataPage()->datasetCombo()->count();
        });
        QVERIFY(testing::showLoaded(wizard, nullptr, 20000));

        // The pickers filled page by page: the dataset picker had the first 200 (and the
        // hand-made one) before the rest, with "Loading…" shown meanwhile.
        QVERIFY(datasetCounts.contains(200));
        QCOMPARE(datasetCounts.last(), 251);
        bool sawPartial = false;
        for (const QString &s : std::as_const(statuses))
            sawPartial |= s.startsWith(QStringLiteral("Loading")) &&
                          s.contains(QStringLiteral("200 datasets"));
        QVERIFY(sawPartial);
        QVERIFY(wizard.methodPage()->listsLabel()->isHidden());

        // Method: the last copied catalog model (second page of the catalog) can be picked.
        auto *method = wizard.methodPage();
        QVERIFY(method->baseModelCombo()->count() >= 231);
        QVERIFY(choose(method->baseModelCombo(),
                       client::catalogModelName(QStringLiteral("zz-tunable-229"))));
        method->setKind(client::TrainingJobKind::Rft);
        QVERIFY(next(wizard));

        // Data: all 251 READY datasets and all 211 ACTIVE evaluators.
        auto *data = wizard.dataPage();
        QVERIFY(data->listsLabel()->isHidden());
        QCOMPARE(data->datasetCombo()->count(), 251);
        QCOMPARE(data->evaluatorCombo()->count(), 211);
        QVERIFY(choose(data->datasetCombo(),
                       testing::datasetNameOf(sb, QStringLiteral("zz-data-249"))));
        QVERIFY(
            data->selectEvaluator(client::evaluatorName(account, QStringLiteral("zz-eval-209"))));
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    }

    void aListThatCannotBeReadIsSaid()
    {
        testing::SandboxFixture sb(200);
        sb.addFault(R"({"path": "/evaluators$", "method": "GET", "kind": "status", "status": 403,
                        "count": 10})");
        ui::FineTuneWizard wizard(&sb.api());
        QVERIFY(testing::showLoaded(wizard));
        auto *label = wizard.methodPage()->listsLabel();
        QVERIFY(!label->isHidden());
        QVERIFY2(label->text().startsWith(
                     QStringLiteral("The evaluators could not be listed to the end (0 listed)")),
                 qPrintable(label->text()));
        // The other lists are complete and offered.
        QVERIFY(choose(wizard.methodPage()->baseModelCombo(), testing::baseModelForTraining()));
    }

    void theDatasetWizardsCatalogPickerHasEveryPage()
    {
        testing::SandboxFixture sb(200);
        QVERIFY(seedCatalog(sb));
        ui::DatasetWizard wizard(&sb.api());
        auto *tokens = wizard.tokensPage();
        QVERIFY(!tokens->catalogStatusLabel()->isHidden());
        QVERIFY(tokens->catalogStatusLabel()->text().startsWith(QStringLiteral("Loading")));
        const QString last = client::catalogModelName(QStringLiteral("zz-tunable-229"));
        QTRY_VERIFY_WITH_TIMEOUT(tokens->baseModelCombo()->findData(last) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(tokens->catalogStatusLabel()->isHidden(), 5000);
        QVERIFY(tokens->chooseCatalogModel(last));
    }

    //! On a screen smaller than their 960x760 and 1000x720 (a 1366x768 laptop with its panel;
    //! the offscreen platform's is 800 wide) the wizards take nine tenths of it, as far as their
    //! minimum size allows: larger, Next and Cancel fell below the screen's edge.
    void theWizardsFitASmallScreen()
    {
        testing::SandboxFixture sb(200);
        ui::FineTuneWizard fineTune(&sb.api());
        ui::DatasetWizard dataset(&sb.api());
        for (QWidget *wizard : {static_cast<QWidget *>(&fineTune), static_cast<QWidget *>(&dataset)}) {
            const QRect available = wizard->screen()->availableGeometry();
            QVERIFY2(available.width() * 9 / 10 < 960,
                     "the screen holds the wizards: this proves nothing");
            const QSize least = wizard->minimumSize().expandedTo(wizard->minimumSizeHint());
            const QString sizes = QStringLiteral("%1: %2x%3 on %4x%5, at least %6x%7")
                                      .arg(wizard->metaObject()->className())
                                      .arg(wizard->width())
                                      .arg(wizard->height())
                                      .arg(available.width())
                                      .arg(available.height())
                                      .arg(least.width())
                                      .arg(least.height());
            QVERIFY2(wizard->width() <= std::max(least.width(), available.width() * 9 / 10) &&
                         wizard->height() <= std::max(least.height(), available.height() * 9 / 10),
                     qPrintable(sizes));
        }
    }
};

QTEST_MAIN(TestFineTuneWizardLists)
#include "tst_finetunewizardlists.moc"
