// The Local models page walked as a new user does (helper H-M's walk): a LoRA whose base has no
// tokenizer is not offered for loading, the context length stays the user's when a model with a
// shorter window was looked at in between, what a failed load said goes once another row is
// chosen, a rescan (each visit of the page makes one) keeps the row selected, the memory
// verdict is for the backend chosen, choosing a row does not move the table, and a folder added
// again is picked in the list, where Delete takes it off.

#include "common/localmodelspagefixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <ui/localmodelspage.h>

#include <engine/host/modelinspection.h>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

//! Sets `key` of `dir`/config.json to `value`.
bool editConfig(const QString &dir, const QString &key, const QJsonValue &value)
{
    QFile f(QDir(dir).filePath(QStringLiteral("config.json")));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QJsonObject config = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    config.insert(key, value);
    return writeFile(f.fileName(), QJsonDocument(config).toJson());
}

} // namespace

class tst_LocalModelsWalk : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void loraOnABaseWithoutTokenizer_isNotOfferedForLoading();
    void contextLength_staysTheUsersChoice_afterAShorterWindow();
    void failedLoadsWords_goWhenAnotherRowIsChosen();
    void rescan_keepsTheSelectedRow();
    void memoryVerdict_isForTheBackendChosen();
    void choosingARow_doesNotMoveTheTable();
    void addingAFolderAgain_picksIt_deleteTakesItOff();

private:
    QPushButton *button(const QString &text) const;
    QLabel *label(const char *name) const;
    bool addRoot();
    int rowNamed(const QString &name) const;
    bool select(const QString &name);

    QTemporaryDir m_tmp;
    QString m_root;
    testing::LocalModelsPageFixture m_local;
};

void tst_LocalModelsWalk::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_localmodelswalk"));
    m_root = m_tmp.filePath(QStringLiteral("library"));
    // A chat model with a 256-token window, and one that says 8192 (never loaded here).
    QString error = testmodels::writeTinyChatModel(m_root + QStringLiteral("/tiny-chat"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString longer = m_root + QStringLiteral("/long-window");
    error = testmodels::writeTinyChatModel(longer);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(editConfig(longer, QStringLiteral("max_position_embeddings"), 8192));
    // A chat model whose tokenizer.json is damaged: the scan finds it, the load fails.
    const QString damaged = m_root + QStringLiteral("/damaged-tokenizer");
    error = testmodels::writeTinyChatModel(damaged);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(writeFile(QDir(damaged).filePath(QStringLiteral("tokenizer.json")), "{"));
    // The golden LoRA beside its base ("../tiny-llama3-f32"), weights without a tokenizer.
    const QString base = m_root + QStringLiteral("/tiny-llama3-f32");
    QVERIFY(QDir().mkpath(base));
    for (const QString &f : {QStringLiteral("config.json"), QStringLiteral("model.safetensors")})
        QVERIFY(QFile::copy(QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/tiny-llama3-f32/") + f,
                            QDir(base).filePath(f)));
    error = testmodels::copyTinyLlama3Lora(m_root + QStringLiteral("/tiny-lora"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_LocalModelsWalk::init()
{
    QVERIFY(m_local.open());
    QVERIFY(addRoot());
}

void tst_LocalModelsWalk::cleanup()
{
    m_local.close();
}

QPushButton *tst_LocalModelsWalk::button(const QString &text) const
{
    for (QPushButton *b : m_local.page->findChildren<QPushButton *>())
        if (b->text().remove(QLatin1Char('&')) == text) // the words, not the Alt+letter
            return b;
    return nullptr;
}

QLabel *tst_LocalModelsWalk::label(const char *name) const
{
    return m_local.page->findChild<QLabel *>(QString::fromLatin1(name));
}

bool tst_LocalModelsWalk::addRoot()
{
    QSignalSpy finished(m_local.library.get(), &models::LocalModelLibrary::scanFinished);
    m_local.library->addRoot(m_root);
    return finished.wait(30000) && m_local.library->rowCount() == 5;
}

int tst_LocalModelsWalk::rowNamed(const QString &name) const
{
    QAbstractItemModel *model = m_local.page->table()->model();
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data().toString() == name)
            return r;
    return -1;
}

bool tst_LocalModelsWalk::select(const QString &name)
{
    const int row = rowNamed(name);
    return row >= 0 && testing::clickRow(m_local.page->table(), row);
}

void tst_LocalModelsWalk::loraOnABaseWithoutTokenizer_isNotOfferedForLoading()
{
    // The row said "Yes" and Load was enabled; the load then failed on the base's missing
    // tokenizer.json and advised downloading the folder again.
    QVERIFY(select(QStringLiteral("tiny-lora")));
    QPushButton *load = button(QStringLiteral("Load"));
    QVERIFY(!load->isEnabled());
    const QString base = QDir::toNativeSeparators(m_root + QStringLiteral("/tiny-llama3-f32"));
    QVERIFY2(load->toolTip().contains(base + QStringLiteral(" has no tokenizer.json")),
             qPrintable(load->toolTip()));
    bool said = false; // the Model row says it too, without hovering
    for (QLabel *l : m_local.page->findChildren<QLabel *>())
        said |= l->isVisible() && l->text().contains(QStringLiteral("has no tokenizer.json"));
    QVERIFY(said);
    const QModelIndex verdict = m_local.page->table()->model()->index(
        rowNamed(QStringLiteral("tiny-lora")), models::LocalModelLibrary::SupportedColumn);
    QCOMPARE(verdict.data().toString(),
             QStringLiteral("Weights only: its base has no tokenizer.json"));
}

void tst_LocalModelsWalk::contextLength_staysTheUsersChoice_afterAShorterWindow()
{
    auto *context = m_local.page->findChild<QSpinBox *>(QStringLiteral("contextLength"));
    QVERIFY(select(QStringLiteral("long-window")));
    QVERIFY(context->isEnabled());
    context->setFocus();
    context->selectAll();
    QTest::keyClicks(context, QStringLiteral("6000"));
    QCOMPARE(context->value(), 6000);
    // A model with 256 tokens of window lowers it, as it must.
    QVERIFY(select(QStringLiteral("tiny-chat")));
    QCOMPARE(context->value(), 256);
    // Back on the longer window: the 6000 the user typed, not the 256 it was lowered to.
    QVERIFY(select(QStringLiteral("long-window")));
    QCOMPARE(context->value(), 6000);
    QCOMPARE(context->maximum(), 8192);
}

void tst_LocalModelsWalk::failedLoadsWords_goWhenAnotherRowIsChosen()
{
    QVERIFY(select(QStringLiteral("damaged-tokenizer")));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loading failed")), 30000);
    // The failure rescans the folders and selects the row again: the words stay with it.
    QTRY_VERIFY_WITH_TIMEOUT(!m_local.library->isScanning(), 30000);
    QTRY_COMPARE(m_local.page->table()->currentIndex().row(),
                 rowNamed(QStringLiteral("damaged-tokenizer")));
    QVERIFY2(label("loadStatus")->text().startsWith(QStringLiteral("Loading failed")),
             qPrintable(label("loadStatus")->text()));
    // Another row: the failure was about the damaged model, not this one.
    QVERIFY(select(QStringLiteral("tiny-chat")));
    QCOMPARE(label("loadStatus")->text(), QStringLiteral("Nothing loaded."));
}

void tst_LocalModelsWalk::rescan_keepsTheSelectedRow()
{
    QVERIFY(select(QStringLiteral("tiny-chat")));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(label("loadStatus")->text().startsWith(QStringLiteral("Loaded on")),
                             30000);
    // Coming back to the page rescans the folders (Page::reload).
    QSignalSpy finished(m_local.library.get(), &models::LocalModelLibrary::scanFinished);
    m_local.page->reload();
    QVERIFY(finished.wait(30000));
    const QModelIndexList rows = m_local.page->table()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data().toString(), QStringLiteral("tiny-chat"));
    QVERIFY(button(QStringLiteral("Unload"))->isEnabled());
    QVERIFY2(label("loadStatus")->text().startsWith(QStringLiteral("Loaded on")),
             qPrintable(label("loadStatus")->text()));
}

void tst_LocalModelsWalk::memoryVerdict_isForTheBackendChosen()
{
    const QString dir = m_root + QStringLiteral("/tiny-chat");
    if (enginehost::estimateMemory(dir, 256).gpuPresent)
        QSKIP("a GPU is usable here: CUDA chosen by hand is what Auto picks");
    QVERIFY(select(QStringLiteral("tiny-chat")));
    QLabel *memory = label("memoryEstimate");
    QTRY_VERIFY(memory->text().contains(QStringLiteral("needs")));
    // CUDA chosen on a machine without a usable GPU: it said "fits in memory … (CPU: no CUDA
    // device …)" and the load then failed.
    auto *backend = m_local.page->findChild<QComboBox *>(QStringLiteral("backend"));
    backend->setFocus();
    QTest::keyClick(backend, Qt::Key_End); // CUDA, the last
    QCOMPARE(backend->currentText(), QStringLiteral("CUDA"));
    QTRY_VERIFY2(memory->text().contains(QStringLiteral("the CUDA backend cannot be used here")),
                 qPrintable(memory->text()));
    QVERIFY(memory->text().contains(QStringLiteral("choose Auto or CPU")));
    QTest::keyClick(backend, Qt::Key_Up); // CPU
    QTRY_VERIFY2(memory->text().contains(QStringLiteral("fits in memory on the CPU: needs")),
                 qPrintable(memory->text()));
}

void tst_LocalModelsWalk::choosingARow_doesNotMoveTheTable()
{
    QTableView *table = m_local.page->table();
    QTRY_VERIFY(m_local.page->isVisible());
    QCoreApplication::processEvents(); // the layout after the scan (its hint hidden)
    const int before = table->height();
    QVERIFY(select(QStringLiteral("tiny-chat")));
    QTRY_VERIFY(label("memoryEstimate")->text().contains(QStringLiteral("needs")));
    QCoreApplication::processEvents(); // the layout after the estimate's two lines
    QCOMPARE(table->height(), before);
}

void tst_LocalModelsWalk::addingAFolderAgain_picksIt_deleteTakesItOff()
{
    auto *roots = m_local.page->findChild<QListWidget *>(QStringLiteral("roots"));
    QCOMPARE(roots->count(), 1);
    QVERIFY(!roots->currentItem());
    QVERIFY(testing::click(button(QStringLiteral("Add folder…"))));
    auto *dialog = testing::waitForDialog<QFileDialog>(m_local.page.get());
    QVERIFY(dialog);
    dialog->setDirectory(m_root);
    dialog->selectFile(m_root);
    static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept is protected
    // Nothing happened at all when the folder was in the list already.
    QTRY_VERIFY(roots->currentItem());
    QCOMPARE(roots->count(), 1);
    QCOMPARE(roots->currentItem()->text(), QDir(m_root).absolutePath());
    QVERIFY(button(QStringLiteral("Remove folder"))->isEnabled());
    // Delete there (the window's Edit → Delete…) takes it off the list, as Remove folder does;
    // it did nothing on this page.
    QVERIFY(roots->hasFocus());
    m_local.page->deleteSelected();
    QTRY_COMPARE(roots->count(), 0);
    QVERIFY(QDir(m_root).exists()); // the folder itself stays
}

QTEST_MAIN(tst_LocalModelsWalk)
#include "tst_localmodelswalk.moc"
