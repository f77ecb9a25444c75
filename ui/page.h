#pragma once

#include <QWidget>

namespace ui {

//! One page of the main window. MainWindow routes the standard shortcuts (F5, Ctrl+F,
//! Ctrl+N, Delete) and profile switches (reload) to the current page through these calls.
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
    virtual void newItem() {}
    virtual void deleteSelected() {}
    //! Selects the resource with this full name, loading pages until it is found.
    virtual void showResource(const QString &name) { Q_UNUSED(name); }

Q_SIGNALS:
    //! The data of the last reload() has landed (or failed).
    void loaded();
    //! A link in the page points at another page's resource.
    void navigateRequested(const QString &pageId, const QString &resourceName);
};

} // namespace ui
