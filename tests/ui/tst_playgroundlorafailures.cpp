// A LoRA adapter the engine refuses, attached from the Playground's LoRA button on a loaded
// local model: the page says the engine's words and what to do about them, by the same rule as a
// failed load (enginehost::remedyFor through models::LocalEngine::adapterFailureText), and the
// model goes on without an adapter. Each failure is provoked for real on the golden tiny Llama 3:
// an adapter whose rank does not match its tensors' shapes, a damaged adapter_model.safetensors,
// and the base model's folder chosen instead of an adapter's; the golden adapter then attaches.

#include "common/loadoncpu.h"
#include "common/playgroundpagefixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>

class tst_PlaygroundLoraFailures : public QObject, public testing::PlaygroundPageFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void rankNotMatchingItsTensors_saysChooseAnAdapterOfThisBase();
    void damagedWeights_saysDownloadAgain();
    void notAnAdapterFolder_saysChooseTheAdaptersOwnFolder();

private:
    //! Attaches `dir` as a person does (LoRA button, its menu's attach item, the folder dialog)
    //! and returns the text shown above the conversation once the engine answered; empty when
    //! it attached (the test fails on a missing dialog or answer).
    QString attachThroughTheButton(const QString &dir);
    QString attachedAdapter() const;

    QTemporaryDir m_tmp;
    QString m_base;
};

void tst_PlaygroundLoraFailures::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_base = m_tmp.filePath(QStringLiteral("tiny-llama3"));
    const QString error = testmodels::writeTinyLlama3(m_base);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_PlaygroundLoraFailures::init()
{
    QVERIFY(startOnFreshPage(m_tmp));
    const QString error = testing::loadOnCpu(*m_engine, m_base, 256);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    QTRY_VERIFY(target->currentText().startsWith(QStringLiteral("tiny-llama3 (local CPU)")));
}

void tst_PlaygroundLoraFailures::cleanup()
{
    stop();
}

QString tst_PlaygroundLoraFailures::attachedAdapter() const
{
    const auto loaded = m_engine->loadedModels();
    return loaded.size() == 1 ? loaded.first().adapterDir : QStringLiteral("?");
}

QString tst_PlaygroundLoraFailures::attachThroughTheButton(const QString &dir)
{
    auto *lora = m_page->findChild<QToolButton *>(QStringLiteral("lora"));
    if (!lora || !lora->isEnabled()) {
        QTest::qFail("the LoRA button is not there or disabled", __FILE__, __LINE__);
        return {};
    }
    lora->menu()->findChild<QAction *>(QStringLiteral("attachLora"))->trigger();
    auto *dialog = testing::waitForDialog<QFileDialog>(m_page.get());
    if (!dialog) {
        QTest::qFail("no folder dialog", __FILE__, __LINE__);
        return {};
    }
    QSignalSpy changed(m_session.get(), &models::ChatSession::localAdapterChanged);
    dialog->selectFile(dir);
    (void)QMetaObject::invokeMethod(dialog, "accept"); // "Choose"
    if (!changed.wait(60000)) {
        QTest::qFail("the engine did not answer", __FILE__, __LINE__);
        return {};
    }
    // Pressed again once the engine answered: the button is not left busy.
    if (!QTest::qWaitFor([&] { return lora->isEnabled(); }, 5000))
        QTest::qFail("the LoRA button stayed disabled", __FILE__, __LINE__);
    auto *problem = m_page->findChild<QLabel *>(QStringLiteral("problem"));
    return problem && problem->isVisible() ? problem->text() : QString();
}

void tst_PlaygroundLoraFailures::rankNotMatchingItsTensors_saysChooseAnAdapterOfThisBase()
{
    // The config says r 4, its tensors are r 8: the shapes the engine expects of this base do
    // not match (as for an adapter trained on another model of the same family).
    const QString dir = m_tmp.filePath(QStringLiteral("rank-4"));
    const QString error = testmodels::writeMismatchedRankLora(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const QString shown = attachThroughTheButton(dir);
    QVERIFY(!QTest::currentTestFailed());
    // The engine's words, then what to do: not the same folder again.
    QVERIFY2(shown.startsWith(QStringLiteral("The LoRA adapter could not be attached: ")),
             qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("has shape")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("trained for another base model")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("attaching it again fails the same way")),
             qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("Choose an adapter of this base model")),
             qPrintable(shown));
    QCOMPARE(attachedAdapter(), QString()); // the model goes on as it was

    // Doing what it says (an adapter of this base) works, and the message goes away.
    QCOMPARE(attachThroughTheButton(testmodels::tinyLlama3LoraDir()), QString());
    QTRY_VERIFY(attachedAdapter().endsWith(QStringLiteral("tiny-llama3-lora")));
}

void tst_PlaygroundLoraFailures::damagedWeights_saysDownloadAgain()
{
    // adapter_model.safetensors cut short (a copy or download that stopped).
    const QString dir = m_tmp.filePath(QStringLiteral("cut-short"));
    const QString error = testmodels::copyTinyLlama3Lora(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile weights(QDir(dir).filePath(QStringLiteral("adapter_model.safetensors")));
    QVERIFY(weights.resize(200));

    const QString shown = attachThroughTheButton(dir);
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY2(shown.contains(QStringLiteral("adapter_model.safetensors")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("attaching it again fails the same way")),
             qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("download or copy this one again")), qPrintable(shown));
    QVERIFY2(!shown.contains(QStringLiteral("This may pass")), qPrintable(shown));
    QCOMPARE(attachedAdapter(), QString());
}

void tst_PlaygroundLoraFailures::notAnAdapterFolder_saysChooseTheAdaptersOwnFolder()
{
    // The base model's folder chosen by mistake: it has no adapter_config.json.
    const QString shown = attachThroughTheButton(m_base);
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY2(shown.contains(QStringLiteral("adapter_config.json")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("Choose the adapter's own folder")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("fails the same way")), qPrintable(shown));
    QCOMPARE(attachedAdapter(), QString());
}

QTEST_MAIN(tst_PlaygroundLoraFailures)
#include "tst_playgroundlorafailures.moc"
