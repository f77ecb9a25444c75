#pragma once

#include <QElapsedTimer>
#include <QWidget>

namespace ui {

//! One page of the main window. MainWindow routes the standard shortcuts (F5, Ctrl+F,
//! Ctrl+N, Delete) and profile switches (reload) to the current page through these calls.
//! A page whose data is older than its refresh interval loads again when it is shown.
class Page : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;
    //! The sidebar's label, e.g. "Models".
    virtual QString title() const = 0;
    //! Lower-case id used by --screenshot and links, e.g. "models".
    virtual QString pageId() const = 0;
    //! Loads everything again (F5, and after the profile changed).
    virtual void reload() = 0;
    //! True once the data of the last reload() has landed (or failed).
    virtual bool isLoaded() const { return true; }
    virtual void focusFilter() {}
    //! Puts the keyboard focus on the page's main content (the sidebar picked it with the
    //! mouse or Ctrl+1..9), so its own shortcuts, which act while the focus is inside the page,
    //! work at once. The default: the first widget Tab reaches in it.
    virtual void focusContent();
    virtual void newItem() {}
    virtual void deleteSelected() {}
    //! Selects the resource with this full name, loading pages until it is found.
    virtual void showResource(const QString &name) { Q_UNUSED(name); }

    //! Data older than this is loaded again when the page is shown (0: never).
    void setRefreshIntervalMs(int ms) { m_refreshIntervalMs = ms; }
    int refreshIntervalMs() const { return m_refreshIntervalMs; }
    //! Milliseconds since the data last landed; -1 before it ever did.
    qint64 dataAgeMs() const { return m_dataAge.isValid() ? m_dataAge.elapsed() : -1; }

    //! How old a page's data may be when it is shown again; the lists poll what is changing
    //! every few seconds, so everything else is at most this old when the user looks.
    static constexpr int kDefaultRefreshIntervalMs = 30000;

Q_SIGNALS:
    //! The data of the last reload() has landed (or failed).
    void loaded();
    //! A link in the page points at another page's resource.
    void navigateRequested(const QString &pageId, const QString &resourceName);
    //! Another page should open and start a new item, as its Ctrl+N does.
    void newItemRequested(const QString &pageId);

protected:
    //! Pages call this when their data has landed.
    void markDataFresh() { m_dataAge.start(); }
    //! Loads stale data again when the page is shown; pages may keep their selection.
    virtual void refreshStale() { reload(); }
    void showEvent(QShowEvent *event) override;

private:
    QElapsedTimer m_dataAge;
    int m_refreshIntervalMs = kDefaultRefreshIntervalMs;
};

} // namespace ui
