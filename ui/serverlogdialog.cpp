#include "serverlogdialog.h"

#include <models/localserver.h>
#include <models/serverrequestlogmodel.h>
#include <ui/confirmation.h>

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

ServerLogDialog::ServerLogDialog(models::LocalServer *server, QWidget *parent)
    : QDialog(parent), m_server(server)
{
    setObjectName(QStringLiteral("serverLogDialog"));
    setWindowTitle(tr("Local server requests"));
    auto *layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_header);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("serverRequests"));
    m_table->setAccessibleName(tr("Requests"));
    m_table->setModel(server->requestLog());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *clear = buttons->addButton(tr("C&lear…"), QDialogButtonBox::ResetRole);
    clear->setObjectName(QStringLiteral("clearLog"));
    // Clear had the focus and the default when the dialog opened: Enter wiped the log (and its
    // file). Enter closes now, and Clear asks first.
    clear->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(clear, &QPushButton::clicked, this, [this] {
        const int rows = m_server->requestLog()->rowCount();
        confirmThenRun(this,
                       {tr("Clear the request log"),
                        rows == 1 ? tr("Clear the 1 request in the log?")
                                  : tr("Clear the %1 requests in the log?").arg(rows),
                        tr("They are removed from the log file too; the server keeps running."),
                        tr("C&lear")},
                       [this] { m_server->requestLog()->clear(); });
    });
    connect(server, &models::LocalServer::runningChanged, this, &ServerLogDialog::updateHeader);
    // Follow new requests while the user is at the end; leave the view alone after scrolling up.
    connect(server->requestLog(), &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar *bar = m_table->verticalScrollBar();
        const bool atEnd = bar->value() == bar->maximum();
        QMetaObject::invokeMethod(
            this,
            [this, atEnd] {
                if (atEnd)
                    m_table->scrollToBottom();
                fitColumns();
            },
            Qt::QueuedConnection);
    });
    updateHeader();
    fitColumns();
    int width = sizeHint().width();
    if (const QScreen *screen = parent ? parent->screen() : this->screen())
        width = std::min(width, screen->availableGeometry().width() * 9 / 10);
    resize(width, sizeHint().height());
    m_table->setFocus();
}

QSize ServerLogDialog::sizeHint() const
{
    // Wide enough for every figure and a short error beside them: at 900 px the Duration column
    // was cut and the table scrolled sideways.
    if (!m_table || !layout())
        return QDialog::sizeHint();
    int columns = fontMetrics().averageCharWidth() * 40; // the error's share
    for (int c = 0; c < models::ServerRequestLogModel::ErrorColumn; ++c)
        columns += m_table->columnWidth(c);
    const QMargins margins = layout()->contentsMargins();
    const int frame = 2 * m_table->frameWidth() + m_table->verticalScrollBar()->sizeHint().width() +
                      margins.left() + margins.right();
    return {columns + frame, 420};
}

void ServerLogDialog::fitColumns()
{
    for (int c = 0; c < models::ServerRequestLogModel::ErrorColumn; ++c)
        m_table->resizeColumnToContents(c);
}

void ServerLogDialog::updateHeader()
{
    m_header->setText(
        m_server->isRunning()
            ? tr("Serving on %1. Hover an error to read it whole.").arg(m_server->url())
            : tr("The server is stopped; turn on Serve on the Local models page."));
}

} // namespace ui
