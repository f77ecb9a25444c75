#include "sidebysideview.h"

#include <ui/chatmessageview.h>
#include <ui/icons.h>

#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/sidebyside.h>

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QVBoxLayout>

namespace ui {

void fillTargetCombo(QComboBox *combo, const QList<models::ChatTarget> &targets,
                     const QString &keepKey, const QString &noneText)
{
    const QSignalBlocker block(combo);
    combo->clear();
    if (targets.isEmpty())
        combo->addItem(noneText, QString());
    for (const models::ChatTarget &t : targets) {
        combo->addItem(t.label, t.key());
        combo->setItemData(combo->count() - 1, t.where, Qt::ToolTipRole);
    }
    combo->setCurrentIndex(std::max(combo->findData(keepKey), 0));
}

namespace {

//! One column: its target, Remove, and its transcript (rebuilt on structural changes, only
//! the streaming message re-rendered per frame).
class Column : public QWidget
{
public:
    Column(models::SideBySide *sbs, models::ChatTargets *targets, models::ChatSession *session,
           QWidget *parent)
        : QWidget(parent), m_sbs(sbs), m_targets(targets), m_session(session)
    {
        setObjectName(QStringLiteral("sideBySideColumn"));
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *top = new QHBoxLayout;
        m_target = new QComboBox(this);
        m_target->setObjectName(QStringLiteral("columnTarget"));
        m_target->setAccessibleName(tr("Column target"));
        m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        m_target->setMinimumContentsLength(16);
        m_remove = new QPushButton(tr("Remove"), this);
        m_remove->setToolTip(tr("Remove this column (its conversation stays in the list)"));
        top->addWidget(m_target, 1);
        top->addWidget(m_remove);
        layout->addLayout(top);
        // A column added later: the others' turns are being sent to it (or why not).
        m_note = new QLabel(this);
        m_note->setObjectName(QStringLiteral("columnNote"));
        m_note->setWordWrap(true);
        m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_note);
        // Turns that could not be sent here stay queued: send them now, or drop them.
        m_waiting = new QWidget(this);
        auto *waitingRow = new QHBoxLayout(m_waiting);
        waitingRow->setContentsMargins(0, 0, 0, 0);
        m_sendWaiting = new QPushButton(m_waiting);
        m_sendWaiting->setObjectName(QStringLiteral("sendWaiting"));
        m_sendWaiting->setIcon(icons::forAction(icons::Action::Upload)); // document-send
        m_cancelWaiting = new QPushButton(tr("Cancel"), m_waiting);
        m_cancelWaiting->setObjectName(QStringLiteral("cancelWaiting"));
        m_cancelWaiting->setIcon(icons::forAction(icons::Action::Cancel));
        waitingRow->addWidget(m_sendWaiting);
        waitingRow->addWidget(m_cancelWaiting);
        waitingRow->addStretch();
        layout->addWidget(m_waiting);
        connect(m_sendWaiting, &QPushButton::clicked, this,
                [this] { m_sbs->sendWaiting(m_session); });
        connect(m_cancelWaiting, &QPushButton::clicked, this,
                [this] { m_sbs->cancelWaiting(m_session); });
        showNote();
        connect(m_sbs, &models::SideBySide::columnNoteChanged, this,
                [this](models::ChatSession *column) {
                    if (column == m_session)
                        showNote();
                });
        m_scroll = new QScrollArea(this);
        m_scroll->setWidgetResizable(true);
        // Replies wrap at the column's width; a word or code line wider than the column scrolls
        // sideways rather than being cut off.
        m_scroll->setAccessibleName(tr("Column conversation"));
        auto *transcript = new QWidget(m_scroll);
        m_transcript = new QVBoxLayout(transcript);
        m_transcript->addStretch();
        m_scroll->setWidget(transcript);
        layout->addWidget(m_scroll, 1);
        QScrollBar *bar = m_scroll->verticalScrollBar();
        connect(bar, &QScrollBar::rangeChanged, this, [bar](int, int max) { bar->setValue(max); });

        connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
            if (const auto t = m_targets->find(m_target->currentData().toString()))
                m_sbs->setTarget(m_sbs->indexOf(m_session), *t);
        });
        connect(m_remove, &QPushButton::clicked, this,
                [this] { m_sbs->removeColumn(m_sbs->indexOf(m_session)); });
        connect(m_session, &models::ChatSession::messagesChanged, this, &Column::showMessages);
        connect(m_session, &models::ChatSession::replyStreamed, this,
                [this](qint64 id, const QString &text) {
                    for (ChatMessageView *v : std::as_const(m_views))
                        if (v->messageId() == id)
                            v->setContent(text);
                });
        connect(m_session, &models::ChatSession::tokenProbabilitiesReceived, this,
                [this](qint64 id) {
                    for (ChatMessageView *v : std::as_const(m_views))
                        if (v->messageId() == id)
                            v->setTokenProbabilities(m_session->tokenProbabilities(id));
                });
        updateTargets();
        showMessages();
    }

    void updateTargets()
    {
        // A reopened column whose local model was loaded since talks to it now (the handle
        // is new), and a platform target gets its listed name once the lists have answered;
        // one still not loaded stays listed as such rather than shown as another.
        const models::ChatTarget &own = m_session->target();
        m_targets->lookUpContextLength(own); // a platform model's window, for its figures
        if (const auto now = m_targets->find(own.key());
            now && (now->localHandle != own.localHandle || now->label != own.label ||
                    now->where != own.where || now->contextLength != own.contextLength))
            m_sbs->refreshTarget(m_session, *now); // turns waiting for it go out now
        QList<models::ChatTarget> targets = m_targets->targets();
        if (m_session->target().isValid() && !targets.contains(m_session->target()))
            targets.prepend(m_session->target());
        fillTargetCombo(m_target, targets, m_session->target().key(), tr("No target available"));
        m_remove->setEnabled(m_sbs->canRemoveColumn());
    }

private:
    void showNote()
    {
        const QString note = m_sbs->columnNote(m_session);
        m_note->setText(note);
        m_note->setVisible(!note.isEmpty());
        const int waiting = m_sbs->waitingTurns(m_session);
        m_sendWaiting->setText(waiting == 1 ? tr("Send the remaining turn")
                                            : tr("Send the remaining %1 turns").arg(waiting));
        m_sendWaiting->setVisible(m_sbs->isBlocked(m_session));
        m_cancelWaiting->setToolTip(
            tr("Drop the turns waiting to be sent to this column (%1)").arg(waiting));
        m_waiting->setVisible(waiting > 0);
    }

    void showMessages()
    {
        syncMessageViews(
            m_views, m_transcript, 0, m_session->messages(), m_session->streamingMessageId(),
            [this](const models::StoredMessage &m, bool streaming) {
                auto *view = new ChatMessageView(m, streaming, m_scroll->widget());
                view->setEditAllowed(false);
                if (streaming)
                    view->setContent(m_session->streamingText());
                view->setTokenProbabilities(m_session->tokenProbabilities(m.id));
                connect(view, &ChatMessageView::versionRequested, this,
                        [this](qint64 id, int delta) { m_session->showVersion(id, delta); });
                connect(view, &ChatMessageView::regenerateRequested, this,
                        [this](qint64 id) { m_session->regenerate(id); });
                connect(view, &ChatMessageView::retryRequested, this,
                        [this](qint64) { m_session->retry(); });
                return view;
            });
    }

    models::SideBySide *m_sbs;
    models::ChatTargets *m_targets;
    models::ChatSession *m_session;
    QComboBox *m_target;
    QPushButton *m_remove;
    QLabel *m_note;
    QWidget *m_waiting; // Send the remaining turns / Cancel
    QPushButton *m_sendWaiting, *m_cancelWaiting;
    QScrollArea *m_scroll;
    QVBoxLayout *m_transcript;
    QList<ChatMessageView *> m_views;
};

} // namespace

SideBySideView::SideBySideView(models::SideBySide *sideBySide, models::ChatTargets *targets,
                               QWidget *parent)
    : QWidget(parent), m_sideBySide(sideBySide), m_targets(targets)
{
    setObjectName(QStringLiteral("sideBySide"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Side by side</b>: one message, every column's target "
                                "answers in parallel."),
                             this);
    title->setWordWrap(true);
    m_add = new QPushButton(tr("Add column"), this);
    m_exportMarkdown = new QPushButton(tr("Export Markdown…"), this);
    m_exportJson = new QPushButton(tr("Export JSON…"), this);
    m_add->setIcon(icons::forAction(icons::Action::Load)); // list-add
    m_exportMarkdown->setIcon(icons::forAction(icons::Action::Save));
    m_exportJson->setIcon(icons::forAction(icons::Action::Save));
    m_close = new QPushButton(tr("Single chat"), this);
    m_close->setToolTip(tr("Back to the single conversation; the columns' conversations stay "
                           "in the list"));
    bar->addWidget(title, 1);
    for (QPushButton *b : {m_add, m_exportMarkdown, m_exportJson, m_close})
        bar->addWidget(b);
    layout->addLayout(bar);
    m_columnsLayout = new QHBoxLayout;
    layout->addLayout(m_columnsLayout, 1);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("sideBySideProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();
    layout->addWidget(m_problem);
    auto *inputRow = new QHBoxLayout;
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("sideBySideInput"));
    m_input->setAccessibleName(tr("Message to every column"));
    m_input->setTabChangesFocus(true);
    m_input->setPlaceholderText(tr("Message to every column (Ctrl+Return sends)"));
    m_input->setMaximumHeight(80);
    auto *buttons = new QVBoxLayout;
    m_send = new QPushButton(tr("Send to all"), this);
    m_stop = new QPushButton(tr("Stop all"), this);
    m_stop->setToolTip(tr("Stop every column's reply (Esc)"));
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    inputRow->addWidget(m_input, 1);
    inputRow->addLayout(buttons);
    layout->addLayout(inputRow);

    connect(m_add, &QPushButton::clicked, this, [this] {
        // A new column starts on the first target no column uses yet; with none listed (the
        // local model is not loaded now) on the first column's, whose turns then wait for it.
        const QList<models::ChatTarget> all = m_targets->targets();
        models::ChatTarget pick = !all.isEmpty() ? all.first()
                                  : m_sideBySide->columnCount() > 0
                                      ? m_targets->resolve(m_sideBySide->column(0)->target().key())
                                      : models::ChatTarget{};
        for (const models::ChatTarget &t : all) {
            bool used = false;
            for (int i = 0; i < m_sideBySide->columnCount(); ++i)
                used = used || m_sideBySide->column(i)->target() == t;
            if (!used) {
                pick = t;
                break;
            }
        }
        m_sideBySide->addColumn(pick);
    });
    connect(m_exportMarkdown, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
    connect(m_close, &QPushButton::clicked, this, &SideBySideView::closeRequested);
    connect(m_send, &QPushButton::clicked, this, &SideBySideView::send);
    auto *sendKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_input);
    sendKey->setWhatsThis(tr("Send to every column (Side by side)"));
    connect(sendKey, &QShortcut::activated, this, &SideBySideView::send);
    connect(m_stop, &QPushButton::clicked, m_sideBySide, &models::SideBySide::stop);
    connect(m_sideBySide, &models::SideBySide::columnsChanged, this,
            &SideBySideView::rebuildColumns);
    connect(m_sideBySide, &models::SideBySide::replyFinished, this, &SideBySideView::updateActions);
    connect(m_sideBySide, &models::SideBySide::columnNoteChanged, this,
            &SideBySideView::updateActions);
    connect(m_targets, &models::ChatTargets::changed, this, &SideBySideView::updateTargets);
    rebuildColumns();
}

void SideBySideView::rebuildColumns()
{
    // Later: a column's own Remove button is what asked for this.
    for (QWidget *w : std::as_const(m_columnWidgets)) {
        w->hide();
        w->deleteLater();
    }
    m_columnWidgets.clear();
    for (int i = 0; i < m_sideBySide->columnCount(); ++i) {
        auto *column = new Column(m_sideBySide, m_targets, m_sideBySide->column(i), this);
        m_columnsLayout->addWidget(column, 1);
        m_columnWidgets << column;
    }
    updateActions();
}

void SideBySideView::updateTargets()
{
    for (QWidget *w : std::as_const(m_columnWidgets))
        static_cast<Column *>(w)->updateTargets();
}

void SideBySideView::updateActions()
{
    const bool streaming = m_sideBySide->isStreaming();
    m_add->setEnabled(m_sideBySide->canAddColumn() && !streaming);
    m_send->setEnabled(!streaming && m_sideBySide->columnCount() > 0);
    m_stop->setEnabled(streaming);
}

void SideBySideView::send()
{
    const QString text = m_input->toPlainText().trimmed();
    if (text.isEmpty() || m_sideBySide->isStreaming())
        return;
    Q_EMIT aboutToSend();
    QString why;
    const bool started = m_sideBySide->send(text, &why);
    // Columns that could not start say why; the text stays when none did.
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    if (started)
        m_input->clear();
    updateActions();
}

bool SideBySideView::exportTo(const QString &path, bool json, QString *error)
{
    const QList<models::ExportedConversation> columns = m_sideBySide->exported();
    const QByteArray data =
        json ? models::conversationJson(columns) : models::conversationMarkdown(columns).toUtf8();
    return models::writeExportFile(path, data, error);
}

void SideBySideView::exportWithDialog(bool json)
{
    const QString path = QFileDialog::getSaveFileName(
        this, json ? tr("Export side by side as JSON") : tr("Export side by side as Markdown"),
        json ? QStringLiteral("side-by-side.json") : QStringLiteral("side-by-side.md"),
        json ? tr("JSON (*.json)") : tr("Markdown (*.md)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, json, &error)) {
        m_problem->setText(tr("Export failed, nothing was written: %1").arg(error));
        m_problem->show();
    }
}

} // namespace ui
