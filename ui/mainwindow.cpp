#include "mainwindow.h"

#include <ui/aboutdialog.h>
#include <ui/comparerunsview.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>
#include <ui/page.h>
#include <ui/playgroundpage.h>
#include <ui/playgroundreplay.h>
#include <ui/shortcutsdialog.h>

#include <client/requestdescription.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTime>
#include <QToolButton>

namespace ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Firedeck"));
    setWindowIcon(icons::application());
    // Below this the tables and the detail pane no longer have room for a resource's name.
    setMinimumSize(900, 560);
    auto *splitter = new QSplitter(this);
    m_sidebar = new QListWidget(splitter);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setMaximumWidth(220);
    m_sidebar->setMinimumWidth(140);
    m_sidebar->setSpacing(2);
    QFont f = m_sidebar->font();
    f.setPointSizeF(f.pointSizeF() * 1.1);
    m_sidebar->setFont(f);
    m_stack = new QStackedWidget(splitter);
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setCollapsible(1, false);
    splitter->setSizes({180, 1220});
    setCentralWidget(splitter);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    // A page picked with the mouse takes the focus, so its shortcuts (Dataset wizard, Compare,
    // Edit F2 …) work at once; the arrow keys in the sidebar leave it there.
    connect(m_sidebar, &QListWidget::itemClicked, this, [this] {
        if (Page *p = currentPage())
            p->focusContent();
    });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New…"), this, [this] {
        if (Page *p = currentPage())
            p->newItem();
    });
    newAction->setShortcut(QKeySequence::New);
    newAction->setIcon(icons::themed(QStringLiteral("document-new")));
    QAction *refresh = file->addAction(tr("&Refresh"), this, [this] {
        if (Page *p = currentPage())
            p->reload();
    });
    refresh->setShortcut(QKeySequence::Refresh);
    refresh->setIcon(icons::themed(QStringLiteral("view-refresh")));
    // A local run (trainer_state.json, metrics JSONL, CSV) opens in a compare window, where
    // more runs can be added; the Fine-tuning page's Compare opens one with platform jobs.
    QAction *openRun = file->addAction(tr("Open &training run…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open training run"), QString(),
            tr("Training runs (trainer_state.json *.jsonl *.json *.csv);;All files (*)"));
        if (path.isEmpty())
            return;
        auto *view = new CompareRunsView(nullptr, this);
        view->setWindowFlag(Qt::Window);
        view->setAttribute(Qt::WA_DeleteOnClose);
        // Titled after what it shows: the one run opened, "Compare runs" once another is added.
        const auto title = [view] {
            view->setWindowTitle(view->runCount() == 1
                                     ? tr("%1 — Training run").arg(view->run(0).name)
                                     : tr("Compare runs"));
        };
        connect(view, &CompareRunsView::runsChanged, view, title);
        QString error;
        if (!view->openRunFile(path, &error)) {
            delete view;
            QMessageBox::warning(this, tr("Open training run"), error);
            return;
        }
        resizeWithinScreen(view, QSize(1200, 900));
        view->show();
    });
    openRun->setShortcut(QKeySequence::Open);
    openRun->setObjectName(QStringLiteral("openTrainingRun"));
    openRun->setIcon(icons::themed(QStringLiteral("document-open")));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close)
        ->setIcon(icons::themed(QStringLiteral("application-exit")));
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(tr("&Filter"), this, [this] {
        if (Page *p = currentPage())
            p->focusFilter();
    });
    find->setShortcut(QKeySequence::Find);
    find->setIcon(icons::themed(QStringLiteral("edit-find")));
    QAction *del = edit->addAction(tr("&Delete…"), this, [this] {
        if (Page *p = currentPage())
            p->deleteSelected();
    });
    del->setShortcut(QKeySequence::Delete);
    del->setIcon(icons::themed(QStringLiteral("edit-delete")));
    // Delete must not steal the key from a line edit that has focus.
    del->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_stack->addAction(del);
    menuBar()->addMenu(tr("&Go"))->setObjectName(QStringLiteral("goMenu"));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        auto *dialog = new ShortcutsDialog(this, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    keys->setShortcut(QKeySequence::HelpContents);
    ShortcutsDialog::answerF1InDialogs(this);
    keys->setIcon(icons::themed(QStringLiteral("input-keyboard")));
    QAction *about = help->addAction(tr("&About Firedeck"), this, [this] {
        auto *dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setIcon(icons::themed(QStringLiteral("help-about")));

    m_connection = new QLabel(this);
    m_connection->setObjectName(QStringLiteral("statusConnection"));
    m_inFlight = new QLabel(this);
    m_inFlight->setObjectName(QStringLiteral("statusInFlight"));
    m_lastError = new QToolButton(this);
    m_lastError->setObjectName(QStringLiteral("statusLastError"));
    m_lastError->setAutoRaise(true);
    m_lastError->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_lastError->hide();
    // A server's message may be hundreds of characters: the button takes the room left and its
    // line is elided there; centred in a button too narrow for it, the line lost its start
    // ("Last error", the time, where) under the fields on its left.
    m_lastError->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_lastError->installEventFilter(this);
    connect(m_lastError, &QToolButton::clicked, this, &MainWindow::showLastErrorDetails);
    statusBar()->addWidget(m_connection);
    statusBar()->addWidget(m_inFlight);
    statusBar()->addWidget(m_lastError, 1);
    setRequestsInFlight(0);

    // "Open in playground" from anywhere in the window (a rollout of a job view).
    auto *replay = new PlaygroundReplay(this);
    connect(replay, &PlaygroundReplay::requested, this,
            [this](const QString &title, const QList<models::ChatTurn> &prompt) {
                auto *playground =
                    qobject_cast<PlaygroundPage *>(page(QStringLiteral("playground")));
                if (!playground || !showPage(playground->pageId()))
                    return;
                playground->openPrompt(title, prompt);
            });
    connect(replay, &PlaygroundReplay::replayRequested, this,
            [this](const models::ReplayRequest &request) {
                auto *playground =
                    qobject_cast<PlaygroundPage *>(page(QStringLiteral("playground")));
                if (playground && showPage(playground->pageId()))
                    playground->openReplay(request);
            });
}

MainWindow::~MainWindow() = default;

void MainWindow::addPage(Page *page)
{
    const int index = int(m_pages.size());
    m_pages.append(page);
    m_stack->addWidget(page);
    m_sidebar->addItem(page->title());
    m_sidebar->item(index)->setIcon(icons::themed(icons::nameForPage(page->pageId())));
    // Every page is in the Go menu; the first nine have Ctrl+1..9, and Settings also has
    // Ctrl+, (where desktop apps keep their preferences), since it comes after the ninth.
    QMenu *go = menuBar()->findChild<QMenu *>(QStringLiteral("goMenu"));
    QAction *a = go->addAction(page->title(), this, [this, index] {
        m_sidebar->setCurrentRow(index);
        if (Page *p = currentPage())
            p->focusContent();
    });
    QList<QKeySequence> keys;
    if (index < 9)
        keys << QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index));
    if (page->pageId() == QLatin1String("settings"))
        keys << QKeySequence(Qt::CTRL | Qt::Key_Comma);
    a->setShortcuts(keys);
    if (!keys.isEmpty())
        m_sidebar->item(index)->setToolTip(QStringLiteral("%1 (%2)").arg(
            page->title(), keys.first().toString(QKeySequence::NativeText)));
    connect(page, &Page::navigateRequested, this,
            [this](const QString &pageId, const QString &name) {
                if (!showPage(pageId))
                    return;
                currentPage()->showResource(name);
            });
    connect(page, &Page::newItemRequested, this, [this](const QString &pageId) {
        if (showPage(pageId))
            currentPage()->newItem();
    });
    if (m_sidebar->currentRow() < 0)
        m_sidebar->setCurrentRow(0);
}

Page *MainWindow::page(const QString &pageId) const
{
    for (Page *p : m_pages)
        if (p->pageId() == pageId)
            return p;
    return nullptr;
}

Page *MainWindow::currentPage() const
{
    return qobject_cast<Page *>(m_stack->currentWidget());
}

bool MainWindow::showPage(const QString &pageId)
{
    const qsizetype index = m_pages.indexOf(page(pageId));
    if (index < 0)
        return false;
    m_sidebar->setCurrentRow(int(index));
    return true;
}

void MainWindow::reloadAll()
{
    for (Page *p : std::as_const(m_pages))
        p->reload();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        resizeWithinScreen(this, QSize(1400, 860));
    }
    showPage(settings.value(QStringLiteral("window/page"), QStringLiteral("overview")).toString());
}

void MainWindow::setConnection(const QString &profile, const QString &endpoint, const QUrl &server)
{
    // The name is the switcher's: a "Profile: NAME" label beside it said it twice, and a
    // long name there pushed the other fields off the bar.
    m_profileName = profile;
    // With its port: two servers on one machine differ only there.
    m_server = server.adjusted(QUrl::RemoveUserInfo).authority();
    m_where = endpoint.isEmpty() ? tr("Profile %1").arg(profile)
                                 : tr("Profile %1 at %2").arg(profile, endpoint);
    m_connection->setToolTip(m_where);
}

void MainWindow::setProfileSwitcher(QWidget *switcher)
{
    statusBar()->insertWidget(0, switcher);
}

void MainWindow::setConnectionState(const QString &state, bool healthy, const QString &why)
{
    m_connection->setText(QStringLiteral("● ") + state);
    m_connection->setToolTip(why.isEmpty() ? m_where : m_where + u'\n' + why);
    m_connection->setAccessibleName(tr("Connection: %1").arg(state));
    QPalette p = m_connection->palette();
    p.setColor(QPalette::WindowText, healthy ? QColor(0x2e, 0x9d, 0x48) : QColor(0xd3, 0x2f, 0x2f));
    m_connection->setPalette(p);
}

void MainWindow::setRequestsInFlight(int count)
{
    m_inFlight->setText(count > 0 ? (count == 1 ? tr("1 request in flight")
                                                : tr("%1 requests in flight").arg(count))
                                  : tr("idle"));
}

void MainWindow::setLastError(const QString &error, const QString &details)
{
    m_lastErrorText = error;
    m_lastErrorDetails = details.isEmpty() ? error : details;
    // With its time: it stays in the status bar on every page until the next one, and an
    // error from an hour ago read as if it had just happened.
    m_lastErrorLine =
        error.isEmpty()
            ? QString()
            : tr("Last error (%1): %2")
                  .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat), error);
    m_lastError->setToolTip(error.isEmpty() ? QString()
                                            : m_lastErrorLine + u'\n' + tr("Click for details"));
    m_lastError->setAccessibleName(m_lastErrorLine);
    m_lastError->setVisible(!error.isEmpty());
    fitLastErrorLine();
}

void MainWindow::fitLastErrorLine()
{
    if (!m_lastError->isVisible()) { // not laid out yet: its Show or Resize fits it
        m_lastError->setText(m_lastErrorLine);
        return;
    }
    // The button's own margins (its text is drawn inside them).
    const int room = m_lastError->width() - m_lastError->fontMetrics().averageCharWidth() * 2;
    m_lastError->setText(
        m_lastError->fontMetrics().elidedText(m_lastErrorLine, Qt::ElideRight, qMax(room, 0)));
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_lastError &&
        (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        fitLastErrorLine();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::setRequestError(const client::ApiError &error, const QUrl &url,
                                 const QString &method)
{
    // "Connection refused" alone said neither what failed nor where: the server and the
    // profile say where (a long profile name shortened: the line stays on the bar). A request
    // to another server is not the profile's: one of the profile used before a switch (still
    // failing after it), or a signed storage address.
    const QString server =
        url.isEmpty() ? m_server : url.adjusted(QUrl::RemoveUserInfo).authority();
    const QString profile = fontMetrics().elidedText(m_profileName, Qt::ElideMiddle,
                                                     fontMetrics().averageCharWidth() * 32);
    // Which request, in words ("Listing deployments"), where the path says.
    const QString what = client::describeRequest(method.toLatin1(), url);
    QString where;
    if (server.isEmpty())
        where = tr("A request of the profile %1").arg(profile);
    else if (what.isEmpty() && server == m_server)
        where = tr("A request to %1 (profile %2)").arg(server, profile);
    else if (what.isEmpty())
        where = tr("A request to %1").arg(server);
    else if (server == m_server)
        where = tr("%1 at %2 (profile %3)").arg(what, server, profile);
    else
        where = tr("%1 at %2").arg(what, server);
    QString details = errorText(where, error) + QStringLiteral("\n\n");
    if (!url.isEmpty())
        details += method + u' ' + url.toString() + u'\n';
    setLastError(tr("%1 failed: %2").arg(where, error.summary()), details + errorDetails(error));
}

void MainWindow::showLastErrorDetails()
{
    QMessageBox box(QMessageBox::Warning, tr("Last error"), m_lastErrorText, QMessageBox::Close,
                    this);
    box.setDetailedText(m_lastErrorDetails);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (Page *p = currentPage())
        settings.setValue(QStringLiteral("window/page"), p->pageId());
    QMainWindow::closeEvent(event);
}

} // namespace ui
