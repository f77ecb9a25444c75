#pragma once

#include <client/apierror.h>

#include <QMainWindow>
#include <QUrl>

class QLabel;
class QListWidget;
class QStackedWidget;
class QToolButton;

namespace ui {

class Page;

//! Hosts the pages (a sidebar and a stack), the menus and the status bar; owns no feature.
//! Routes the standard shortcuts to the current page: Ctrl+1..9 pick a page, F5 reloads,
//! Ctrl+F focuses the filter, Ctrl+N creates, Delete deletes. Geometry and the last page are
//! restored on start.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Adds a page (owned) to the sidebar, in order.
    void addPage(Page *page);
    Page *page(const QString &pageId) const;
    Page *currentPage() const;
    QList<Page *> pages() const { return m_pages; }
    //! Shows the page with this id; false when there is none.
    bool showPage(const QString &pageId);
    //! Reloads every page (after the profile changed).
    void reloadAll();
    //! Restores geometry and the last page (call after the pages were added).
    void restoreLayout();

    //! Status bar: which profile, where it talks to, and whether that works. The profile's
    //! name is shown by the switcher (setProfileSwitcher); the state beside it says the rest.
    //! `server`: the address requests go to (named by the last error's line).
    void setConnection(const QString &profile, const QString &endpoint, const QUrl &server = {});
    //! `why`: what went wrong and what to do, for the state's tooltip (empty when healthy).
    void setConnectionState(const QString &state, bool healthy, const QString &why = {});
    //! Puts the profile switcher first in the status bar, right before the connection state.
    void setProfileSwitcher(QWidget *switcher);
    void setRequestsInFlight(int count);
    //! Last error, one line; `details` is shown when the user clicks it.
    void setLastError(const QString &error, const QString &details = {});
    //! A failed request of the user's: the line says it failed, where (the server, and the
    //! profile when it is the profile's) and the server's words; the details box has the
    //! request, the advice and the raw answer. `url` empty: the profile's server.
    void setRequestError(const client::ApiError &error, const QUrl &url = {},
                         const QString &method = {});
    QString lastError() const { return m_lastErrorText; }

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showLastErrorDetails();
    //! The last error's line elided to the room the status bar gives it.
    void fitLastErrorLine();

    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    QList<Page *> m_pages;
    QLabel *m_connection;
    QString m_profileName;
    QString m_server; // host:port of the profile's address
    QString m_where;  // the state's tooltip: the profile and its address
    QLabel *m_inFlight;
    QToolButton *m_lastError;
    QString m_lastErrorText;
    QString m_lastErrorDetails;
    QString m_lastErrorLine; // with its time, whole
};

} // namespace ui
