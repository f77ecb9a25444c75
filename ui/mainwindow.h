#pragma once

#include <QMainWindow>

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

    //! Status bar: which profile, where it talks to, and whether that works.
    void setConnection(const QString &profile, const QString &endpoint);
    void setConnectionState(const QString &state, bool healthy);
    void setRequestsInFlight(int count);
    //! Last error, one line; `details` is shown when the user clicks it.
    void setLastError(const QString &error, const QString &details = {});
    QString lastError() const { return m_lastErrorText; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showLastErrorDetails();

    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    QList<Page *> m_pages;
    QLabel *m_profile;
    QLabel *m_connection;
    QLabel *m_inFlight;
    QToolButton *m_lastError;
    QString m_lastErrorText;
    QString m_lastErrorDetails;
};

} // namespace ui
