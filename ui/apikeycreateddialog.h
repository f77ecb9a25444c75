#pragma once

#include <client/accounts.h>

#include <QDialog>

class QLabel;
class QLineEdit;

namespace ui {

//! Shows a newly created API key once, with Copy and a warning that it cannot be shown
//! again. The key lives only in this dialog, which is deleted when closed. Closing it (Close,
//! Escape, the window's X) before the key was copied asks first.
class ApiKeyCreatedDialog : public QDialog
{
    Q_OBJECT
public:
    ApiKeyCreatedDialog(const client::ApiKey &key, QWidget *parent = nullptr);
    QString key() const;
    void reject() override;

private:
    QLineEdit *m_key;
    QLabel *m_copied;
};

} // namespace ui
