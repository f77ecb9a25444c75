#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace widgets {

//! A dismissable banner above a list: what failed, in selectable text, with Retry.
class ErrorBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);
    //! Shows the banner; `details` (raw server answer, request id) goes to the tooltip.
    void showError(const QString &message, const QString &details = {});
    void setRetryVisible(bool visible);
    QString message() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel *m_text;
    QPushButton *m_retry;
};

} // namespace widgets
