// The shell: every page reachable from the sidebar and by Ctrl+1..9, F5 / Ctrl+F / Ctrl+N
// routed to the current page, links between pages, the status bar, and the layout restored.

#include "common/sandboxfixture.h"

#include <ui/mainwindow.h>
#include <ui/page.h>

#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

namespace {

//! A page that records what the window asked of it.
class RecordingPage : public ui::Page
{
public:
    RecordingPage(QString id, QWidget *parent = nullptr) : ui::Page(parent), m_id(std::move(id)) {}
    QString title() const override { return m_id.toUpper(); }
    QString pageId() const override { return m_id; }
    void reload() override { ++reloads; }
    void focusFilter() override { ++filters; }
    void newItem() override { ++news; }
    void deleteSelected() override { ++deletes; }
    void showResource(const QString &name) override { shown = name; }
    int reloads = 0, filters = 0, news = 0, deletes = 0;
    QString shown;

private:
    QString m_id;
};

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void shortcuts_routeToCurrentPage()
    {
        QSettings().clear();
        ui::MainWindow window;
        QList<RecordingPage *> pages;
        for (const char *id : {"overview", "models", "datasets", "deployments"}) {
            auto *p = new RecordingPage(QString::fromLatin1(id));
            pages << p;
            window.addPage(p);
        }
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window) || window.isVisible());
        QCOMPARE(window.currentPage(), pages[0]);
        for (int i = 0; i < pages.size(); ++i) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QCOMPARE(window.currentPage(), pages[i]);
        }
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(pages[3]->reloads, 1);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(pages[3]->filters, 1);
        QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(pages[3]->news, 1);
        window.reloadAll();
        for (RecordingPage *p : pages)
            QVERIFY(p->reloads >= 1);
        auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
        QCOMPARE(sidebar->count(), 4);
        sidebar->setCurrentRow(1);
        QCOMPARE(window.currentPage(), pages[1]);
    }

    void links_openTheOtherPage()
    {
        ui::MainWindow window;
        auto *a = new RecordingPage(QStringLiteral("deployments"));
        auto *b = new RecordingPage(QStringLiteral("models"));
        window.addPage(a);
        window.addPage(b);
        Q_EMIT a->navigateRequested(QStringLiteral("models"),
                                    QStringLiteral("accounts/x/models/y"));
        QCOMPARE(window.currentPage(), b);
        QCOMPARE(b->shown, QStringLiteral("accounts/x/models/y"));
        QVERIFY(!window.showPage(QStringLiteral("nope")));
    }

    void statusBar_showsProfileInFlightAndLastError()
    {
        ui::MainWindow window;
        window.addPage(new RecordingPage(QStringLiteral("overview")));
        window.setConnection(QStringLiteral("Local"), QStringLiteral("http://127.0.0.1:1234"));
        window.setRequestsInFlight(3);
        window.setLastError(QStringLiteral("401 UNAUTHENTICATED: bad key"));
        QCOMPARE(window.findChild<QLabel *>(QStringLiteral("statusProfile"))->text(),
                 QStringLiteral("Profile: Local"));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("statusInFlight"))
                    ->text()
                    .contains(QLatin1Char('3')));
        auto *last = window.findChild<QToolButton *>(QStringLiteral("statusLastError"));
        QVERIFY(!last->isHidden());
        QVERIFY(last->text().contains(QStringLiteral("401")));
        window.setLastError(QString());
        QVERIFY(last->isHidden());
    }

    void layout_restoresLastPage()
    {
        QSettings().clear();
        {
            ui::MainWindow window;
            window.addPage(new RecordingPage(QStringLiteral("overview")));
            window.addPage(new RecordingPage(QStringLiteral("datasets")));
            window.restoreLayout();
            window.show();
            window.showPage(QStringLiteral("datasets"));
            window.close();
        }
        ui::MainWindow again;
        again.addPage(new RecordingPage(QStringLiteral("overview")));
        again.addPage(new RecordingPage(QStringLiteral("datasets")));
        again.restoreLayout();
        QCOMPARE(again.currentPage()->pageId(), QStringLiteral("datasets"));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
