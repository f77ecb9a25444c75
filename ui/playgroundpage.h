#pragma once

#include <ui/page.h>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QVBoxLayout;

namespace models {
struct ChatParams;
class ChatSession;
class ConversationListModel;
class ConversationStore;
class LocalEngine;
} // namespace models

namespace ui {

class ChatMessageView;

//! The playground: conversations on the left (search, new, rename, duplicate, delete), the chat
//! in the middle (target, system prompt, streamed replies with their figures, Stop, versions,
//! edit and resend), sampling parameters on the right.
class PlaygroundPage : public Page
{
    Q_OBJECT
public:
    //! None is owned; all outlive the page.
    PlaygroundPage(models::ConversationStore *store, models::ChatSession *session,
                   models::LocalEngine *engine, QWidget *parent = nullptr);
    QString title() const override { return tr("Playground"); }
    QString pageId() const override { return QStringLiteral("playground"); }
    void reload() override;
    void newItem() override { newConversation(); }
    void deleteSelected() override;
    void focusFilter() override;

    //! Opens a conversation (as a click on it in the list does).
    void openConversation(qint64 id);
    //! Starts a new conversation and sends `text` in it, as typing it and pressing Send does.
    void sendInNewConversation(const QString &text);

private:
    void newConversation();
    void renameConversation();
    void duplicateConversation();
    void send();
    void showMessages();
    void showStreamed(qint64 messageId, const QString &text);
    void updateTargets();
    void updateActions();
    void saveSettings();
    void loadSettings();
    models::ChatParams params() const;
    void setParams(const models::ChatParams &params);
    void cancelEdit();
    void showProblem(const QString &text);

    models::ConversationStore *m_store; // not owned
    models::ChatSession *m_session;     // not owned
    models::LocalEngine *m_engine;      // not owned
    models::ConversationListModel *m_list;
    QLineEdit *m_search;
    QListView *m_conversations;
    QPushButton *m_new, *m_rename, *m_duplicate, *m_delete;
    QComboBox *m_target;
    QLineEdit *m_system;
    QScrollArea *m_scroll;
    QVBoxLayout *m_transcript;
    QLabel *m_empty;
    QLabel *m_editing;
    QPushButton *m_cancelEdit;
    QPlainTextEdit *m_input;
    QPushButton *m_send, *m_stop;
    QLabel *m_problem;
    QDoubleSpinBox *m_temperature, *m_topP, *m_minP, *m_repetition, *m_presence, *m_frequency;
    QSpinBox *m_topK, *m_maxTokens;
    QLineEdit *m_stopSequences, *m_seed;
    QList<ChatMessageView *> m_views;
    qint64 m_editingId = 0;
    bool m_loadingSettings = false;
    bool m_follow = true; // keep the transcript at its end (false once the user scrolls up)
};

} // namespace ui
