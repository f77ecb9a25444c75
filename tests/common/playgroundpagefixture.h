#pragma once

// The Playground page wired as the app wires it, for the tests of what a person does there: an
// engine host and the local engine on it (what the app keeps while it runs), and on them the
// conversation store, the chat session (on the platform when given one) and the page, shown.
// A test class derives from it after QObject, starts the engine and opens the page in init()
// and calls stop() in cleanup(); reopenPage() is what a restart of the app does to the
// Playground. The free functions serve a side-by-side view shown without the page too.

#include "common/loadoncpu.h"
#include "common/uitesthelpers.h"

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/sidebyside.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>
#include <ui/sidebysideview.h>

#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QList>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSize>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWidget>

#include <algorithm>
#include <memory>

namespace client {
class ApiClient;
}

namespace testing {

//! The push button below `in` with the text `text` that is on screen; nullptr when none is.
inline QPushButton *shownButton(QWidget *in, const QString &text)
{
    for (QPushButton *b : in->findChildren<QPushButton *>())
        if (b->text() == text && b->isVisible())
            return b;
    return nullptr;
}

//! The message views below `in` that are on screen, in the order of their messages.
inline QList<ui::ChatMessageView *> shownMessageViews(QWidget *in)
{
    QList<ui::ChatMessageView *> out;
    for (ui::ChatMessageView *v : in->findChildren<ui::ChatMessageView *>())
        if (v->isVisible())
            out << v;
    std::sort(out.begin(), out.end(),
              [](auto *a, auto *b) { return a->messageId() < b->messageId(); });
    return out;
}

//! `text` typed into the side-by-side's message box and sent to every column with the mouse;
//! true once every column has answered.
[[nodiscard]] inline bool sendToAll(ui::SideBySideView *view, const models::SideBySide *sbs,
                                    const QString &text)
{
    view->input()->setFocus();
    QTest::keyClicks(view->input(), text);
    return click(shownButton(view, QStringLiteral("Send to all"))) &&
           QTest::qWaitFor([&] { return !sbs->isStreaming(); }, 60000);
}

class PlaygroundPageFixture
{
public:
    PlaygroundPageFixture() = default;
    ~PlaygroundPageFixture() { stop(); }
    PlaygroundPageFixture(const PlaygroundPageFixture &) = delete;
    PlaygroundPageFixture &operator=(const PlaygroundPageFixture &) = delete;

protected:
    //! A new engine host and local engine, nothing loaded: the app started.
    void startEngine()
    {
        stop();
        m_host = std::make_unique<enginehost::EngineHost>();
        m_engine = std::make_unique<models::LocalEngine>(m_host.get());
    }

    //! A new store on the file `conversations`, a chat session on it (talking to `platform`
    //! when given) and the page on them and the engine, shown at `size`. False when the page
    //! was not shown.
    [[nodiscard]] bool openPage(const QString &conversations, client::ApiClient *platform = nullptr,
                                QSize size = QSize(1300, 800))
    {
        m_conversations = conversations;
        m_platform = platform;
        m_size = size;
        return reopenPage();
    }

    //! What each test's init() does: a freshly started engine and the page on a conversation
    //! file of the running test function's own in `dir`. False when the page was not shown.
    [[nodiscard]] bool startOnFreshPage(const QTemporaryDir &dir)
    {
        startEngine();
        return openPage(
            dir.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction())));
    }

    //! What a restart of the app does to the Playground: a new store, session and page on the
    //! same file; the engine keeps what it has loaded. False when the page was not shown.
    [[nodiscard]] bool reopenPage()
    {
        closePage();
        m_store = std::make_unique<models::ConversationStore>(m_conversations);
        m_session = std::make_unique<models::ChatSession>(m_store.get(), m_host.get());
        if (m_platform)
            m_session->setPlatform(m_platform);
        m_page =
            std::make_unique<ui::PlaygroundPage>(m_store.get(), m_session.get(), m_engine.get());
        m_page->resize(m_size);
        m_page->show();
        return QTest::qWaitForWindowExposed(m_page.get());
    }

    //! The page, session and store gone, in that order: the page before what it shows.
    void closePage()
    {
        m_page.reset();
        m_session.reset();
        m_store.reset();
    }

    //! Everything gone, the host last.
    void stop()
    {
        closePage();
        m_engine.reset();
        m_host.reset();
    }

    //! The page's push button with the text `text`, shown or not (to check its state too).
    QPushButton *button(const QString &text) const
    {
        for (QPushButton *b : m_page->findChildren<QPushButton *>())
            if (b->text() == text)
                return b;
        return nullptr;
    }

    //! Every message view of the page, shown or not, in the order of their messages.
    QList<ui::ChatMessageView *> views() const
    {
        QList<ui::ChatMessageView *> out = m_page->findChildren<ui::ChatMessageView *>();
        std::sort(out.begin(), out.end(),
                  [](auto *a, auto *b) { return a->messageId() < b->messageId(); });
        return out;
    }

    //! The label of `w` named `name` (the parts of a message view: "stats", "version", …).
    static QLabel *childLabel(QWidget *w, const char *name)
    {
        return w->findChild<QLabel *>(QString::fromLatin1(name));
    }

    //! `text` typed into the message box, then Send clicked; false when Send could not be.
    [[nodiscard]] bool sendText(const QString &text)
    {
        auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
        input->setFocus();
        QTest::keyClicks(input, text);
        return testing::click(button(QStringLiteral("Send")));
    }

    //! Loads the model folder `dir` on the CPU with a window of `contextLength` tokens and waits
    //! until the page's target is it ("<folder> (local CPU)"). A failure is the test's
    //! (QTest::currentTestFailed()).
    void loadLocalTarget(const QString &dir, qint64 contextLength)
    {
        const QString error = testing::loadOnCpu(*m_engine, dir, contextLength);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
        const QString shown = QFileInfo(dir).fileName() + QStringLiteral(" (local CPU)");
        QTRY_VERIFY(target->currentText().startsWith(shown));
    }

    //! The message's tool button with the text `text` once the view is on screen (new views
    //! show with the next layout pass); nullptr when none shows within 5 s.
    QToolButton *shownToolButton(QWidget *in, const QString &text) const
    {
        QToolButton *found = nullptr;
        (void)QTest::qWaitFor(
            [&] {
                for (QToolButton *b : in->findChildren<QToolButton *>())
                    if (b->text() == text && b->isVisible())
                        found = b;
                return found != nullptr;
            },
            5000);
        return found;
    }

    //! Opens conversation `conversationId` with a click on its row in the list; false when it
    //! is not listed or did not open.
    [[nodiscard]] bool openInList(qint64 conversationId)
    {
        auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
        auto *model = qobject_cast<models::ConversationListModel *>(list->model());
        const int row = model ? model->rowOf(conversationId) : -1;
        return row >= 0 && testing::clickRow(list, row) &&
               QTest::qWaitFor([&] { return m_session->conversationId() == conversationId; },
                               5000);
    }

    //! True once the session's reply has ended.
    [[nodiscard]] bool waitIdle(int timeoutMs = 60000)
    {
        return QTest::qWaitFor([&] { return !m_session->isStreaming(); }, timeoutMs);
    }

    std::unique_ptr<enginehost::EngineHost> m_host;
    std::unique_ptr<models::LocalEngine> m_engine;
    std::unique_ptr<models::ConversationStore> m_store;
    std::unique_ptr<models::ChatSession> m_session;
    std::unique_ptr<ui::PlaygroundPage> m_page; // declared last: it goes first

private:
    QString m_conversations;
    client::ApiClient *m_platform = nullptr; // not owned
    QSize m_size;
};

} // namespace testing
