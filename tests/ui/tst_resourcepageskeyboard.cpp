// Resource pages for a person with a keyboard (issue 10, finding 12): every toolbar action is
// a Tab stop and in the rows' context menu, and each action on a selection has a shortcut.
// Through mouse and key events on the real sandbox over loopback.

#include "resourcepagetesthelpers.h"

#include "common/uitesthelpers.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

using namespace testing;

class tst_ResourcePagesKeyboard : public QObject
{
    Q_OBJECT

    //! Finding 12: every toolbar action is a Tab stop and in the rows' context menu.
    template <typename Page> void keyboardAndContextMenu(const QString &id)
    {
        PageFixture<Page> t;
        const QString name = seed<Page>(t.sb.api(), id);
        QVERIFY(!name.isEmpty());
        t.page.reload();
        QVERIFY(t.select(name));
        QToolBar *bar = t.page.template findChild<QToolBar *>();
        QVERIFY(bar);
        for (QAction *a : bar->actions()) {
            auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(a));
            if (!button || !button->isVisible())
                continue;
            QVERIFY2(button->focusPolicy() & Qt::TabFocus, qPrintable(a->text()));
            if (button->isEnabled())
                QVERIFY2(tabTo(&t.page, button), qPrintable(a->text()));
        }
        // Right-click on the row: a menu with the page's actions, the row stays selected.
        const int row = viewRowOf(t.page.view(), models::ResourceListModel::NameRole, name);
        const QRect rect = t.page.view()->visualRect(t.page.view()->model()->index(row, 0));
        QContextMenuEvent event(QContextMenuEvent::Mouse, rect.center(),
                                t.page.view()->viewport()->mapToGlobal(rect.center()));
        QApplication::sendEvent(t.page.view()->viewport(), &event);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = t.page.template findChild<QMenu *>(QStringLiteral("rowMenu"))));
        QStringList entries;
        for (QAction *a : menu->actions())
            entries << a->text().remove(QLatin1Char('&'));
        QVERIFY2(entries.contains(QStringLiteral("Delete…")), qPrintable(entries.join(u',')));
        QVERIFY2(entries.contains(QStringLiteral("Copy name")), qPrintable(entries.join(u',')));
        menu->close();
        QCOMPARE(t.page.selectedName(), name);
    }

private Q_SLOTS:
    void keyboard_models() { keyboardAndContextMenu<ui::ModelsPage>(QStringLiteral("keys")); }

    void keyboard_datasets() { keyboardAndContextMenu<ui::DatasetsPage>(QStringLiteral("keys")); }

    void keyboard_deployments()
    {
        keyboardAndContextMenu<ui::DeploymentsPage>(QStringLiteral("keys"));
    }

    //! Finding 12: each toolbar action that acts on a selection has a shortcut.
    void toolbarActions_haveShortcuts()
    {
        PageFixture<ui::ModelsPage> models;
        for (const char *text : {"Edit", "Download", "Resume"})
            QVERIFY2(!action(&models.page, text)->shortcut().isEmpty(), text);
        PageFixture<ui::DatasetsPage> datasets;
        for (const char *text : {"Preview", "Download"})
            QVERIFY2(!action(&datasets.page, text)->shortcut().isEmpty(), text);
        PageFixture<ui::DeploymentsPage> deployments;
        for (const char *text : {"Scale", "Edit", "Undelete"})
            QVERIFY2(!action(&deployments.page, text)->shortcut().isEmpty(), text);
    }
};

QTEST_MAIN(tst_ResourcePagesKeyboard)
#include "tst_resourcepageskeyboard.moc"
