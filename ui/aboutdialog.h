#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

namespace ui {

//! Help → About: the application icon, the version, the versions of Qt, the engine and the
//! Local sandbox, and the icon credits. "Copy versions" puts the version lines on the
//! clipboard for a bug report.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    //! The rows shown under the title, as (component, version) pairs.
    static QList<QPair<QString, QString>> versionRows();
    //! versionRows() as plain text, one "component: version" per line.
    static QString versionText();
};

} // namespace ui
