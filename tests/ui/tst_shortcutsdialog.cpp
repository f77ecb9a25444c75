// F1's list of keys in a dialog: the window's Help action cannot answer while a modal dialog
// is open, and the list had no Alt+letter keys, which are most of a dialog's keys.

#include <ui/mainwindow.h>
#include <ui/shortcutsdialog.h>

#include <QDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

class tst_ShortcutsDialog : public QObject
{
    Q_OBJECT

private:
    static QStringList rowsOf(QDialog *list)
    {
        QStringList rows;
        auto *table = list->findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
        for (int r = 0; table && r < table->rowCount(); ++r)
            rows << table->item(r, 0)->text() + u'|' + table->item(r, 1)->text() + u'|' +
                        table->item(r, 2)->text();
        return rows;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void f1InADialog_listsItsMnemonicsEnterAndEsc()
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *dialog = new QDialog(&window);
        dialog->setWindowTitle(QStringLiteral("New deployment"));
        auto *form = new QFormLayout(dialog);
        auto *name = new QLineEdit(dialog);
        form->addRow(QStringLiteral("&Name:"), name);
        auto *tabs = new QTabWidget(dialog);
        tabs->addTab(new QWidget(tabs), QStringLiteral("C&urves"));
        tabs->addTab(new QWidget(tabs), QStringLiteral("&Logs"));
        tabs->setTabEnabled(1, false);
        form->addRow(tabs);
        auto *create = new QPushButton(QStringLiteral("&Create"), dialog);
        create->setDefault(true);
        auto *hidden = new QPushButton(QStringLiteral("&Hidden"), dialog);
        hidden->hide();
        auto *disabled = new QPushButton(QStringLiteral("&Off"), dialog);
        disabled->setEnabled(false);
        form->addRow(create);
        form->addRow(disabled);
        dialog->open();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        name->setFocus();

        QTest::keyClick(name, Qt::Key_F1);
        QDialog *list = nullptr;
        QTRY_VERIFY((list = dialog->findChild<QDialog *>(QStringLiteral("shortcutsDialog"))));
        QCOMPARE(list->windowTitle(), QStringLiteral("Keyboard shortcuts: New deployment"));
        const QStringList rows = rowsOf(list);
        for (const QString &expected :
             {QStringLiteral("New deployment|Go to Name|Alt+N"),
              QStringLiteral("New deployment|Create|Alt+C"),
              QStringLiteral("New deployment|Create (the default button)|Return"),
              QStringLiteral("New deployment|Curves tab|Alt+U"),
              QStringLiteral("New deployment|Close the dialog (as Cancel does)|Esc")})
            QVERIFY2(rows.contains(expected), qPrintable(expected + u'\n' + rows.join(u'\n')));
        // In the order they are laid out, as the form reads.
        QVERIFY(rows.indexOf(QStringLiteral("New deployment|Go to Name|Alt+N")) <
                rows.indexOf(QStringLiteral("New deployment|Curves tab|Alt+U")));
        QVERIFY(rows.indexOf(QStringLiteral("New deployment|Curves tab|Alt+U")) <
                rows.indexOf(QStringLiteral("New deployment|Create|Alt+C")));
        for (const QString &absent : {QStringLiteral("Hidden"), QStringLiteral("Off"),
                                      QStringLiteral("Logs"), QStringLiteral("File|")})
            for (const QString &row : rows)
                QVERIFY2(!row.contains(absent), qPrintable(row));
        // F1 in the list itself opens no second one.
        list->activateWindow();
        QTest::keyClick(list, Qt::Key_F1);
        QTest::qWait(50);
        QCOMPARE(dialog->findChildren<QDialog *>(QStringLiteral("shortcutsDialog")).size(), 1);
        list->close();
        dialog->close();
    }

    void f1InTheWindow_stillListsTheWindowsKeys()
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_F1);
        QDialog *list = nullptr;
        QTRY_VERIFY((list = window.findChild<QDialog *>(QStringLiteral("shortcutsDialog"))));
        QCOMPARE(list->windowTitle(), QStringLiteral("Keyboard shortcuts"));
        QVERIFY(rowsOf(list).contains(QStringLiteral("Help|Keyboard shortcuts|F1")));
        list->close();
    }
};

QTEST_MAIN(tst_ShortcutsDialog)
#include "tst_shortcutsdialog.moc"
