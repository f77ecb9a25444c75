#pragma once

#include <models/profilestore.h>

#include <client/accounts.h>
#include <client/apierror.h>

#include <QDialog>

#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace models {
class ProfileManager;
}

namespace ui {

//! Adds or edits a Fireworks profile: name, account ID, API key (hidden unless "Show" is
//! ticked), base URL, a Test connection that fetches the account with these values (or, with
//! no account ID yet, finds the key's account and fills it in), and a
//! line saying where the key will be kept (the keychain, or this session only). On edit an
//! empty key field keeps the stored key, which is never read back into the dialog.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    //! `existing` empty: a new profile. `manager` not owned.
    ProfileDialog(models::ProfileManager *manager, std::optional<models::Profile> existing,
                  QWidget *parent = nullptr);

    //! Name of the saved profile (valid after saved()).
    QString profileName() const;

    //! Refused while the key is being saved: the profile is saved already, and closing then
    //! left it in the list without switching to it.
    void reject() override;

Q_SIGNALS:
    //! The profile and its key were saved under `name` (the dialog closes right after).
    void saved(const QString &name, const QString &previousName);

private:
    void validate();
    void updateStorage();
    void testConnection();
    //! The test without an account ID: the key's only account fills the field.
    void findAccount(int generation, const QUrl &url, const QString &key);
    //! After a 403/404 for the typed account: names the accounts the key is for.
    void suggestAccounts(int generation, const QUrl &url, const QString &key);
    void showTestResult(const QString &text, const QString &details = {});
    static QString accountText(const client::Account &account);
    //! `account`: the account ID tested, empty when the key's accounts were listed.
    QString testFailureText(const client::ApiError &error, const QString &account) const;
    void save();
    void setBusy(bool busy);
    void growToFit();
    QUrl baseUrl() const;

    models::ProfileManager *m_manager;
    std::optional<models::Profile> m_existing;
    QLineEdit *m_name;
    QLineEdit *m_account;
    QLineEdit *m_key;
    QCheckBox *m_showKey;
    QLineEdit *m_baseUrl;
    QPushButton *m_test;
    QLabel *m_testResult;
    QLabel *m_storage;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    int m_testGeneration = 0;
    bool m_busy = false;
};

} // namespace ui
