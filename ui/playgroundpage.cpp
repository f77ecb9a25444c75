#include "playgroundpage.h"

#include <ui/chatmessageview.h>

#include <models/chatsession.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace ui {

namespace {

const QString kNewTitle = QStringLiteral("New conversation");

QDoubleSpinBox *doubleBox(QWidget *parent, double min, double max, double step, double value)
{
    auto *b = new QDoubleSpinBox(parent);
    b->setRange(min, max);
    b->setSingleStep(step);
    b->setDecimals(2);
    b->setValue(value);
    return b;
}

} // namespace

PlaygroundPage::PlaygroundPage(models::ConversationStore *store, models::ChatSession *session,
                               models::LocalEngine *engine, QWidget *parent)
    : Page(parent), m_store(store), m_session(session), m_engine(engine),
      m_list(new models::ConversationListModel(store, this))
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
    m_conversations->setTextElideMode(Qt::ElideRight);
    m_conversations->setUniformItemSizes(true);
    auto *listButtons = new QGridLayout;
    m_new = new QPushButton(tr("New"), left);
    m_rename = new QPushButton(tr("Rename…"), left);
    m_duplicate = new QPushButton(tr("Duplicate"), left);
    m_delete = new QPushButton(tr("Delete…"), left);
    listButtons->addWidget(m_new, 0, 0);
    listButtons->addWidget(m_rename, 0, 1);
    listButtons->addWidget(m_duplicate, 1, 0);
    listButtons->addWidget(m_delete, 1, 1);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_conversations, 1);
    leftLayout->addLayout(listButtons);
    splitter->addWidget(left);

    // The chat.
    auto *middle = new QWidget(splitter);
    auto *chat = new QVBoxLayout(middle);
    auto *top = new QFormLayout;
    m_target = new QComboBox(middle);
    m_target->setObjectName(QStringLiteral("target"));
    m_target->setAccessibleName(tr("Target"));
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_system = new QLineEdit(middle);
    m_system->setObjectName(QStringLiteral("systemPrompt"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setPlaceholderText(tr("System prompt (optional)"));
    top->addRow(tr("Target:"), m_target);
    top->addRow(tr("System:"), m_system);
    chat->addLayout(top);
    m_scroll = new QScrollArea(middle);
    m_scroll->setWidgetResizable(true);
    m_scroll->setAccessibleName(tr("Conversation"));
    auto *transcript = new QWidget(m_scroll);
    m_transcript = new QVBoxLayout(transcript);
    m_empty = new QLabel(tr("Load a model on the Local models page, pick it as the target, "
                            "and write below. Replies stream here with their time to first "
                            "token, tokens per second and where they ran."),
                         transcript);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_transcript->addWidget(m_empty);
    m_transcript->addStretch();
    m_scroll->setWidget(transcript);
    chat->addWidget(m_scroll, 1);
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
    sendButtons->addWidget(m_send);
    sendButtons->addWidget(m_stop);
    sendButtons->addStretch();
    inputRow->addWidget(m_input, 1);
    inputRow->addLayout(sendButtons);
    chat->addLayout(inputRow);
    splitter->addWidget(middle);

    // Parameters.
    auto *right = new QGroupBox(tr("Parameters"), splitter);
    auto *form = new QFormLayout(right);
    m_temperature = doubleBox(right, 0, 2, 0.1, 0.7);
    m_topP = doubleBox(right, 0, 1, 0.05, 1.0);
    m_topK = new QSpinBox(right);
    m_topK->setRange(0, 1000);
    m_topK->setSpecialValueText(tr("off"));
    m_minP = doubleBox(right, 0, 1, 0.01, 0.0);
    m_maxTokens = new QSpinBox(right);
    m_maxTokens->setObjectName(QStringLiteral("maxTokens"));
    m_maxTokens->setRange(1, 1 << 20);
    m_maxTokens->setValue(512);
    m_stopSequences = new QLineEdit(right);
    m_stopSequences->setPlaceholderText(tr("one per line: separate with |"));
    m_seed = new QLineEdit(right);
    m_seed->setPlaceholderText(tr("0"));
    m_repetition = doubleBox(right, 0.5, 2, 0.05, 1.0);
    m_presence = doubleBox(right, -2, 2, 0.1, 0.0);
    m_frequency = doubleBox(right, -2, 2, 0.1, 0.0);
    // Each field is named for a screen reader by its form label.
    const QList<std::pair<QString, QWidget *>> named{{tr("Temperature"), m_temperature},
                                                     {tr("Top-p"), m_topP},
                                                     {tr("Top-k"), m_topK},
                                                     {tr("Min-p"), m_minP},
                                                     {tr("Max tokens"), m_maxTokens},
                                                     {tr("Stop sequences"), m_stopSequences},
                                                     {tr("Seed"), m_seed},
                                                     {tr("Repetition penalty"), m_repetition},
                                                     {tr("Presence penalty"), m_presence},
                                                     {tr("Frequency penalty"), m_frequency}};
    for (const auto &[name, widget] : named)
        widget->setAccessibleName(name);
    form->addRow(tr("Temperature:"), m_temperature);
    form->addRow(tr("Top-p:"), m_topP);
    form->addRow(tr("Top-k:"), m_topK);
    form->addRow(tr("Min-p:"), m_minP);
    form->addRow(tr("Max tokens:"), m_maxTokens);
    form->addRow(tr("Stop:"), m_stopSequences);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Repetition penalty:"), m_repetition);
    form->addRow(tr("Presence penalty:"), m_presence);
    form->addRow(tr("Frequency penalty:"), m_frequency);
    auto *unsupported = new QLabel(
        tr("Temperature 0 is greedy. Not offered yet: token probabilities (the engine computes "
           "top-n logprobs, this page does not show them), extra chat-template variables, and "
           "platform targets (serverless models, deployments)."),
        right);
    unsupported->setWordWrap(true);
    unsupported->setEnabled(false);
    form->addRow(unsupported);
    splitter->addWidget(right);
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
    connect(m_new, &QPushButton::clicked, this, &PlaygroundPage::newConversation);
    connect(m_rename, &QPushButton::clicked, this, &PlaygroundPage::renameConversation);
    connect(m_duplicate, &QPushButton::clicked, this, &PlaygroundPage::duplicateConversation);
    connect(m_delete, &QPushButton::clicked, this, &PlaygroundPage::deleteSelected);
    connect(m_send, &QPushButton::clicked, this, &PlaygroundPage::send);
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_input), &QShortcut::activated,
            this, &PlaygroundPage::send);
    connect(m_stop, &QPushButton::clicked, m_session, &models::ChatSession::stop);
    connect(m_cancelEdit, &QPushButton::clicked, this, &PlaygroundPage::cancelEdit);
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        m_session->setTarget(m_target->currentData().toInt());
        saveSettings();
        updateActions();
    });
    connect(m_system, &QLineEdit::editingFinished, this, &PlaygroundPage::saveSettings);
    for (QDoubleSpinBox *b : {m_temperature, m_topP, m_minP, m_repetition, m_presence, m_frequency})
        connect(b, &QDoubleSpinBox::valueChanged, this, &PlaygroundPage::saveSettings);
    for (QSpinBox *b : {m_topK, m_maxTokens})
        connect(b, &QSpinBox::valueChanged, this, &PlaygroundPage::saveSettings);
    for (QLineEdit *e : {m_stopSequences, m_seed})
        connect(e, &QLineEdit::editingFinished, this, &PlaygroundPage::saveSettings);
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
    connect(m_session, &models::ChatSession::replyFinished, this, [this] {
        m_list->refresh(); // its "updated" order changed
        updateActions();
    });
    connect(m_engine, &models::LocalEngine::loadedModelsChanged, this,
            &PlaygroundPage::updateTargets);

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

void PlaygroundPage::reload()
{
    m_list->refresh();
    updateTargets();
    markDataFresh();
    Q_EMIT loaded();
}

void PlaygroundPage::focusFilter()
{
    m_search->setFocus();
    m_search->selectAll();
}

void PlaygroundPage::openConversation(qint64 id)
{
    cancelEdit();
    m_session->setConversation(id);
    loadSettings();
    const int row = m_list->rowOf(id);
    if (row >= 0 && m_conversations->currentIndex().row() != row)
        m_conversations->setCurrentIndex(m_list->index(row));
    updateActions();
}

void PlaygroundPage::newConversation()
{
    const QString target = m_engine->loadedModels().isEmpty()
                               ? QString()
                               : m_target->currentData(Qt::ToolTipRole).toString();
    const qint64 id = m_store->createConversation(kNewTitle, target, m_system->text(), params());
    if (!id) {
        showProblem(tr("The conversation could not be created: %1").arg(m_store->lastError()));
        return;
    }
    m_list->refresh();
    openConversation(id);
    m_input->setFocus();
}

void PlaygroundPage::sendInNewConversation(const QString &text)
{
    newConversation();
    m_input->setPlainText(text);
    send();
}

void PlaygroundPage::renameConversation()
{
    const qint64 id = m_session->conversationId();
    const auto info = m_store->conversation(id);
    if (!info)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("renameConversation"));
    dialog->setWindowTitle(tr("Rename conversation"));
    dialog->setLabelText(tr("Title:"));
    dialog->setTextValue(info->title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &title) {
        if (!title.trimmed().isEmpty() && m_store->rename(id, title.trimmed()))
            m_list->refresh();
    });
    dialog->open();
}

void PlaygroundPage::duplicateConversation()
{
    const qint64 copy = m_store->duplicate(m_session->conversationId());
    if (!copy) {
        showProblem(tr("The conversation could not be duplicated: %1").arg(m_store->lastError()));
        return;
    }
    m_list->refresh();
    openConversation(copy);
}

void PlaygroundPage::deleteSelected()
{
    const qint64 id = m_session->conversationId();
    const auto info = m_store->conversation(id);
    if (!info)
        return;
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Delete conversation"),
                        tr("Delete \"%1\" with all its messages and versions?").arg(info->title),
                        QMessageBox::Cancel, this);
    box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, id](QAbstractButton *b) {
        if (box->buttonRole(b) != QMessageBox::DestructiveRole)
            return;
        if (m_session->isStreaming())
            m_session->stop();
        m_store->remove(id);
        m_session->setConversation(0);
        m_list->refresh();
        if (m_list->rowCount() > 0)
            openConversation(m_list->idAt(0));
        updateActions();
    });
    box->open();
}

void PlaygroundPage::send()
{
    const QString text = m_input->toPlainText().trimmed();
    if (text.isEmpty() || m_session->isStreaming())
        return;
    if (!m_session->conversationId())
        newConversation();
    QString why;
    const bool started = m_editingId ? m_session->editAndResend(m_editingId, text, &why)
                                     : m_session->send(text, &why);
    if (!started) {
        showProblem(why); // the typed text stays in the input
        return;
    }
    m_problem->hide();
    if (const auto info = m_store->conversation(m_session->conversationId());
        info && info->title == kNewTitle) {
        m_store->rename(info->id, text.left(48).simplified());
        m_list->refresh();
    }
    m_input->clear();
    cancelEdit();
    updateActions();
}

void PlaygroundPage::showProblem(const QString &text)
{
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
    // A structural change (a turn added, a version switched, a reply ended): rebuild the
    // transcript. Streaming itself only touches the streaming message (showStreamed).
    qDeleteAll(m_views);
    m_views.clear();
    const QList<models::StoredMessage> &messages = m_session->messages();
    m_empty->setVisible(messages.isEmpty());
    for (const models::StoredMessage &m : messages) {
        const bool streaming = m.id == m_session->streamingMessageId();
        auto *view = new ChatMessageView(m, streaming, m_scroll->widget());
        if (streaming)
            view->setContent(m_session->streamingText());
        connect(view, &ChatMessageView::versionRequested, this,
                [this](qint64 id, int delta) { m_session->showVersion(id, delta); });
        connect(view, &ChatMessageView::regenerateRequested, this, [this](qint64 id) {
            QString why;
            if (!m_session->regenerate(id, &why))
                showProblem(why);
        });
        connect(view, &ChatMessageView::retryRequested, this, [this](qint64) {
            QString why;
            if (!m_session->retry(&why))
                showProblem(why);
        });
        connect(view, &ChatMessageView::editRequested, this,
                [this](qint64 id, const QString &text) {
                    m_editingId = id;
                    m_input->setPlainText(text);
                    m_input->setFocus();
                    m_editing->show();
                    m_cancelEdit->show();
                });
        m_transcript->insertWidget(m_transcript->count() - 1, view);
        m_views << view;
    }
    m_follow = true; // a new turn or version: show its end
    updateActions();
}

void PlaygroundPage::showStreamed(qint64 messageId, const QString &text)
{
    for (ChatMessageView *v : std::as_const(m_views))
        if (v->messageId() == messageId)
            v->setContent(text);
}

void PlaygroundPage::updateTargets()
{
    const int current = m_target->currentData().toInt();
    const QSignalBlocker block(m_target);
    m_target->clear();
    const QList<enginehost::LoadedModel> loaded = m_engine->loadedModels();
    if (loaded.isEmpty())
        m_target->addItem(tr("No model loaded: load one on the Local models page"), 0);
    for (const enginehost::LoadedModel &m : loaded) {
        QString label = tr("%1 (local %2)").arg(m.name, m.backendName.toUpper());
        if (!m.adapterDir.isEmpty())
            label = tr("%1 + LoRA %2 (local %3)")
                        .arg(m.name, QFileInfo(m.adapterDir).fileName(), m.backendName.toUpper());
        m_target->addItem(label, m.handle);
        m_target->setItemData(m_target->count() - 1, m.dir, Qt::ToolTipRole);
    }
    // Keep the chosen model; else the conversation's own; else the first loaded one.
    int index = m_target->findData(current);
    if (index < 0)
        if (const auto info = m_store->conversation(m_session->conversationId()))
            index = m_target->findData(info->target, Qt::ToolTipRole);
    m_target->setCurrentIndex(std::max(index, 0));
    m_session->setTarget(m_target->currentData().toInt());
    updateActions();
}

models::ChatParams PlaygroundPage::params() const
{
    models::ChatParams p;
    p.temperature = m_temperature->value();
    p.topP = m_topP->value();
    p.topK = m_topK->value();
    p.minP = m_minP->value();
    p.maxTokens = m_maxTokens->value();
    p.repetitionPenalty = m_repetition->value();
    p.presencePenalty = m_presence->value();
    p.frequencyPenalty = m_frequency->value();
    p.stop = m_stopSequences->text().split(QLatin1Char('|'), Qt::SkipEmptyParts);
    bool ok = false;
    const qulonglong seed = m_seed->text().trimmed().toULongLong(&ok);
    if (ok)
        p.seed = seed;
    return p;
}

void PlaygroundPage::setParams(const models::ChatParams &p)
{
    m_temperature->setValue(p.temperature);
    m_topP->setValue(p.topP);
    m_topK->setValue(p.topK);
    m_minP->setValue(p.minP);
    m_maxTokens->setValue(p.maxTokens);
    m_repetition->setValue(p.repetitionPenalty);
    m_presence->setValue(p.presencePenalty);
    m_frequency->setValue(p.frequencyPenalty);
    m_stopSequences->setText(p.stop.join(QLatin1Char('|')));
    m_seed->setText(p.seed ? QString::number(*p.seed) : QString());
}

void PlaygroundPage::loadSettings()
{
    const auto info = m_store->conversation(m_session->conversationId());
    if (!info)
        return;
    m_loadingSettings = true;
    m_system->setText(info->systemPrompt);
    setParams(info->params);
    const int index = m_target->findData(info->target, Qt::ToolTipRole);
    if (index >= 0)
        m_target->setCurrentIndex(index);
    m_loadingSettings = false;
}

void PlaygroundPage::saveSettings()
{
    if (m_loadingSettings || !m_session->conversationId())
        return;
    const QString target = m_target->currentData().toInt()
                               ? m_target->currentData(Qt::ToolTipRole).toString()
                               : QString();
    m_store->updateSettings(m_session->conversationId(), target, m_system->text(), params());
}

void PlaygroundPage::updateActions()
{
    const bool open = m_session->conversationId() != 0;
    const bool streaming = m_session->isStreaming();
    m_rename->setEnabled(open);
    m_duplicate->setEnabled(open);
    m_delete->setEnabled(open);
    m_send->setEnabled(!streaming);
    m_stop->setEnabled(streaming);
}

} // namespace ui
