#include "playgroundpage.h"

#include <ui/chatmessageview.h>
#include <ui/chatparamsform.h>
#include <ui/commandequivalents.h>
#include <ui/icons.h>
#include <ui/sidebysideview.h>

#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/replyfigures.h>
#include <models/sidebyside.h>

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

PlaygroundPage::PlaygroundPage(models::ConversationStore *store, models::ChatSession *session,
                               models::LocalEngine *engine, QWidget *parent)
    : Page(parent), m_store(store), m_session(session), m_engine(engine),
      m_list(new models::ConversationListModel(store, this)),
      m_targets(new models::ChatTargets(engine, session->platform(), this)),
      m_sideBySide(new models::SideBySide(store, engine->host(), session->platform(), this))
{
    auto *splitter = new QSplitter(this);
    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(splitter);

    // Conversations.
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    m_search = new QLineEdit(left);
    m_search->setPlaceholderText(tr("Search conversations"));
    m_search->setAccessibleName(tr("Search conversations"));
    m_search->setClearButtonEnabled(true);
    m_conversations = new QListView(left);
    m_conversations->setObjectName(QStringLiteral("conversations"));
    m_conversations->setAccessibleName(tr("Conversations"));
    m_conversations->setModel(m_list);
    m_conversations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_conversations->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // In the middle: side-by-side columns' titles differ only in their targets at the end.
    m_conversations->setTextElideMode(Qt::ElideMiddle);
    m_conversations->setUniformItemSizes(true);
    auto *listButtons = new QGridLayout;
    m_new = new QPushButton(tr("New"), left);
    m_rename = new QPushButton(tr("Rename…"), left);
    m_duplicate = new QPushButton(tr("Duplicate"), left);
    m_delete = new QPushButton(tr("Delete…"), left);
    m_new->setIcon(icons::forAction(icons::Action::New));
    m_rename->setIcon(icons::forAction(icons::Action::Edit));
    m_duplicate->setIcon(icons::forAction(icons::Action::Copy));
    m_delete->setIcon(icons::forAction(icons::Action::Delete));
    listButtons->addWidget(m_new, 0, 0);
    listButtons->addWidget(m_rename, 0, 1);
    listButtons->addWidget(m_duplicate, 1, 0);
    listButtons->addWidget(m_delete, 1, 1);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_conversations, 1);
    leftLayout->addLayout(listButtons);
    splitter->addWidget(left);

    // The chat, or the side-by-side in its place.
    m_stack = new QStackedWidget(splitter);
    auto *middle = new QWidget(m_stack);
    auto *chat = new QVBoxLayout(middle);
    auto *top = new QFormLayout;
    auto *targetRow = new QHBoxLayout;
    m_target = new QComboBox(middle);
    m_target->setObjectName(QStringLiteral("target"));
    m_target->setAccessibleName(tr("Target"));
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target->setMinimumContentsLength(28);
    m_sideBySideButton = new QPushButton(tr("Side by side…"), middle);
    m_sideBySideButton->setIcon(icons::forAction(icons::Action::Compare));
    m_sideBySideButton->setToolTip(
        tr("Send this conversation to two to four targets at once, in columns"));
    targetRow->addWidget(m_target, 1);
    m_lora = new QToolButton(middle);
    targetRow->addWidget(m_lora);
    targetRow->addWidget(m_sideBySideButton);
    m_targetNote = new QLabel(middle);
    m_targetNote->setObjectName(QStringLiteral("targetNote"));
    m_targetNote->setWordWrap(true);
    m_targetNote->setEnabled(false);
    m_targetNote->hide();
    m_system = new QLineEdit(middle);
    m_system->setObjectName(QStringLiteral("systemPrompt"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setPlaceholderText(tr("System prompt (optional)"));
    top->addRow(tr("Target:"), targetRow);
    top->addRow(QString(), m_targetNote);
    top->addRow(tr("System:"), m_system);
    chat->addLayout(top);
    auto *exportRow = new QHBoxLayout;
    m_exportMarkdown = new QPushButton(tr("Export Markdown…"), middle);
    m_exportJson = new QPushButton(tr("Export JSON…"), middle);
    m_exportMarkdown->setIcon(icons::forAction(icons::Action::Save));
    m_exportJson->setIcon(icons::forAction(icons::Action::Save));
    m_exportJson->setToolTip(tr("The conversation in the chat-completions \"messages\" format"));
    // The request Send would make, for scripts: it reads the key from $FIREWORKS_API_KEY.
    m_copy = new CommandEquivalents([this] { return copyText(true); },
                                    [this] { return copyText(false); }, middle);
    m_copy->setFirectlText(tr("Copy &Python"), tr("Python (openai) request"));
    m_copy->setFirectlToolTip(tr("Copies the request Send would make as Python using the openai "
                                 "package; it reads the API key from $FIREWORKS_API_KEY"));
    m_copyUnavailable = new QLabel(middle);
    m_copyUnavailable->setObjectName(QStringLiteral("copyUnavailable"));
    m_copyUnavailable->setWordWrap(true);
    m_copyUnavailable->setEnabled(false);
    exportRow->addWidget(m_exportMarkdown);
    exportRow->addWidget(m_exportJson);
    exportRow->addWidget(m_copy, 1);
    exportRow->addWidget(m_copyUnavailable, 1);
    chat->addLayout(exportRow);
    m_scroll = new QScrollArea(middle);
    m_scroll->setWidgetResizable(true);
    m_scroll->setAccessibleName(tr("Conversation"));
    auto *transcript = new QWidget(m_scroll);
    m_transcript = new QVBoxLayout(transcript);
    m_empty = new QLabel(transcript);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_transcript->addWidget(m_empty);
    // After the messages (they go in right under m_empty), so it shows where the user looks.
    m_transcript->addWidget(makeNoTargetPanel(transcript));
    m_transcript->addStretch();
    m_scroll->setWidget(transcript);
    chat->addWidget(m_scroll, 1);
    chat->addWidget(makeReferenceBox(middle));
    auto *editRow = new QHBoxLayout;
    m_editing = new QLabel(tr("Editing an earlier message: Send makes a new branch and keeps the "
                              "old one (‹ › switches)."),
                           middle);
    m_editing->setWordWrap(true);
    m_cancelEdit = new QPushButton(tr("Cancel edit"), middle);
    editRow->addWidget(m_editing, 1);
    editRow->addWidget(m_cancelEdit);
    chat->addLayout(editRow);
    m_problem = new QLabel(middle);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();
    chat->addWidget(m_problem);
    m_loraNotice = new QLabel(middle);
    m_loraNotice->setObjectName(QStringLiteral("loraNotice"));
    m_loraNotice->setWordWrap(true);
    m_loraNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_loraNotice->setFrameShape(QFrame::StyledPanel);
    m_loraNotice->setMargin(6);
    m_loraNotice->hide();
    chat->addWidget(m_loraNotice);
    auto *inputRow = new QHBoxLayout;
    m_input = new QPlainTextEdit(middle);
    m_input->setObjectName(QStringLiteral("input"));
    m_input->setAccessibleName(tr("Message"));
    m_input->setTabChangesFocus(true); // Tab leaves the box; Ctrl+Return sends
    m_input->setPlaceholderText(tr("Message (Ctrl+Return sends)"));
    m_input->setMaximumHeight(90);
    auto *sendButtons = new QVBoxLayout;
    m_send = new QPushButton(tr("Send"), middle);
    m_send->setToolTip(tr("Send (Ctrl+Return)"));
    m_stop = new QPushButton(tr("Stop"), middle);
    m_stop->setToolTip(tr("Stop the reply (Esc)"));
    m_send->setIcon(icons::forAction(icons::Action::Upload)); // document-send
    m_stop->setIcon(icons::forAction(icons::Action::Cancel)); // process-stop
    sendButtons->addWidget(m_send);
    sendButtons->addWidget(m_stop);
    sendButtons->addStretch();
    inputRow->addWidget(m_input, 1);
    inputRow->addLayout(sendButtons);
    chat->addLayout(inputRow);
    m_context = new QLabel(middle);
    m_context->setObjectName(QStringLiteral("contextUsage"));
    m_context->setWordWrap(true);
    m_context->setAlignment(Qt::AlignRight);
    m_context->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_context->hide();
    chat->addWidget(m_context);
    m_stack->addWidget(middle);
    m_sideView = new SideBySideView(m_sideBySide, m_targets, m_stack);
    m_stack->addWidget(m_sideView);
    splitter->addWidget(m_stack);

    // Parameters.
    m_params = new ChatParamsForm(splitter);
    splitter->addWidget(m_params);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({220, 700, 260});

    connect(m_search, &QLineEdit::textChanged, m_list, &models::ConversationListModel::setSearch);
    connect(m_conversations->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                const qint64 id = m_list->idAt(current.row());
                if (id && id != m_session->conversationId())
                    openConversation(id);
                updateActions();
            });
    connect(m_list, &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_list->rowOf(m_session->conversationId());
        if (row >= 0)
            m_conversations->setCurrentIndex(m_list->index(row));
        updateActions();
    });
    setUpConversationMenu();
    connect(m_new, &QPushButton::clicked, this, &PlaygroundPage::newConversation);
    connect(m_rename, &QPushButton::clicked, this, &PlaygroundPage::renameConversation);
    connect(m_duplicate, &QPushButton::clicked, this, &PlaygroundPage::duplicateConversation);
    connect(m_delete, &QPushButton::clicked, this, &PlaygroundPage::deleteSelected);
    connect(m_send, &QPushButton::clicked, this, &PlaygroundPage::send);
    auto *sendKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_input);
    sendKey->setWhatsThis(tr("Send the message"));
    connect(sendKey, &QShortcut::activated, this, &PlaygroundPage::send);
    connect(m_stop, &QPushButton::clicked, m_session, &models::ChatSession::stop);
    // Esc stops what streams, wherever the focus is on the page (the reply runs on while the
    // pointer travels to Stop). It only stops: an edit in progress keeps its text.
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setWhatsThis(tr("Stop the reply"));
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        if (m_stack->currentWidget() == m_sideView) {
            if (m_sideBySide->isStreaming())
                m_sideBySide->stop();
        } else if (m_session->isStreaming()) {
            m_session->stop();
        }
    });
    connect(m_cancelEdit, &QPushButton::clicked, this, &PlaygroundPage::cancelEdit);
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        applyTarget();
        saveSettings();
        if (!m_loadingSettings)
            restoreLora(); // the conversation's adapter, when this is its local model
        updateActions();
    });
    connect(m_system, &QLineEdit::editingFinished, this, &PlaygroundPage::saveSettings);
    connect(m_params, &ChatParamsForm::changed, this, &PlaygroundPage::saveSettings);
    connect(m_params, &ChatParamsForm::optionsChanged, this, &PlaygroundPage::saveOptions);
    connect(m_sideBySideButton, &QPushButton::clicked, this, [this] {
        if (!showSideBySide())
            showProblem(sideBySideNeedsTargetsText());
    });
    connect(m_exportMarkdown, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
    connect(m_sideView, &SideBySideView::closeRequested, this, &PlaygroundPage::showSingleChat);
    connect(m_sideView, &SideBySideView::aboutToSend, this, [this] {
        m_sideBySide->setSettings(m_system->text(), m_params->params());
        // The same request options in every column (an unreadable template variables
        // field is shown under the field; the columns keep their last options then).
        const auto options = m_params->options();
        for (int i = 0; i < m_sideBySide->columnCount(); ++i) {
            models::ChatSession *column = m_sideBySide->column(i);
            if (options)
                column->setOptions(*options);
            // Each column's conversation keeps the switches, as a single one does.
            if (const auto info = m_store->conversation(column->conversationId())) {
                models::ConversationOptions kept = info->options;
                m_params->saveOptionsTo(&kept);
                if (kept != info->options)
                    m_store->updateOptions(info->id, kept);
            }
        }
    });
    connect(m_sideBySide, &models::SideBySide::replyFinished, m_list,
            &models::ConversationListModel::refresh);
    connect(m_session, &models::ChatSession::messagesChanged, this, &PlaygroundPage::showMessages);
    // The range grows after the layout has placed new text; follow it to the end unless the
    // user scrolled up to read.
    QScrollBar *bar = m_scroll->verticalScrollBar();
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        if (m_follow)
            bar->setValue(max);
    });
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_follow = value >= bar->maximum() - 4; });
    connect(m_session, &models::ChatSession::replyStreamed, this, &PlaygroundPage::showStreamed);
    connect(m_session, &models::ChatSession::tokenProbabilitiesReceived, this, [this](qint64 id) {
        for (ChatMessageView *v : std::as_const(m_views))
            if (v->messageId() == id)
                v->setTokenProbabilities(m_session->tokenProbabilities(id));
    });
    connect(m_session, &models::ChatSession::replyFinished, this, [this] {
        m_list->refresh(); // its "updated" order changed
        updateActions();
    });
    connect(m_targets, &models::ChatTargets::changed, this, &PlaygroundPage::updateTargets);
    setUpLoraButton();
    // A model just loaded is what the user wants to talk to next.
    connect(m_engine, &models::LocalEngine::loadFinished, this,
            [this](quint64, const enginehost::LoadOutcome &outcome) {
                if (!outcome.ok || m_session->isStreaming())
                    return;
                updateTargets();
                for (const models::ChatTarget &t : m_targets->targets())
                    if (t.localHandle == outcome.model.handle)
                        m_target->setCurrentIndex(m_target->findData(t.key()));
            });

    m_editing->hide();
    m_cancelEdit->hide();
    if (!m_store->isOpen())
        showProblem(tr("Conversations cannot be saved: %1 (%2)")
                        .arg(m_store->lastError(), m_store->path()));
    updateTargets();
    if (m_list->rowCount() > 0)
        openConversation(m_list->idAt(0));
    updateActions();
}

PlaygroundPage::~PlaygroundPage()
{
    m_sideBySide->clear(); // its sessions before the views that show them
}

void PlaygroundPage::reload()
{
    m_list->refresh();
    m_targets->refreshPlatform(); // the profile may have changed
    updateTargets();
    markDataFresh();
    Q_EMIT loaded();
}

void PlaygroundPage::send()
{
    const QString text = m_input->toPlainText().trimmed();
    if (text.isEmpty() || m_session->isStreaming())
        return;
    if (const QString none = noTargetReason(); !none.isEmpty()) {
        showProblem(none); // Ctrl+Return while Send is off: say why; the text stays
        m_problemIsNoTarget = true;
        return;
    }
    QString why;
    const auto options = m_params->options(&why);
    if (!options) {
        showProblem(why); // the template variables field says what to fix
        return;
    }
    m_session->setOptions(*options);
    if (!m_session->conversationId())
        newConversation();
    const bool started = m_editingId ? m_session->editAndResend(m_editingId, text, &why)
                                     : m_session->send(text, &why);
    if (!started) {
        showProblem(why); // the typed text stays in the input
        return;
    }
    m_problem->hide();
    recordLora(); // what this reply was asked of
    if (const auto info = m_store->conversation(m_session->conversationId());
        info && info->title == newConversationTitle()) {
        m_store->rename(info->id, text.left(48).simplified());
        m_list->refresh();
    }
    m_input->clear();
    cancelEdit();
    updateActions();
}

void PlaygroundPage::showProblem(const QString &text)
{
    m_problemIsNoTarget = false;
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

void PlaygroundPage::cancelEdit()
{
    m_editingId = 0;
    m_editing->hide();
    m_cancelEdit->hide();
}

void PlaygroundPage::showMessages()
{
    // A structural change (a turn added, a version switched, a reply ended). Streaming itself
    // only touches the streaming message (showStreamed).
    const QList<models::StoredMessage> &messages = m_session->messages();
    // Views of messages still shown are kept (a Send re-renders none of the earlier turns).
    syncMessageViews(m_views, m_transcript, m_transcript->indexOf(m_empty) + 1, messages,
                     m_session->streamingMessageId(),
                     [this](const models::StoredMessage &m, bool streaming) {
                         auto *view = new ChatMessageView(m, streaming, m_scroll->widget());
                         if (streaming)
                             view->setContent(m_session->streamingText());
                         view->setTokenProbabilities(m_session->tokenProbabilities(m.id));
                         connectView(view);
                         return view;
                     });
    m_follow = true; // a new turn or version: show its end
    updateActions();
    updateContextUsage();
}

void PlaygroundPage::updateContextUsage()
{
    const QList<models::StoredMessage> &messages = m_session->messages();
    const models::StoredMessage *last = nullptr;
    for (auto it = messages.crbegin(); it != messages.crend() && !last; ++it)
        if (it->role == QLatin1String("assistant") && it->stats.present)
            last = &*it;
    // Another target counts tokens with another tokenizer in another window: its figures
    // would say nothing about the next Send.
    const double share = last ? models::ReplyFigures::contextShare(last->stats) : 0;
    if (share <= 0 || last->stats.where != m_session->target().where) {
        m_context->hide();
        return;
    }
    const qint64 used = models::ReplyFigures::contextTokens(last->stats);
    const qint64 window = last->stats.contextLength;
    const bool nearlyFull = share >= models::ReplyFigures::nearlyFullShare;
    const QString usage = tr("Context: %1 of %2 tokens used (%3%)")
                              .arg(used)
                              .arg(window)
                              .arg(int(std::lround(share * 100)));
    if (share >= 1) // the last token is sampled, never stored: a reply can end one past
        m_context->setText(tr("Context: %1 tokens, the model's window is %2: the conversation "
                              "no longer fits, and the next Send will be refused. Start a new "
                              "conversation, or load the model with a longer context.")
                               .arg(used)
                               .arg(window));
    else if (nearlyFull)
        m_context->setText(usage + tr(". The next reply has little room and may stop early "
                                      "(finish reason \"length\"): start a new conversation, "
                                      "or load the model with a longer context."));
    else
        m_context->setText(usage);
    // Quiet while there is room; in the text's own colour and bold once it matters.
    m_context->setForegroundRole(nearlyFull ? QPalette::WindowText : QPalette::PlaceholderText);
    QFont font = m_context->font();
    font.setBold(nearlyFull);
    m_context->setFont(font);
    m_context->show();
}

void PlaygroundPage::connectView(ChatMessageView *view)
{
    connect(view, &ChatMessageView::versionRequested, this,
            [this](qint64 id, int delta) { m_session->showVersion(id, delta); });
    // The clicked Regenerate or Retry hides while the reply streams, and its focus went
    // nowhere (typing was lost): the message box takes it, as after Send.
    connect(view, &ChatMessageView::regenerateRequested, this, [this](qint64 id) {
        QString why;
        if (!m_session->regenerate(id, &why))
            showProblem(why);
        else
            m_input->setFocus();
    });
    connect(view, &ChatMessageView::retryRequested, this, [this](qint64) {
        QString why;
        if (!m_session->retry(&why))
            showProblem(why);
        else
            m_input->setFocus();
    });
    connect(view, &ChatMessageView::editRequested, this, [this](qint64 id, const QString &text) {
        m_editingId = id;
        m_input->setPlainText(text);
        m_input->setFocus();
        m_editing->show();
        m_cancelEdit->show();
    });
}

void PlaygroundPage::showStreamed(qint64 messageId, const QString &text)
{
    for (ChatMessageView *v : std::as_const(m_views))
        if (v->messageId() == messageId)
            v->setContent(text);
}

void PlaygroundPage::updateTargets()
{
    QString keep = m_target->currentData().toString();
    const auto info = m_store->conversation(m_session->conversationId());
    QList<models::ChatTarget> targets = m_targets->targets();
    // The conversation's own platform target stays pickable before the lists have answered.
    if (info && !info->target.isEmpty()) {
        bool listed = false;
        for (const models::ChatTarget &t : targets)
            listed = listed || t.key() == info->target;
        const auto own = m_targets->find(info->target);
        if (!listed && own && own->kind == models::ChatTarget::Kind::Platform)
            targets << *own;
    }
    // Keep the chosen target; else the conversation's own; else the first.
    if (keep.isEmpty() || m_target->findData(keep) < 0)
        keep = info ? info->target : QString();
    fillTargetCombo(m_target, targets, keep, tr("No model to talk to yet"));
    const QString problem = m_targets->platformProblem();
    m_targetNote->setText(problem.isEmpty()
                              ? QString()
                              : tr("Platform targets could not all be listed: %1").arg(problem));
    m_targetNote->setVisible(!problem.isEmpty());
    applyTarget();
    updateActions();
}

void PlaygroundPage::applyTarget()
{
    const auto target = m_targets->find(m_target->currentData().toString());
    m_session->setTarget(target ? *target : models::ChatTarget{});
    if (target)
        m_targets->lookUpContextLength(*target); // a platform model's window, for its figures
    // The Thinking switch is offered when the local model's chat template reads one.
    QString thinking;
    if (target && target->kind == models::ChatTarget::Kind::Local)
        for (const enginehost::LoadedModel &m : m_engine->loadedModels())
            if (m.handle == target->localHandle)
                thinking = models::thinkingSwitchVariable(m.templateVariables);
    m_params->setThinkingVariable(thinking);
    updateContextUsage();
}

void PlaygroundPage::loadSettings()
{
    const auto info = m_store->conversation(m_session->conversationId());
    if (!info)
        return;
    m_loadingSettings = true;
    m_system->setText(info->systemPrompt);
    m_params->setParams(info->params);
    m_params->setOptionsFrom(info->options);
    if (m_target->findData(info->target) < 0)
        updateTargets(); // a platform target not listed yet
    const int index = m_target->findData(info->target);
    if (index >= 0)
        m_target->setCurrentIndex(index);
    applyTarget();
    showReference(info->options.referenceAnswer, info->options.referenceLabel);
    m_loadingSettings = false;
    restoreLora();
}

void PlaygroundPage::saveSettings()
{
    if (m_loadingSettings || !m_session->conversationId())
        return;
    m_store->updateSettings(m_session->conversationId(), m_target->currentData().toString(),
                            m_system->text(), m_params->params());
}

void PlaygroundPage::updateActions()
{
    const bool open = m_session->conversationId() != 0;
    const bool streaming = m_session->isStreaming();
    m_rename->setEnabled(open);
    m_duplicate->setEnabled(open);
    m_delete->setEnabled(open);
    const QString noTarget = noTargetReason();
    m_send->setEnabled(!streaming && noTarget.isEmpty());
    m_send->setToolTip(noTarget.isEmpty() ? tr("Send (Ctrl+Return)") : noTarget);
    // A button disabled while focused hands its focus down the chain (Stop's went to the
    // Temperature box): the message box is where the user goes on.
    if (!streaming && m_stop->hasFocus())
        m_input->setFocus();
    m_stop->setEnabled(streaming);
    m_lora->setEnabled(m_session->target().kind == models::ChatTarget::Kind::Local && !streaming &&
                       !m_lora->property("busy").toBool());
    const QString noCopy = copyUnavailableReason();
    m_copy->setVisible(noCopy.isEmpty());
    m_copyUnavailable->setText(noCopy);
    m_copyUnavailable->setToolTip(noCopy);
    m_copyUnavailable->setVisible(!noCopy.isEmpty());
    m_exportMarkdown->setEnabled(open);
    m_exportJson->setEnabled(open);
    updateEmptyHint();
}

} // namespace ui
