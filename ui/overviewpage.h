#pragma once

#include <ui/page.h>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace models {
class AccountSnapshot;
}

namespace ui {

//! The first dashboard: every collection of the account as plain text, with Refresh (F5)
//! and the errors of the last refresh shown above the list.
class OverviewPage : public Page
{
    Q_OBJECT
public:
    explicit OverviewPage(models::AccountSnapshot *snapshot,
                          QWidget *parent = nullptr); // not owned
    QString title() const override { return tr("Overview"); }
    QString pageId() const override { return QStringLiteral("overview"); }
    void reload() override;
    bool isLoaded() const override;

private:
    void render();
    models::AccountSnapshot *m_snapshot;
    QLabel *m_status;
    QLabel *m_errors;
    QPlainTextEdit *m_text;
    QPushButton *m_refresh;
    bool m_loadedOnce = false;
};

} // namespace ui
