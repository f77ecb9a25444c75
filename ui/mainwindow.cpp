#include "mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>

namespace ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Firedeck"));
    auto *tabs = new QTabWidget(this);
    tabs->setDocumentMode(true);
    setCentralWidget(tabs);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    m_profile = new QLabel(this);
    m_inFlight = new QLabel(this);
    m_lastError = new QLabel(this);
    m_lastError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_profile);
    statusBar()->addWidget(m_inFlight);
    statusBar()->addWidget(m_lastError, 1);
    setRequestsInFlight(0);
}

void MainWindow::addPage(const QString &name, QWidget *page)
{
    static_cast<QTabWidget *>(centralWidget())->addTab(page, name);
}

void MainWindow::setConnection(const QString &profile, const QString &endpoint)
{
    m_profile->setText(tr("Profile: %1 — %2").arg(profile, endpoint));
}

void MainWindow::setRequestsInFlight(int count)
{
    m_inFlight->setText(count > 0 ? tr("%n request(s) in flight", nullptr, count) : tr("idle"));
}

void MainWindow::setLastError(const QString &error)
{
    m_lastError->setText(error.isEmpty() ? QString() : tr("Last error: %1").arg(error));
}

} // namespace ui
