#pragma once

#include <client/accounts.h>

#include <QDialog>

class QCheckBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace client {
class ApiClient;
}

namespace ui {

class CommandEquivalents;

//! New API key: a display name and an optional expiry; creates the key for `userId` and
//! emits created() with the answer, whose `key` is the only copy of the plaintext.
class ApiKeyDialog : public QDialog
{
    Q_OBJECT
public:
    ApiKeyDialog(client::ApiClient *api, QString userId, QWidget *parent = nullptr); // not owned
    //! The user as the page's User box names them ("Ada <ada@example.com>"); the dialog says
    //! whose key it creates in those words, with the ID.
    void setUserLabel(const QString &label);
    //! The user is a service account: firectl creates its keys with --service-account (without
    //! it, firectl creates the key for the user it is signed in as).
    void setServiceAccount(bool serviceAccount);
    QString firectlCommand() const;
    QString curlCommand() const;

Q_SIGNALS:
    void created(const client::ApiKey &key);

private:
    void validate();
    void create();
    QDateTime expireTime() const;

    client::ApiClient *m_api;
    QString m_userId;
    CommandEquivalents *m_commands;
    QLineEdit *m_name;
    QCheckBox *m_expires;
    QDateTimeEdit *m_expireTime;
    QLabel *m_user;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
    bool m_running = false;
    bool m_serviceAccount = false;
};

} // namespace ui
