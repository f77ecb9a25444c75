#include "playgroundpage.h"

// The Playground's list of conversations: opening one, new, rename, duplicate, delete and the
// search box (the page's layout, Send and the transcript are in playgroundpage.cpp).

#include <ui/chatparamsform.h>
#include <ui/confirmation.h>
#include <ui/sidebysideview.h>

#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>

#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>

#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>

namespace ui {

QString PlaygroundPage::newConversationTitle()
{
    return QStringLiteral("New conversation");
}

void PlaygroundPage::focusFilter()
{
    m_search->setFocus();
    m_search->selectAll();
}

void PlaygroundPage::openConversation(qint64 id)
{
    cancelEdit();
    m_loraNotice->hide(); // it spoke of the conversation opened before
    m_session->setConversation(id);
    loadSettings();
    const int row = m_list->rowOf(id);
    if (row >= 0 && m_conversations->currentIndex().row() != row)
        m_conversations->setCurrentIndex(m_list->index(row));
    // A column of a side-by-side opens the whole side-by-side; "Single chat" shows it alone.
    const auto info = m_store->conversation(id);
    if (info && info->sideBySide)
        reopenSideBySide(info->sideBySide);
    else if (m_stack->currentWidget() == m_sideView)
        showSingleChat();
    updateActions();
}

void PlaygroundPage::newConversation()
{
    // The conversation on screen is still empty: it is the new one (New pressed twice, or
    // Ctrl+N on a fresh page, left a trail of empty "New conversation"s in the list).
    if (m_stack->currentWidget() != m_sideView && m_session->conversationId() != 0 &&
        m_session->messages().isEmpty() && !m_session->isStreaming()) {
        m_input->setFocus();
        return;
    }
    const qint64 id =
        m_store->createConversation(newConversationTitle(), m_target->currentData().toString(),
                                    m_system->text(), m_params->params());
    if (!id) {
        showProblem(tr("The conversation could not be created: %1").arg(m_store->lastError()));
        return;
    }
    models::ConversationOptions options; // the switches carry over, as the parameters do
    m_params->saveOptionsTo(&options);
    m_store->updateOptions(id, options);
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

void PlaygroundPage::showResource(const QString &targetKey)
{
    if (!m_targets->find(targetKey)) // a platform target without a platform
        return;
    newConversation(); // keeps an empty conversation on screen, else makes one
    const qint64 id = m_session->conversationId();
    if (!id)
        return;
    // Saved first: before the lists answer (a deployment READY a moment ago), the conversation's
    // own target is what the target list offers.
    m_store->updateSettings(id, targetKey, m_system->text(), m_params->params());
    updateTargets();
    m_target->setCurrentIndex(m_target->findData(targetKey));
    m_input->setFocus();
}

void PlaygroundPage::setUpConversationMenu()
{
    auto *rename = new QShortcut(QKeySequence(Qt::Key_F2), m_conversations);
    rename->setContext(Qt::WidgetShortcut);
    rename->setWhatsThis(tr("Rename the conversation (the list focused)"));
    connect(rename, &QShortcut::activated, this, [this] {
        if (m_rename->isEnabled())
            renameConversation();
    });
    m_conversations->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_conversations, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_conversations->indexAt(at);
        if (!index.isValid())
            return;
        m_conversations->setCurrentIndex(index); // opens it, as a left click does
        auto *menu = new QMenu(this);
        menu->setObjectName(QStringLiteral("conversationMenu"));
        menu->setAttribute(Qt::WA_DeleteOnClose);
        const auto add = [&](QPushButton *button, const QKeySequence &keys,
                             void (PlaygroundPage::*run)()) {
            QAction *action = menu->addAction(button->icon(), button->text(), this, run);
            action->setShortcut(keys); // shown beside the entry; the keys work outside it
            action->setEnabled(button->isEnabled());
        };
        add(m_rename, QKeySequence(Qt::Key_F2), &PlaygroundPage::renameConversation);
        add(m_duplicate, {}, &PlaygroundPage::duplicateConversation);
        menu->addSeparator();
        add(m_delete, QKeySequence::Delete, &PlaygroundPage::deleteSelected);
        menu->popup(m_conversations->viewport()->mapToGlobal(at));
    });
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
    confirmThenRun(this,
                   {tr("Delete conversation"),
                    tr("Delete the conversation \"%1\"?").arg(info->title),
                    tr("All its messages and their older versions go with it; this cannot be "
                       "undone."),
                    tr("&Delete")},
                   [this, id] {
                       if (m_session->isStreaming())
                           m_session->stop();
                       m_store->remove(id);
                       m_session->setConversation(0);
                       m_list->refresh();
                       if (m_list->rowCount() > 0)
                           openConversation(m_list->idAt(0));
                       updateActions();
                   });
}

} // namespace ui
