#include "profiledialog.h"

#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/trainingjobdraft.h>
#include <models/credentialstore.h>
#include <models/profilemanager.h>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

ProfileDialog::ProfileDialog(models::ProfileManager *manager,
                             std::optional<models::Profile> existing, QWidget *parent)
    : QDialog(parent), m_manager(manager), m_existing(std::move(existing))
{
    setObjectName(QStringLiteral("profileDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_existing ? tr("Edit profile") : tr("Add Fireworks profile"));
    setMinimumWidth(520);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_name->setPlaceholderText(tr("e.g. Production"));
    m_account = new QLineEdit(this);
    m_account->setObjectName(QStringLiteral("accountId"));
    m_account->setPlaceholderText(tr("empty: Test connection finds it from the key"));
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("apiKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(m_existing ? tr("unchanged (type a new key to replace it)")
                                         : tr("fw_…"));
    m_showKey = new QCheckBox(tr("S&how"), this);
    m_showKey->setObjectName(QStringLiteral("showApiKey"));
    connect(m_showKey, &QCheckBox::toggled, this,
            [this](bool on) { m_key->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_showKey);
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("baseUrl"));
    m_baseUrl->setPlaceholderText(models::Profile::defaultBaseUrl().toString());

    m_storage = new QLabel(this);
    m_storage->setObjectName(QStringLiteral("keyStorage"));
    m_storage->setWordWrap(true);

    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("testConnection"));
    m_test->setAutoDefault(false);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("profileError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_error->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Account ID:"), m_account);
    auto *keyLabel = new QLabel(tr("API &key:"), this);
    keyLabel->setBuddy(m_key);
    form->addRow(keyLabel, keyRow);
    form->addRow(tr("&Base URL:"), m_baseUrl);
    form->addRow(QString(), m_storage);
    form->addRow(QString(), testRow);

    m_buttons = makeOkCancelButtons(this, tr("&Save"), icons::Action::Save);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);

    if (m_existing) {
        m_name->setText(m_existing->name);
        m_account->setText(m_existing->accountId);
        if (m_existing->baseUrl != models::Profile::defaultBaseUrl())
            m_baseUrl->setText(m_existing->baseUrl.toString());
    }
    for (QLineEdit *e : {m_name, m_account, m_key, m_baseUrl})
        connect(e, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    connect(m_baseUrl, &QLineEdit::textChanged, this, &ProfileDialog::updateStorage);
    // A verdict holds for the values it tested: once one changes it is dropped (and a test
    // still running is no longer shown), so "Success" never stands beside another key. The
    // account ID a test fills in is the test's own doing and keeps its verdict.
    for (QLineEdit *e : {m_account, m_key, m_baseUrl})
        connect(e, &QLineEdit::textEdited, this, [this] {
            ++m_testGeneration;
            m_testResult->clear();
            m_testResult->setToolTip(QString());
        });
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(m_manager->credentials(), &models::CredentialStore::backendChanged, this,
            &ProfileDialog::updateStorage);
    updateStorage();
    validate();
}

QString ProfileDialog::profileName() const
{
    return m_name->text().trimmed();
}

QUrl ProfileDialog::baseUrl() const
{
    const QString text = m_baseUrl->text().trimmed();
    return text.isEmpty() ? models::Profile::defaultBaseUrl() : QUrl(text);
}

void ProfileDialog::validate()
{
    QString problem;
    const QUrl url = baseUrl();
    // The address before the account: the account is looked up there, and a wrong address
    // made the test fail while the message asked for the account.
    if (profileName().isEmpty())
        problem = tr("Give the profile a name.");
    else if (!url.isValid() ||
             (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
             url.host().isEmpty())
        problem = tr("The base URL must be an http(s) address such as %1.")
                      .arg(models::Profile::defaultBaseUrl().toString());
    else if (const QUrl root = client::platformRootOf(url); root != url)
        // The docs give the OpenAI-compatible address with /inference/v1: pasted here, every
        // request went to /inference/v1/v1/… and the test said only "does not exist (404)".
        problem = tr("Leave %1 off the base URL: it is the server's address, and Firedeck adds "
                     "the API's paths itself. Use %2.")
                      .arg(url.path().mid(root.path().size()), root.toString());
    else if (const QUrl local = m_manager->localPlatformUrl();
             !local.isEmpty() && url.host() == local.host() && url.port() == local.port())
        // Settings shows its address, but switching to this profile stops that sandbox (and
        // it takes another port at the next start): the profile could never connect.
        problem = tr("%1 is the Local profile's own sandbox: it stops when another profile is "
                     "used. Use the Local profile, or run firedeck-sandbox on its own and give "
                     "its address.")
                      .arg(url.toString());
    else if (m_account->text().trimmed().isEmpty())
        problem = tr("Enter the account ID, or press Test connection to look it up from the "
                     "API key.");
    else if (!client::isSingleSegment(m_account->text().trimmed()))
        problem = tr("The account ID is a single name, without accounts/ or slashes.");
    else if (m_account->text().trimmed() == client::catalogAccount())
        // Every model name in the docs reads accounts/fireworks/models/…: a new user takes that
        // for their own account, and every page then failed with 403.
        problem = tr("\"%1\" is the account of Fireworks' public models "
                     "(%2), not yours: empty the account ID and press Test "
                     "connection to find the account of your key.")
                      .arg(client::catalogAccount(), client::catalogModelName(QStringLiteral("…")));
    else if (!m_existing && m_key->text().trimmed().isEmpty())
        problem = tr("Enter the API key.");
    const bool errorShown = !problem.isEmpty() && !m_name->text().isEmpty();
    // A longer problem in place of a shorter one wraps to more lines: grown for it too.
    if (errorShown != m_error->isVisibleTo(this) || problem != m_error->text()) {
        m_error->setText(problem);
        m_error->setVisible(errorShown);
        growToFit();
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && !m_busy);
    // An empty account ID is looked up from the key by the test.
    m_test->setEnabled(!m_busy && url.isValid() &&
                       (m_existing || !m_key->text().trimmed().isEmpty()));
}

void ProfileDialog::updateStorage()
{
    const models::CredentialStore *c = m_manager->credentials();
    switch (c->backend()) {
    case models::CredentialStore::Backend::Keychain:
        m_storage->setText(tr("The key will be stored in the system keychain."));
        break;
    case models::CredentialStore::Backend::SessionOnly:
        m_storage->setText(
            tr("The key will be kept for this session only: no keychain available (%1). You "
               "will have to enter it again after a restart.")
                .arg(c->unavailableReason()));
        break;
    case models::CredentialStore::Backend::Unknown:
        m_storage->setText(tr("The key will be stored in the system keychain; if none answers "
                              "when you save, it is kept for this session only."));
        break;
    }
    // Every request carries the key: over plain http to another machine anyone on the way can
    // read it. Said, not refused: a sandbox on the local network is a fair use.
    const QUrl url = baseUrl();
    if (url.scheme() == QLatin1String("http") && !url.host().isEmpty() &&
        !client::isLoopbackPlatform(url))
        m_storage->setText(m_storage->text() + QLatin1Char(' ') +
                           tr("Warning: with http:// the key travels unencrypted to %1; use "
                              "https:// unless that server is your own on a trusted network.")
                               .arg(url.host()));
    growToFit();
}

void ProfileDialog::growToFit()
{
    // Wrapped messages get longer after the dialog was laid out: never clip them; and once
    // one is gone (a problem put right), give its height back rather than leave a blank gap
    // above the buttons.
    layout()->activate();
    const int needed = layout()->totalHeightForWidth(width());
    if (needed != height())
        resize(width(), needed);
}

void ProfileDialog::testConnection()
{
    // The button stays enabled while the test runs (pressed again, it starts over): disabled,
    // it gave its focus to Cancel, and Enter after a keyboard user's Test closed the dialog
    // and dropped everything typed.
    const int generation = ++m_testGeneration;
    m_testResult->setText(tr("Connecting…"));
    m_testResult->setToolTip(QString());
    const QUrl url = baseUrl();
    const QString account = m_account->text().trimmed();
    auto run = [this, generation, url, account](const QString &key) {
        if (generation != m_testGeneration)
            return;
        if (key.isEmpty()) {
            // Edit with the field left empty and no key kept (an earlier session's only): the
            // request went without one and the 401 said to check a key nobody had pasted.
            showTestResult(tr("No API key is stored for this profile (it was kept for an "
                              "earlier session only): type it in the API key field and test "
                              "again."));
            return;
        }
        if (account.isEmpty()) {
            findAccount(generation, url, key);
            return;
        }
        auto *call = m_manager->testConnection(url, account, key);
        connect(call, &client::PendingCallBase::finished, this,
                [this, call, generation, url, key, account] {
                    if (generation != m_testGeneration)
                        return;
                    const auto &result = call->result();
                    if (result.ok()) {
                        showTestResult(
                            tr("Success: connected to %1.").arg(accountText(result.value())));
                        return;
                    }
                    showTestResult(testFailureText(result.error(), account),
                                   errorDetails(result.error()));
                    // A key that works but not for this account: say which accounts it is for
                    // (an account ID typed from memory, or another account's key).
                    using Kind = client::ApiError::Kind;
                    if (result.error().kind == Kind::Forbidden ||
                        result.error().kind == Kind::NotFound)
                        suggestAccounts(generation, url, key);
                });
    };
    const QString typed = m_key->text().trimmed();
    if (!typed.isEmpty() || !m_existing)
        run(typed);
    else
        m_manager->credentials()->read(m_existing->name, this, run);
}

QString ProfileDialog::testFailureText(const client::ApiError &error, const QString &account) const
{
    // The general advice sends people to "the profile's API key in Settings" and "the
    // profile's address": here they are the fields right above.
    using Kind = client::ApiError::Kind;
    // With its port: two servers on one machine differ only there.
    const QString server = baseUrl().adjusted(QUrl::RemoveUserInfo).authority();
    QString text;
    if (error.kind == Kind::Unauthorized)
        text = tr("The connection test failed: the API key was refused (401). Check that it was "
                  "pasted whole (Fireworks keys begin with fw_) and has not been deleted.");
    else if (error.kind == Kind::Network)
        text = tr("The connection test failed: %1 could not be reached. Check the base URL and "
                  "your network connection.")
                   .arg(server);
    // The general "It does not exist (404); it may have been deleted" spoke of a resource the
    // user never named: here it is the account typed, or the address itself.
    else if (error.kind == Kind::NotFound && account.isEmpty())
        text = tr("The connection test failed: %1 has no list of accounts (404). Check that the "
                  "base URL is the address of the Fireworks API, such as %2.")
                   .arg(server, models::Profile::defaultBaseUrl().toString());
    else if (error.kind == Kind::NotFound)
        text = tr("The connection test failed: %1 knows no account %2 (404). Check the account "
                  "ID and the base URL.")
                   .arg(server, account);
    else
        return errorText(tr("The connection test"), error);
    if (!error.message.isEmpty())
        text += QStringLiteral(" — ") + error.message;
    return text;
}

QString ProfileDialog::accountText(const client::Account &account)
{
    return account.displayName.isEmpty()
               ? account.name
               : QStringLiteral("%1 (%2)").arg(account.displayName, account.name);
}

void ProfileDialog::showTestResult(const QString &text, const QString &details)
{
    m_testResult->setText(text);
    m_testResult->setToolTip(details);
    growToFit();
    validate();
}

void ProfileDialog::findAccount(int generation, const QUrl &url, const QString &key)
{
    auto *call = m_manager->findAccounts(url, key);
    connect(call, &client::PendingCallBase::finished, this, [this, call, generation] {
        if (generation != m_testGeneration)
            return;
        const auto &result = call->result();
        if (!result.ok()) {
            showTestResult(testFailureText(result.error(), QString()),
                           errorDetails(result.error()));
            return;
        }
        const QList<client::Account> &accounts = result.value().items;
        if (accounts.isEmpty()) {
            showTestResult(tr("The key works, but it sees no account: enter the account ID."));
            return;
        }
        if (accounts.size() > 1) {
            QStringList ids;
            for (const client::Account &a : accounts)
                ids << client::resourceId(a.name);
            showTestResult(tr("The key works for several accounts (%1): enter the one this "
                              "profile is for as the account ID.")
                               .arg(ids.join(QStringLiteral(", "))));
            return;
        }
        m_account->setText(client::resourceId(accounts.first().name));
        showTestResult(tr("Success: connected to %1. The account ID was filled in from the key.")
                           .arg(accountText(accounts.first())));
    });
}

void ProfileDialog::suggestAccounts(int generation, const QUrl &url, const QString &key)
{
    auto *call = m_manager->findAccounts(url, key);
    connect(call, &client::PendingCallBase::finished, this, [this, call, generation] {
        if (generation != m_testGeneration || !call->result().ok())
            return;
        QStringList ids;
        for (const client::Account &a : call->result().value().items)
            ids << client::resourceId(a.name);
        if (ids.isEmpty() || ids.contains(m_account->text().trimmed()))
            return;
        const QString hint =
            ids.size() == 1
                ? tr("This key is for the account %1: enter that as the account ID.")
                      .arg(ids.first())
                : tr("This key is for the accounts %1: enter one of them as the account ID.")
                      .arg(ids.join(QStringLiteral(", ")));
        showTestResult(m_testResult->text() + QLatin1Char('\n') + hint, m_testResult->toolTip());
    });
}

void ProfileDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_account, m_key, m_baseUrl})
        w->setEnabled(!busy);
    // Saving the key takes a moment (the keychain may ask for its password; it gives up after
    // a few seconds): Cancel then closed the dialog with the profile saved but not switched to.
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!busy);
    validate();
}

void ProfileDialog::reject()
{
    if (m_busy)
        return; // Escape or the window's close button while the key is saved
    QDialog::reject();
}

void ProfileDialog::save()
{
    validate();
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    models::Profile p;
    p.name = profileName();
    p.kind = models::Profile::Kind::Fireworks;
    p.accountId = m_account->text().trimmed();
    p.baseUrl = baseUrl();
    const QString previous = m_existing ? m_existing->name : QString();
    QString message;
    if (!m_manager->store()->save(p, previous, &message)) {
        m_error->setText(message);
        m_error->show();
        growToFit();
        return;
    }
    const QString key = m_key->text().trimmed();
    models::CredentialStore *credentials = m_manager->credentials();
    if (key.isEmpty()) {
        credentials->rename(previous, p.name);
        Q_EMIT saved(p.name, previous);
        accept();
        return;
    }
    if (!previous.isEmpty() && previous != p.name)
        credentials->remove(previous);
    setBusy(true);
    m_storage->setText(tr("Saving the key…"));
    credentials->write(p.name, key, this, [this, p, previous](bool) {
        Q_EMIT saved(p.name, previous);
        accept();
    });
}

} // namespace ui
