// A load that fails on the Local models page says, after the engine's words, what to do
// (models::LocalEngine::loadFailureText by enginehost::remedyFor): out of memory (provoked for
// real: the address space capped while the KV cache of a long context is allocated) asks to
// free memory, or choose a shorter context or the CPU backend, and to load again, and a shorter
// context then loads; a damaged tokenizer.json (the weights scan fine, Load is offered) says
// that loading it again fails the same way; a LoRA adapter's row whose adapter no longer fits
// its base (replaced since the scan) says the adapter failed, not the model. A model whose files
// changed since the scan (moved away, weights cut short) fails to load and its row then says what
// is there now.

#include "common/localmodelspagefixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/generationfailures.h"
#include "enginehost/testmodels.h"

#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QScopeGuard>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

#include <thread>

class tst_LocalModelsLoadFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void outOfMemory_saysFreeMemoryOrAShorterContext_andThatLoads();
    void damagedTokenizer_saysLoadingAgainFailsTheSameWay();
    void mismatchedAdapter_saysTheAdapterFailed_andTheBaseLoadsAlone();
    void changedSinceTheScan_theRowSaysWhatIsThereNow();

private:
    QPushButton *button(const QString &text) const;
    QLabel *label(const char *name) const;
    //! Adds the library folder and clicks the row of `name`; false when it is not listed.
    bool select(const QString &name);
    //! Types `tokens` into the context box and waits for its estimate.
    bool chooseContext(int tokens);

    QTemporaryDir m_tmp;
    QString m_root;
    testing::LocalModelsPageFixture m_local;
};

void tst_LocalModelsLoadFailures::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_localmodelsloadfailures"));
    m_root = m_tmp.filePath(QStringLiteral("library"));
    // The golden tiny Qwen3 with a context of 1M tokens (the page's largest): its KV cache
    // needs 256 MiB there (2 layers x 2 KV heads x 16 x 2 bytes a token, K and V).
    const QString longContext = m_root + QStringLiteral("/long-context");
    QString error = testmodels::writeTinyChatModel(longContext);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile config(longContext + QStringLiteral("/config.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(config.readAll()).object();
    config.close();
    o.insert(QStringLiteral("max_position_embeddings"), 1 << 20);
    QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
    config.write(QJsonDocument(o).toJson());
    config.close();
    // Weights that map, with a tokenizer.json that is cut off: read only when loading.
    const QString damaged = m_root + QStringLiteral("/damaged-tokenizer");
    error = testmodels::writeTinyChatModel(damaged);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile tokenizer(damaged + QStringLiteral("/tokenizer.json"));
    QVERIFY(tokenizer.open(QIODevice::WriteOnly | QIODevice::Truncate));
    tokenizer.write("{\"model\": {\"type\": \"BPE\", ");
    tokenizer.close();
    // The golden tiny Llama 3 and its adapter (found as its base by the relative path in
    // base_model_name_or_path).
    error = testmodels::writeTinyLlama3(m_root + QStringLiteral("/tiny-llama3"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = testmodels::copyTinyLlama3Lora(m_root + QStringLiteral("/llama-lora"),
                                           QStringLiteral("../tiny-llama3"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_LocalModelsLoadFailures::init()
{
    QVERIFY(m_local.open());
}

void tst_LocalModelsLoadFailures::cleanup()
{
    m_local.close();
}

QPushButton *tst_LocalModelsLoadFailures::button(const QString &text) const
{
    for (QPushButton *b : m_local.page->findChildren<QPushButton *>())
        if (b->text().remove(QLatin1Char('&')) == text) // the words, not the Alt+letter
            return b;
    return nullptr;
}

QLabel *tst_LocalModelsLoadFailures::label(const char *name) const
{
    return m_local.page->findChild<QLabel *>(QString::fromLatin1(name));
}

bool tst_LocalModelsLoadFailures::select(const QString &name)
{
    m_local.library->addRoot(m_root);
    if (!QTest::qWaitFor(
            [&] { return m_local.page->isLoaded() && m_local.library->rowCount() == 4; }, 30000))
        return false;
    QAbstractItemModel *model = m_local.page->table()->model();
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data().toString() == name)
            return testing::clickRow(m_local.page->table(), r);
    return false;
}

bool tst_LocalModelsLoadFailures::chooseContext(int tokens)
{
    auto *context = m_local.page->findChild<QSpinBox *>(QStringLiteral("contextLength"));
    // A click into its text (Tab would walk the table's cells first), all of it selected.
    auto *text = context ? context->findChild<QLineEdit *>() : nullptr;
    if (!text || !context->isEnabled())
        return false;
    QTest::mouseClick(text, Qt::LeftButton, {}, text->rect().center());
    QTest::keyClick(context, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(context, QString::number(tokens));
    QTest::keyClick(context, Qt::Key_Return);
    // The estimate names the context it was made for ("(1048576 tokens)").
    return context->value() == tokens &&
           QTest::qWaitFor(
               [&] {
                   return label("memoryEstimate")
                       ->text()
                       .contains(QStringLiteral("(%1 tokens)").arg(tokens));
               },
               10000);
}

void tst_LocalModelsLoadFailures::outOfMemory_saysFreeMemoryOrAShorterContext_andThatLoads()
{
    QVERIFY(select(QStringLiteral("long-context")));
    QVERIFY(chooseContext(1 << 20));
    auto *backend = m_local.page->findChild<QComboBox *>(QStringLiteral("backend"));
    QVERIFY(backend);
    QVERIFY(testing::tabTo(m_local.page.get(), backend)); // from the context box
    QTest::keyClick(backend, Qt::Key_Down);               // Auto -> CPU
    QCOMPARE(backend->currentText(), QStringLiteral("CPU"));
    // The estimate for the CPU (asked again on the change) is done before the address space
    // shrinks: its worker must not be what runs out of room.
    QTRY_VERIFY(!label("memoryEstimate")->text().startsWith(QStringLiteral("Estimating")));

    // Room for the load's threads (the engine starts one a core: 8 MiB of stack each) but not
    // for the KV cache of a million tokens.
    const quint64 headroom = (quint64(64) + 9 * std::thread::hardware_concurrency()) << 20;
    if (headroom >= (quint64(256) << 20))
        QSKIP("too many cores: their stacks alone would take the room the KV cache needs");
    QString failure;
    {
        testmodels::AddressSpaceLimit limit(headroom);
        if (!limit.ok())
            QSKIP(qPrintable(limit.why()));
        if (!testing::click(button(QStringLiteral("Load"))))
            QFAIL("Load cannot be clicked");
        (void)QTest::qWaitFor(
            [&] {
                return label("loadStatus")->text().startsWith(QStringLiteral("Loading failed"));
            },
            30000);
        limit.lift();
        failure = label("loadStatus")->text();
    }
    QVERIFY2(failure.contains(QStringLiteral("cannot allocate the KV cache")), qPrintable(failure));
    // On the CPU already: a shorter context, not another backend.
    QVERIFY2(failure.contains(QStringLiteral("free some (unload another model, close a program) "
                                             "or choose a shorter context, then load again.")),
             qPrintable(failure));
    QVERIFY(m_local.engine->loadedModels().isEmpty());
    QVERIFY(button(QStringLiteral("Load"))->isEnabled()); // loading again is offered

    // As it says: a shorter context loads.
    QVERIFY(chooseContext(4096));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loaded on the CPU")), 30000);
    QCOMPARE(m_local.engine->loadedModels().size(), 1);
}

void tst_LocalModelsLoadFailures::damagedTokenizer_saysLoadingAgainFailsTheSameWay()
{
    QVERIFY(select(QStringLiteral("damaged-tokenizer")));
    QVERIFY(button(QStringLiteral("Load"))->isEnabled()); // the scan found nothing wrong
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loading failed")), 30000);
    const QString failure = label("loadStatus")->text();
    QVERIFY2(failure.contains(QStringLiteral("tokenizer.json")), qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("A file of this model is damaged: loading it again "
                                             "fails the same way")),
             qPrintable(failure));
    QVERIFY(!failure.contains(QStringLiteral("load again")));
    QVERIFY(m_local.engine->loadedModels().isEmpty());
}

void tst_LocalModelsLoadFailures::mismatchedAdapter_saysTheAdapterFailed_andTheBaseLoadsAlone()
{
    QVERIFY(select(QStringLiteral("llama-lora")));
    QVERIFY(button(QStringLiteral("Load"))->isEnabled()); // the scan found it whole
    // Replaced since the scan by an adapter that does not fit (rank 4 in its config, rank 8 in
    // its tensors), as a copy or download over it would: the load finds out.
    const QString error =
        testmodels::writeMismatchedRankLora(m_root + QStringLiteral("/llama-lora"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The search of the folders that a failed load starts still runs when the base row is
    // chosen, as on a slow disk or a busy machine (CI saw it): the user's pick must stand. A
    // tree of many empty folders keeps that search busy for a while.
    const QString slow = m_root + QStringLiteral("/zz-many-folders");
    const auto removeSlow = qScopeGuard([&] { QDir(slow).removeRecursively(); });
    for (int i = 0; i < 200; ++i)
        for (int j = 0; j < 100; ++j)
            QVERIFY(QDir().mkpath(QStringLiteral("%1/%2/%3").arg(slow).arg(i).arg(j)));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loading failed")), 30000);
    QVERIFY(m_local.library->isScanning());
    const QString failure = label("loadStatus")->text();
    QVERIFY2(failure.startsWith(QStringLiteral("Loading failed: the LoRA adapter could not be "
                                               "attached to its base model: ")),
             qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("has shape")), qPrintable(failure)); // the engine's
    QVERIFY2(failure.contains(QStringLiteral("trained for another base model")),
             qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("loading it again fails the same way")),
             qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("the base model loads on its own")),
             qPrintable(failure));
    QVERIFY2(!failure.contains(QStringLiteral("This engine cannot load this model")),
             qPrintable(failure));
    QVERIFY(m_local.engine->loadedModels().isEmpty());

    // As it says: the base model's own row loads.
    QAbstractItemModel *model = m_local.page->table()->model();
    int base = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data().toString() == QStringLiteral("tiny-llama3"))
            base = r;
    QVERIFY(testing::clickRow(m_local.page->table(), base));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QVERIFY(m_local.library->isScanning()); // the pick came first
    QTRY_VERIFY_WITH_TIMEOUT(!m_local.library->isScanning(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loaded on the CPU")), 30000);
    QCOMPARE(m_local.engine->loadedModels().size(), 1);
    const QModelIndexList picked = m_local.page->table()->selectionModel()->selectedRows();
    QVERIFY(!picked.isEmpty());
    QCOMPARE(picked.first().data().toString(), QStringLiteral("tiny-llama3"));
}

void tst_LocalModelsLoadFailures::changedSinceTheScan_theRowSaysWhatIsThereNow()
{
    // A folder of its own: the models moved and damaged here are not the other tests'.
    const QString root = m_tmp.filePath(QStringLiteral("changing"));
    for (const char *name : {"moved", "cut-short"}) {
        const QString error = testmodels::writeTinyChatModel(root + QLatin1Char('/') +
                                                            QLatin1String(name));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    m_local.library->addRoot(root);
    QTRY_VERIFY_WITH_TIMEOUT(m_local.page->isLoaded() && m_local.library->rowCount() == 2, 30000);
    QAbstractItemModel *model = m_local.page->table()->model();
    const auto rowOf = [model](const QString &name) {
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->index(r, 0).data().toString() == name)
                return r;
        return -1;
    };
    const auto verdictOf = [model, &rowOf](const QString &name) {
        return model->index(rowOf(name), models::LocalModelLibrary::SupportedColumn)
            .data()
            .toString();
    };

    // Moved by a file manager after the scan: the load finds nothing, and the row goes to where
    // the model is now.
    QVERIFY(testing::clickRow(m_local.page->table(), rowOf(QStringLiteral("moved"))));
    QVERIFY(button(QStringLiteral("Load"))->isEnabled());
    QVERIFY(QDir(root).rename(QStringLiteral("moved"), QStringLiteral("moved-here")));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loading failed")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("moved-here")) >= 0, 30000);
    QCOMPARE(rowOf(QStringLiteral("moved")), -1);
    // The failure stays to be read, and says the folder went, not that a file is missing.
    const QString failure = label("loadStatus")->text();
    QVERIFY2(failure.startsWith(QStringLiteral("Loading failed: ") +
                                QDir::toNativeSeparators(root + QStringLiteral("/moved")) +
                                QStringLiteral(" is no longer there (moved or deleted")),
             qPrintable(failure));

    // Weights cut short after the scan (a copy that stopped): the row, still selected, says
    // they are damaged and Load is no longer offered.
    QVERIFY(testing::clickRow(m_local.page->table(), rowOf(QStringLiteral("cut-short"))));
    QCOMPARE(verdictOf(QStringLiteral("cut-short")), QStringLiteral("Yes"));
    QFile weights(root + QStringLiteral("/cut-short/model.safetensors"));
    QVERIFY(weights.resize(weights.size() / 2));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(verdictOf(QStringLiteral("cut-short")) != QStringLiteral("Yes"),
                             30000);
    const QString verdict = verdictOf(QStringLiteral("cut-short"));
    QVERIFY2(verdict.contains(QStringLiteral("model.safetensors")), qPrintable(verdict));
    QVERIFY(label("loadStatus")->text().startsWith(QStringLiteral("Loading failed")));
    const QModelIndexList selected = m_local.page->table()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data().toString(), QStringLiteral("cut-short"));
    QVERIFY(!button(QStringLiteral("Load"))->isEnabled());
    QVERIFY(m_local.engine->loadedModels().isEmpty());
}

QTEST_MAIN(tst_LocalModelsLoadFailures)
#include "tst_localmodelsloadfailures.moc"
