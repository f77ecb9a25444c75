// Every page by keyboard alone (issue 16): the whole app as main() builds it, on empty
// folders with the Local profile. On each page, Tab from the sidebar must visit every control a
// mouse user could click (visible, enabled, accepting focus), come back round without getting
// stuck in a table or a text box, and every control it visits must have an accessible name for
// a screen reader. Page actions are toolbar buttons, so reaching the buttons reaches them.

#include "common/newuserfolders.h"
#include "firedeckapp.h"

#include <ui/mainwindow.h>
#include <ui/page.h>

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QListWidget>
#include <QSet>
#include <QTest>

class KeyboardWalkTest : public QObject
{
    Q_OBJECT

private:
    testing::NewUserFolders m_folders;

    static QString describe(const QWidget *w)
    {
        QString text;
        if (auto *b = qobject_cast<const QAbstractButton *>(w))
            text = b->text();
        return QStringLiteral("%1 \"%2\" %3")
            .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text)
            .trimmed();
    }

    static QString accessibleName(QWidget *w)
    {
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        return iface ? iface->text(QAccessible::Name).trimmed() : QString();
    }

    //! What a mouse user can click and a keyboard user must therefore reach.
    static QList<QWidget *> tabStops(QWidget *page)
    {
        QList<QWidget *> stops;
        for (QWidget *w : page->findChildren<QWidget *>()) {
            if (!(w->focusPolicy() & Qt::TabFocus) || !w->isVisible() || !w->isEnabled() ||
                w->focusProxy() || w->window() != page->window())
                continue;
            stops << w;
        }
        return stops;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_folders.install()); }

    void everyPage_tabReachesEveryControl_andEachHasAName()
    {
        FiredeckApp app(m_folders.localSandboxDir());
        ui::MainWindow *window = app.window();
        window->resize(1400, 900);
        app.activate(QStringLiteral("Local"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        auto *sidebar = window->findChild<QListWidget *>(QStringLiteral("sidebar"));
        QVERIFY(sidebar);

        QStringList problems;
        for (ui::Page *page : window->pages()) {
            QVERIFY(window->showPage(page->pageId()));
            QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), 20000);
            QTest::qWait(50);
            sidebar->setFocus(Qt::TabFocusReason);
            QTRY_COMPARE(QApplication::focusWidget(), sidebar);
            QSet<QWidget *> visited;
            QWidget *previous = sidebar;
            int repeats = 0;
            for (int step = 0; step < 400; ++step) {
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
                QWidget *now = QApplication::focusWidget();
                if (!now || now == sidebar)
                    break; // round the window and back: the page's chain is closed
                if (now == previous && ++repeats > 2) {
                    problems << QStringLiteral("%1: Tab is stuck in %2")
                                    .arg(page->pageId(), describe(now));
                    break;
                }
                previous = now;
                visited.insert(now);
            }
            const qsizetype inPage =
                std::count_if(visited.cbegin(), visited.cend(),
                              [page](QWidget *w) { return page->isAncestorOf(w); });
            if (inPage < 2)
                problems << QStringLiteral("%1: Tab visits only %2 control(s) of the page")
                                .arg(page->pageId())
                                .arg(inPage);
            for (QWidget *stop : tabStops(page)) {
                if (!visited.contains(stop))
                    problems << QStringLiteral("%1: Tab never reaches %2")
                                    .arg(page->pageId(), describe(stop));
            }
            for (QWidget *w : std::as_const(visited)) {
                if (page->isAncestorOf(w) && accessibleName(w).isEmpty())
                    problems << QStringLiteral("%1: no accessible name on %2")
                                    .arg(page->pageId(), describe(w));
            }
        }
        problems.sort();
        for (const QString &p : std::as_const(problems))
            qWarning("%s", qPrintable(p)); // QVERIFY2 cuts a long message short
        QVERIFY2(problems.isEmpty(),
                 qPrintable(QStringLiteral("%1 problems, listed above").arg(problems.size())));
    }
};

QTEST_MAIN(KeyboardWalkTest)
#include "tst_keyboardwalk.moc"
