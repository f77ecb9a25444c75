#pragma once

#include <ui/page.h>

#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QToolButton;
class QVBoxLayout;

namespace models {
struct ChatParams;
struct ChatTurn;
struct ReplayRequest;
class ChatSession;
class ChatTargets;
class ConversationListModel;
class ConversationStore;
class LocalEngine;
class LocalServer;
class SideBySide;
} // namespace models

namespace ui {

class ChatMessageView;
class ChatParamsForm;
class CommandEquivalents;
class SideBySideView;

//! The playground: conversations on the left (search, new, rename, duplicate, delete), the chat
//! in the middle (target: a loaded local model or a platform model, deployment or deployed
//! LoRA; system prompt; streamed replies with their figures, Stop, versions, edit and resend;
//! export; copy the request as curl or Python), sampling parameters on the right. "Side by
//! side" sends the conversation to two to four targets at once.
class PlaygroundPage : public Page
{
    Q_OBJECT
public:
    //! None is owned; all outlive the page. Platform targets come through the session's
    //! platform client (ChatSession::setPlatform), when it has one.
    PlaygroundPage(models::ConversationStore *store, models::ChatSession *session,
                   models::LocalEngine *engine, QWidget *parent = nullptr);
    ~PlaygroundPage() override;
    QString title() const override { return tr("Playground"); }
    QString pageId() const override { return QStringLiteral("playground"); }
    void reload() override;
    void newItem() override { newConversation(); }
    //! Another page's "Chat in Playground": a conversation with the target of `targetKey` (a
    //! deployment), the empty one on screen taking it.
    void showResource(const QString &targetKey) override;
    void deleteSelected() override;
    void focusFilter() override;

    //! Opens a conversation (as a click on it in the list does).
    void openConversation(qint64 id);
    //! Starts a new conversation and sends `text` in it, as typing it and pressing Send does.
    void sendInNewConversation(const QString &text);
    //! A new conversation titled `title` holding `prompt` up to its last user turn, whose text
    //! waits in the message box: the user picks any target and sends (replaying a rollout).
    void openPrompt(const QString &title, const QList<models::ChatTurn> &prompt);
    //! The same, with the request's sampling put into the conversation's parameters and its
    //! reference answer labelled as it says (a rollout's answer, not a dataset's).
    void openReplay(const models::ReplayRequest &request);
    //! Side by side from the open conversation with these targets' keys (two to four; fewer
    //! are filled up with other targets); false when there are not two targets.
    bool showSideBySide(const QStringList &targetKeys = {});
    void showSingleChat();
    //! The stored side-by-side `sideBySide` as columns again; false when fewer than two of its
    //! columns are left (the conversation then shows alone).
    bool reopenSideBySide(qint64 sideBySide);
    //! For --screenshot playground-side-by-side: once the platform lists have answered, a
    //! side-by-side of the first local model and the first deployment (else another target)
    //! with `text` sent to every column; sideBySideFinished(true) when every reply has ended,
    //! (false) at once when there are not two targets or no column could start.
    void sendSideBySide(const QString &text);
    //! Writes the open conversation as Markdown or JSON (whole or not at all).
    bool exportConversation(const QString &path, bool json, QString *error = nullptr);

    models::ChatTargets *targets() const { return m_targets; }
    //! The local OpenAI-compatible server (not owned; the Local models page's): while it serves
    //! the local target, "Copy curl/Python" gives the request to it.
    void setLocalServer(models::LocalServer *server);
    SideBySideView *sideBySideView() const { return m_sideView; }

Q_SIGNALS:
    void sideBySideFinished(bool shown);

protected:
    //! Lists the platform's targets again when shown with none (the user may just have
    //! uploaded a model or switched profiles), on top of the stale-data reload.
    void showEvent(QShowEvent *event) override;

private:
    //! The title a new conversation has until its first Send names it after the message
    //! (playgroundconversations.cpp, with the rest of the conversation list's handling).
    static QString newConversationTitle();
    void newConversation();
    //! The list's right-click menu (Rename, Duplicate, Delete) and F2 to rename, as the
    //! resource pages' lists have.
    void setUpConversationMenu();
    void renameConversation();
    void duplicateConversation();
    void send();
    //! What the empty transcript says: write to the chosen target, or (no target can answer)
    //! what to do to get one, with links to those pages (playgroundemptystate.cpp).
    void updateEmptyHint();
    QWidget *makeNoTargetPanel(QWidget *parent);
    //! Why Send cannot go anywhere now (empty: a target is chosen), in plain words.
    QString noTargetReason() const;
    //! Where the platform targets of this profile come from: none, the Local sandbox, Fireworks.
    enum class PlatformKind { None, LocalSandbox, Fireworks };
    PlatformKind platformKind() const;
    QString sideBySideNeedsTargetsText() const;
    void showMessages();
    void connectView(ChatMessageView *view);
    void showStreamed(qint64 messageId, const QString &text);
    void updateTargets();
    void applyTarget();
    void updateActions();
    //! How full the conversation's context is after its last reply, under the message box
    //! (hidden when unknown, or when the last reply ran on another target).
    void updateContextUsage();
    void saveSettings();
    void loadSettings();
    void cancelEdit();
    void showProblem(const QString &text);
    void exportWithDialog(bool json);
    QString copyText(bool python) const;
    //! Why the request cannot be copied now (empty: it can), in plain words.
    QString copyUnavailableReason() const;
    //! The LoRA button: attach or swap an adapter folder on the local target, or detach it.
    void setUpLoraButton();
    void chooseLora();
    //! The Thinking switch, template variables and token probabilities, kept with the open
    //! conversation (playgroundpageoptions.cpp).
    void saveOptions();
    //! The local target's LoRA adapter folder now (empty: none, or not a local target).
    QString attachedLora() const;
    //! The open conversation remembers the local target's adapter (after a Send, an attach or
    //! a detach); reopened on that target, restoreLora() attaches it again.
    void recordLora();
    void restoreLora();
    void loraRestored();
    //! A replayed dataset row's own answer, under a toggle above the message box.
    QWidget *makeReferenceBox(QWidget *parent);
    void showReference(const QString &answer, const QString &label);

    models::ConversationStore *m_store;     // not owned
    models::ChatSession *m_session;         // not owned
    models::LocalEngine *m_engine;          // not owned
    QPointer<models::LocalServer> m_server; // not owned
    models::ConversationListModel *m_list;
    models::ChatTargets *m_targets;
    models::SideBySide *m_sideBySide;
    QLineEdit *m_search;
    QListView *m_conversations;
    QPushButton *m_new, *m_rename, *m_duplicate, *m_delete;
    QStackedWidget *m_stack;
    SideBySideView *m_sideView;
    QComboBox *m_target;
    QLabel *m_targetNote;
    QLineEdit *m_system;
    QToolButton *m_lora;
    QPushButton *m_sideBySideButton, *m_exportMarkdown, *m_exportJson;
    CommandEquivalents *m_copy;
    QLabel *m_copyUnavailable;
    QScrollArea *m_scroll;
    QVBoxLayout *m_transcript;
    QLabel *m_empty;
    //! No target can answer: what to do, with buttons to the Local models and Models pages.
    QWidget *m_noTarget = nullptr;
    QLabel *m_noTargetText = nullptr;
    QPushButton *m_goUpload = nullptr;
    QLabel *m_editing;
    QPushButton *m_cancelEdit;
    QPlainTextEdit *m_input;
    QPushButton *m_send, *m_stop;
    QLabel *m_context;
    QLabel *m_problem;
    bool m_problemIsNoTarget =
        false; //!< m_problem says there is no target (taken back once one comes)
    //! Says that opening a conversation swapped the LoRA on a model others use too.
    QLabel *m_loraNotice;
    QString m_restoringLoraFrom; // the adapter the model had before restoreLora() swapped it
    bool m_restoringLora = false;
    QToolButton *m_referenceToggle = nullptr;
    QLabel *m_reference = nullptr;
    ChatParamsForm *m_params;
    QList<ChatMessageView *> m_views;
    qint64 m_editingId = 0;
    bool m_loadingSettings = false;
    bool m_follow = true; // keep the transcript at its end (false once the user scrolls up)
};

} // namespace ui
