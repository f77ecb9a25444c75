// The Local models page as a person uses it: add a folder through the dialog (it opens in the
// home folder, later beside the folder added last), Rescan only where there is something to
// scan, see the models with their verdicts, pick one, read the memory estimate, load it
// (progress, then the backend and its reason), unload it, and cancel a load.

#include "common/localmodelspagefixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <ui/localmodelspage.h>

#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

class tst_LocalModelsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void firstShow_saysHowToStart();
    void addFolder_opensAtHomeThenBesideTheLastFolder();
    void rescan_onlyWithAFolderAndNotWhileScanning();
    void emptyTable_saysWhy_searchingOrNothingFound();
    void addFolder_listsModelsWithEstimate();
    void load_showsBackendAndUnloadFrees();
    void cancel_leavesNothingLoaded();
    void keyboard_returnOnARowLoads_altLettersReachTheControls();
    void sortBySize_isByBytes_notByText();

private:
    QPushButton *button(const QString &text) const;
    QLabel *label(const char *name) const;
    bool addRootThroughDialog();
    int rowNamed(const QString &name) const;

    QTemporaryDir m_tmp;
    QString m_root;
    testing::LocalModelsPageFixture m_local;
};

void tst_LocalModelsPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_localmodelspage"));
    m_root = m_tmp.filePath(QStringLiteral("library"));
    QString error = testmodels::writeTinyChatModel(m_root + QStringLiteral("/team/tiny-chat"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // A folder the engine refuses, to see its words in the table.
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/gpt2")));
    QFile cfg(m_root + QStringLiteral("/gpt2/config.json"));
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    cfg.write(R"({"model_type":"gpt2"})");
}

void tst_LocalModelsPage::init()
{
    QVERIFY(m_local.open());
}

void tst_LocalModelsPage::cleanup()
{
    m_local.close();
}

QPushButton *tst_LocalModelsPage::button(const QString &text) const
{
    for (QPushButton *b : m_local.page->findChildren<QPushButton *>())
        if (b->text().remove(QLatin1Char('&')) == text) // the words, not the Alt+letter
            return b;
    return nullptr;
}

QLabel *tst_LocalModelsPage::label(const char *name) const
{
    return m_local.page->findChild<QLabel *>(QString::fromLatin1(name));
}

bool tst_LocalModelsPage::addRootThroughDialog()
{
    if (!testing::click(button(QStringLiteral("Add folder…"))))
        return false;
    auto *dialog = testing::waitForDialog<QFileDialog>(m_local.page.get());
    if (!dialog)
        return false;
    dialog->setDirectory(m_root);
    dialog->selectFile(m_root);
    static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept is protected
    return QTest::qWaitFor(
        [&] { return m_local.page->isLoaded() && m_local.library->rowCount() == 2; }, 30000);
}

int tst_LocalModelsPage::rowNamed(const QString &name) const
{
    QAbstractItemModel *model = m_local.page->table()->model();
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data().toString() == name)
            return r;
    return -1;
}

void tst_LocalModelsPage::firstShow_saysHowToStart()
{
    QVERIFY(m_local.page->findChild<QLabel *>()); // the page has built its widgets
    bool sawHint = false;
    for (QLabel *l : m_local.page->findChildren<QLabel *>())
        if (l->isVisible() && l->text().startsWith(QStringLiteral("No model folders yet")))
            sawHint = true;
    QVERIFY(sawHint);
    QCOMPARE(m_local.page->table()->model()->rowCount(), 0);
    QVERIFY(!button(QStringLiteral("Load"))->isEnabled());
    QVERIFY(!button(QStringLiteral("Unload"))->isEnabled());
    QVERIFY(!button(QStringLiteral("Cancel"))->isVisible());
    // The Status row says so (it was an empty value beside "Status:").
    QCOMPARE(label("loadStatus")->text(), QStringLiteral("Nothing loaded."));
    // No folder: nothing to rescan, and the button says why instead of doing nothing.
    QPushButton *rescan = button(QStringLiteral("Rescan"));
    QVERIFY(rescan);
    QVERIFY(!rescan->isEnabled());
    QVERIFY2(rescan->toolTip().contains(QStringLiteral("Add a model folder first")),
             qPrintable(rescan->toolTip()));
    // No empty bar beside Load (it looked like a text box), no empty Memory row: it says what
    // it waits for; Load and Unload carry their verbs' icons.
    QVERIFY(m_local.page->findChild<QProgressBar *>(QStringLiteral("loadProgress"))->isHidden());
    QVERIFY2(label("memoryEstimate")->text().contains(QStringLiteral("once one is selected")),
             qPrintable(label("memoryEstimate")->text()));
    QVERIFY(!button(QStringLiteral("Load"))->icon().isNull());
    QVERIFY(!button(QStringLiteral("Unload"))->icon().isNull());
}

void tst_LocalModelsPage::addFolder_opensAtHomeThenBesideTheLastFolder()
{
    // Nothing added yet: the home folder, not the directory the app was started from (ctest
    // starts this one in the build tree).
    QVERIFY(QDir::currentPath() != QDir::homePath());
    QVERIFY(testing::click(button(QStringLiteral("Add folder…"))));
    auto *dialog = testing::waitForDialog<QFileDialog>(m_local.page.get());
    QVERIFY(dialog);
    QCOMPARE(dialog->directory().absolutePath(), QDir::home().absolutePath());
    dialog->reject();
    QTRY_VERIFY(!dialog->isVisible());

    QVERIFY(addRootThroughDialog());
    const QString beside = QFileInfo(m_root).absolutePath(); // the library folder's parent
    QVERIFY(testing::click(button(QStringLiteral("Add folder…"))));
    dialog = testing::waitForDialog<QFileDialog>(m_local.page.get());
    QVERIFY(dialog);
    QCOMPARE(dialog->directory().absolutePath(), beside);
    dialog->reject();
    QTRY_VERIFY(!dialog->isVisible());

    // Remembered: a new page (the app started again) opens there too, even with the folder
    // removed from the list.
    m_local.library->removeRoot(QDir(m_root).absolutePath());
    m_local.page.reset();
    m_local.page =
        std::make_unique<ui::LocalModelsPage>(m_local.library.get(), m_local.engine.get());
    m_local.page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_local.page.get()));
    QVERIFY(testing::click(button(QStringLiteral("Add folder…"))));
    dialog = testing::waitForDialog<QFileDialog>(m_local.page.get());
    QVERIFY(dialog);
    QCOMPARE(dialog->directory().absolutePath(), beside);
    dialog->reject();
}

void tst_LocalModelsPage::rescan_onlyWithAFolderAndNotWhileScanning()
{
    QPushButton *rescan = button(QStringLiteral("Rescan"));
    QVERIFY(!rescan->isEnabled());
    QVERIFY(addRootThroughDialog());
    QTRY_VERIFY(rescan->isEnabled());
    QVERIFY(!rescan->toolTip().contains(QStringLiteral("Add a model folder first")));

    // While the scan it starts runs, it cannot be pressed again; then it can.
    QList<bool> enabledWhileScanning; // as the scan starts (the page heard of it first)
    QObject watching;
    connect(m_local.library.get(), &models::LocalModelLibrary::scanningChanged, &watching,
            [&](bool scanning) {
                if (scanning)
                    enabledWhileScanning << rescan->isEnabled();
            });
    QSignalSpy finished(m_local.library.get(), &models::LocalModelLibrary::scanFinished);
    QVERIFY(testing::click(rescan));
    QVERIFY(finished.wait(30000));
    QCOMPARE(enabledWhileScanning, QList<bool>{false});
    QTRY_VERIFY(rescan->isEnabled());
    QCOMPARE(rescan->text(), QStringLiteral("&Rescan"));

    // The only folder removed: nothing to rescan again.
    auto *roots = m_local.page->findChild<QListWidget *>(QStringLiteral("roots"));
    QVERIFY(testing::clickRow(roots, 0));
    QVERIFY(testing::click(button(QStringLiteral("Remove folder"))));
    QTRY_VERIFY(!m_local.library->isScanning());
    QTRY_VERIFY(!rescan->isEnabled());
    QVERIFY(rescan->toolTip().contains(QStringLiteral("Add a model folder first")));
}

//! Under folders, an empty table said nothing: not while a large tree was searched (the
//! button's "Scanning…" alone), nor when the folders held no model.
void tst_LocalModelsPage::emptyTable_saysWhy_searchingOrNothingFound()
{
    auto *empty = m_local.page->findChild<QLabel *>(QStringLiteral("modelsEmpty"));
    QVERIFY(empty);
    QTemporaryDir nothing;
    QVERIFY(QDir().mkpath(nothing.filePath(QStringLiteral("docs/notes"))));
    QSignalSpy finished(m_local.library.get(), &models::LocalModelLibrary::scanFinished);
    QVERIFY(m_local.library->addRoot(nothing.path()));
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(empty->isVisible());
    QVERIFY2(empty->text().startsWith(QStringLiteral("No model was found under these folders")),
             qPrintable(empty->text()));
    // While a search runs, it says how far it got.
    Q_EMIT m_local.library->scanningChanged(true);
    Q_EMIT m_local.library->scanProgress(12288);
    QVERIFY(empty->isVisible());
    QCOMPARE(empty->text(), QStringLiteral("Searching the model folders… 12,288 folders so far."));
    Q_EMIT m_local.library->scanningChanged(false);
}

void tst_LocalModelsPage::addFolder_listsModelsWithEstimate()
{
    QVERIFY(addRootThroughDialog());
    QCOMPARE(QSettings().value(QStringLiteral("test/roots")).toStringList(),
             QStringList{QDir(m_root).absolutePath()});
    const int gpt2 = rowNamed(QStringLiteral("gpt2"));
    QVERIFY(gpt2 >= 0);
    const QString verdict = m_local.page->table()
                                ->model()
                                ->index(gpt2, models::LocalModelLibrary::SupportedColumn)
                                .data()
                                .toString();
    QVERIFY2(verdict.startsWith(QStringLiteral("No: ")) && verdict.contains(QStringLiteral("gpt2")),
             qPrintable(verdict));
    QVERIFY(testing::clickRow(m_local.page->table(), gpt2));
    QVERIFY(!button(QStringLiteral("Load"))->isEnabled());

    const int tiny = rowNamed(QStringLiteral("tiny-chat"));
    QVERIFY(testing::clickRow(m_local.page->table(), tiny));
    QTRY_VERIFY_WITH_TIMEOUT(label("memoryEstimate")->text().contains(QStringLiteral("fits")),
                             10000);
    QVERIFY(label("memoryEstimate")->text().contains(QStringLiteral("KV cache")));
    QVERIFY(button(QStringLiteral("Load"))->isEnabled());
}

void tst_LocalModelsPage::load_showsBackendAndUnloadFrees()
{
    QVERIFY(addRootThroughDialog());
    QVERIFY(testing::clickRow(m_local.page->table(), rowNamed(QStringLiteral("tiny-chat"))));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loaded on the")), 30000);
    // This machine has no usable GPU: the selector's reason is shown, not hidden.
    QVERIFY2(label("loadStatus")->text().contains(QStringLiteral("CPU")),
             qPrintable(label("loadStatus")->text()));
    QCOMPARE(m_local.engine->loadedModels().size(), 1);
    QVERIFY(!button(QStringLiteral("Load"))->isEnabled());
    // The table says which rows are in memory, on which backend, without selecting each.
    QTableView *table = m_local.page->table();
    const auto loadedCell = [&](const QString &name) {
        return table->model()->index(rowNamed(name), models::LocalModelLibrary::LoadedColumn);
    };
    QCOMPARE(loadedCell(QStringLiteral("tiny-chat")).data().toString(), QStringLiteral("CPU"));
    QCOMPARE(loadedCell(QStringLiteral("gpt2")).data().toString(), QString());
    QVERIFY(table->columnWidth(models::LocalModelLibrary::LoadedColumn) >=
            table->fontMetrics().horizontalAdvance(QStringLiteral("CPU")));
    // Another row: it is not loaded, and the row says what is in memory instead.
    QVERIFY(testing::clickRow(m_local.page->table(), rowNamed(QStringLiteral("gpt2"))));
    QCOMPARE(label("loadStatus")->text(), QStringLiteral("Not loaded. In memory: tiny-chat."));
    QVERIFY(testing::clickRow(m_local.page->table(), rowNamed(QStringLiteral("tiny-chat"))));
    QVERIFY(label("loadStatus")->text().startsWith(QStringLiteral("Loaded on the")));
    QVERIFY(testing::click(button(QStringLiteral("Unload"))));
    QTRY_VERIFY(m_local.engine->loadedModels().isEmpty());
    QVERIFY(button(QStringLiteral("Load"))->isEnabled());
    QTRY_COMPARE(label("loadStatus")->text(), QStringLiteral("Nothing loaded."));
    QCOMPARE(loadedCell(QStringLiteral("tiny-chat")).data().toString(), QString());
}

void tst_LocalModelsPage::cancel_leavesNothingLoaded()
{
    QVERIFY(addRootThroughDialog());
    QVERIFY(testing::clickRow(m_local.page->table(), rowNamed(QStringLiteral("tiny-chat"))));
    QVERIFY(testing::click(button(QStringLiteral("Load"))));
    QVERIFY(button(QStringLiteral("Cancel"))->isVisible());
    auto *progress = m_local.page->findChild<QProgressBar *>(QStringLiteral("loadProgress"));
    QVERIFY(progress->isVisible()); // while it loads
    QVERIFY(testing::click(button(QStringLiteral("Cancel"))));
    QTRY_VERIFY_WITH_TIMEOUT(label("loadStatus")->text().contains(QStringLiteral("cancelled")),
                             30000);
    QVERIFY(m_local.engine->loadedModels().isEmpty());
    QVERIFY(!button(QStringLiteral("Cancel"))->isVisible());
    QVERIFY(progress->isHidden());
    QVERIFY(button(QStringLiteral("Load"))->isEnabled());
}

void tst_LocalModelsPage::keyboard_returnOnARowLoads_altLettersReachTheControls()
{
    QVERIFY(addRootThroughDialog());
    m_local.page->activateWindow(); // Alt+letters are the active window's
    QVERIFY(QTest::qWaitForWindowActive(m_local.page.get()));
    QTableView *table = m_local.page->table();
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Home);
    QCOMPARE(table->currentIndex().row(), rowNamed(QStringLiteral("gpt2")));
    QTest::keyClick(table, Qt::Key_Return); // a model the engine refuses: nothing starts
    QVERIFY(!button(QStringLiteral("Cancel"))->isVisible());
    QVERIFY(m_local.engine->loadedModels().isEmpty());
    QTest::keyClick(table, Qt::Key_Down);
    QCOMPARE(table->currentIndex().row(), rowNamed(QStringLiteral("tiny-chat")));
    QVERIFY2(button(QStringLiteral("Load"))->toolTip().contains(QStringLiteral("Return")),
             qPrintable(button(QStringLiteral("Load"))->toolTip())); // F1 cannot list it
    QTest::keyClick(table, Qt::Key_Return); // loads it, as Load does
    QTRY_VERIFY_WITH_TIMEOUT(
        label("loadStatus")->text().startsWith(QStringLiteral("Loaded on the")), 30000);
    QCOMPARE(m_local.engine->loadedModels().size(), 1);
    QTest::keyClick(table, Qt::Key_Return); // loaded already: not a second copy
    QVERIFY(!button(QStringLiteral("Cancel"))->isVisible());

    // Alt+letters: Unload, Load, the context length, the backend, Add folder.
    QTest::keyClick(table, Qt::Key_U, Qt::AltModifier);
    QTRY_VERIFY(m_local.engine->loadedModels().isEmpty());
    QTest::keyClick(table, Qt::Key_O, Qt::AltModifier);
    QTRY_VERIFY_WITH_TIMEOUT(m_local.engine->loadedModels().size() == 1, 30000);
    QTest::keyClick(table, Qt::Key_X, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("contextLength"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_B, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("backend"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::AltModifier);
    auto *dialog = testing::waitForDialog<QFileDialog>(m_local.page.get());
    QVERIFY(dialog);
    dialog->reject();
}

//! Size on disk, Parameters and Context sorted as text: "99 bytes" came after a model of
//! hundreds of KiB, as "5.0 GiB" before "48.6 MiB" and "131,072" before "8,192".
void tst_LocalModelsPage::sortBySize_isByBytes_notByText()
{
    QVERIFY(addRootThroughDialog());
    // A third folder of 99 bytes (the refused gpt2 one is 21), gone again for the other tests.
    const QString small = m_root + QStringLiteral("/small");
    const auto removeSmall = qScopeGuard([&] { QDir(small).removeRecursively(); });
    QVERIFY(QDir().mkpath(small));
    QFile cfg(small + QStringLiteral("/config.json"));
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    QByteArray json = R"({"model_type":"gpt2")";
    json += QByteArray(98 - json.size(), ' ') + '}';
    cfg.write(json);
    cfg.close();
    QVERIFY(testing::click(button(QStringLiteral("Rescan"))));
    QTRY_COMPARE_WITH_TIMEOUT(m_local.library->rowCount(), 3, 30000);
    QTableView *table = m_local.page->table();
    const int sizeColumn = models::LocalModelLibrary::SizeColumn;
    QCOMPARE(table->model()->index(rowNamed(QStringLiteral("small")), sizeColumn).data(),
             QVariant(QStringLiteral("99 bytes")));
    table->sortByColumn(sizeColumn, Qt::AscendingOrder); // as a click on its header does
    QStringList names;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        names << table->model()->index(r, 0).data().toString();
    QCOMPARE(names, (QStringList{QStringLiteral("gpt2"), QStringLiteral("small"),
                                 QStringLiteral("tiny-chat")}));
}

QTEST_MAIN(tst_LocalModelsPage)
#include "tst_localmodelspage.moc"
