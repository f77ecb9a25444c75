#pragma once

#include <client/accounts.h>

#include <QDialog>
#include <QHash>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace client {
class ApiClient;
}

namespace ui {

//! New secret (key name, ID, value) or Edit of one (key name and a new value; the old value
//! is never shown, the server does not return it). The value field is a password field and
//! is cleared as soon as the server accepted it.
class SecretDialog : public QDialog
{
    Q_OBJECT
public:
    //! `existing` empty: create. `api` not owned.
    SecretDialog(client::ApiClient *api, std::optional<client::Secret> existing,
                 QWidget *parent = nullptr);

    //! The account's other secrets: a key name one of them has is refused (evaluators would
    //! get two values under one environment variable).
    void setOtherSecrets(const QList<client::Secret> &secrets);

Q_SIGNALS:
    void saved(const client::Secret &secret);

private:
    //! Fills the ID from the key name (MY_SECRET -> my-secret) unless the user typed one.
    void followKeyName();
    void validate();
    void save();
    QString firectlCommand() const;
    QString curlCommand() const;

    client::ApiClient *m_api;
    std::optional<client::Secret> m_existing;
    QLineEdit *m_id;
    QLineEdit *m_keyName;
    QLineEdit *m_value;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
    QString m_derivedId;                     // the ID followKeyName() last filled in
    QHash<QString, QString> m_takenKeyNames; // key name -> the ID of the secret that has it
    bool m_running = false;
};

} // namespace ui
