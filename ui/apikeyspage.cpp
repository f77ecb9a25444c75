#include "apikeyspage.h"

#include <ui/apikeycreateddialog.h>
#include <ui/apikeydialog.h>
#include <ui/errortext.h>
#include <ui/icons.h>
#include <ui/pickonlycombobox.h>

#include <models/apikeylistmodel.h>
#include <widgets/errorbanner.h>

#include <client/apiclient.h>
#include <client/states.h>

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QToolBar>

#include <algorithm>

namespace ui {

namespace {
//! The User box's item data: whether the user is a service account.
constexpr int kServiceAccountRole = Qt::UserRole + 1;

//! Where the user last picked in the User box is kept, per server and account.
QString pickedUserKey(const client::ApiClient &api)
{
    return QStringLiteral("apiKeysPage/user/%1 %2").arg(api.baseUrl().host(), api.accountId());
}
} // namespace

ApiKeysPage::ApiKeysPage(client::ApiClient *api, QWidget *parent)
    : ApiKeysPage(api, new models::ApiKeyListModel(api), parent)
{}

ApiKeysPage::ApiKeysPage(client::ApiClient *api, models::ApiKeyListModel *model, QWidget *parent)
    : ResourcePage(model, tr("API keys"), parent), m_api(api), m_model(model)
{
    m_model->setParent(this);
    // A wheel passing over the toolbar switched the user (and reloaded the keys) at each notch.
    m_users = new PickOnlyComboBox(this);
    m_users->setObjectName(QStringLiteral("userSelector"));
    m_users->setMinimumContentsLength(24);
    m_users->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_users->setToolTip(tr("Whose API keys to show"));
    auto *userLabel = new QLabel(tr("&User: "), this);
    userLabel->setBuddy(m_users);
    QAction *first = toolBar()->actions().value(0);
    toolBar()->insertWidget(first, userLabel);
    toolBar()->insertWidget(first, m_users);
    toolBar()->insertSeparator(first);

    QAction *create =
        addPageAction(tr("&New API key…"), QKeySequence(), false, [this] { newItem(); });
    icons::setActionIcon(create, icons::Action::New);
    icons::setActionIcon(
        addPageAction(tr("&Delete…"), QKeySequence(), true, [this] { deleteSelected(); }),
        icons::Action::Delete);
    setEmptyState(tr("This user has no API keys yet."), create);
    // Keys have no state to filter on (the base class's example), and the user selector leaves
    // the box too narrow for its longer text.
    if (auto *filter = findChild<QLineEdit *>(QStringLiteral("filter")))
        filter->setPlaceholderText(tr("Filter (text, or a server filter)"));

    connect(m_users, &QComboBox::activated, this, [this] {
        m_model->setUserId(m_users->currentData().toString());
        QSettings().setValue(pickedUserKey(*m_api), m_model->userId());
        ResourcePage::reload();
    });
    // A failed user list leaves no user to list keys of; show why instead of the list's error.
    connect(m_model, &models::ResourceListModel::firstPageLoaded, this, [this] {
        if (m_usersError)
            errorBanner()->showError(errorText(tr("Loading the account's users"), *m_usersError),
                                     errorDetails(*m_usersError));
    });
}

void ApiKeysPage::reload()
{
    const int generation = ++m_usersGeneration;
    auto *call = m_api->users().list();
    connect(call, &client::PendingCallBase::finished, this, [this, call, generation] {
        if (generation != m_usersGeneration)
            return;
        const auto &result = call->result();
        if (!result.ok()) {
            m_usersError = result.error();
            m_users->clear();
            loadKeys();
            return;
        }
        m_usersError.reset();
        const QString previous = m_model->userId();
        m_users->clear();
        for (const client::User &u : result.value().items) {
            const QString id = client::resourceId(u.name);
            QString label = u.displayName.isEmpty() ? id : u.displayName;
            if (!u.email.isEmpty())
                label += QStringLiteral(" <%1>").arg(u.email);
            m_users->addItem(label, id);
            m_users->setItemData(m_users->count() - 1, u.serviceAccount, kServiceAccountRole);
        }
        // The user shown before, else the one picked last time, else the first person: the
        // first in the list could be a service account (the list is by ID), whose keys are
        // seldom the ones looked for.
        int keep = m_users->findData(previous);
        if (keep < 0)
            keep = m_users->findData(QSettings().value(pickedUserKey(*m_api)).toString());
        for (int i = 0; keep < 0 && i < m_users->count(); ++i)
            if (!m_users->itemData(i, kServiceAccountRole).toBool())
                keep = i;
        m_users->setCurrentIndex(std::max(keep, 0));
        loadKeys();
    });
}

void ApiKeysPage::loadKeys()
{
    m_model->setUserId(m_users->currentData().toString());
    ResourcePage::reload();
}

void ApiKeysPage::newItem()
{
    const QString user = m_users->currentData().toString();
    if (user.isEmpty()) {
        showActionStatus(tr("Pick a user first (the account's users could not be loaded)."));
        return;
    }
    auto *dialog = new ApiKeyDialog(m_api, user, this);
    dialog->setUserLabel(m_users->currentText());
    dialog->setServiceAccount(m_users->currentData(kServiceAccountRole).toBool());
    connect(dialog, &ApiKeyDialog::created, this, [this](const client::ApiKey &key) {
        client::ApiKey listed = key;
        listed.key.clear(); // the plaintext stays in the one dialog that shows it
        m_model->upsert(listed);
        showResource(listed.keyId);
        showActionStatus(tr("Created the API key %1.").arg(shownName(listed)));
        auto *shown = new ApiKeyCreatedDialog(key, this);
        shown->open();
    });
    dialog->open();
}

QString ApiKeysPage::shownName(const client::ApiKey &key) const
{
    // A display name may be hundreds of characters: a sentence naming it stays on the screen.
    const QString name = fontMetrics().elidedText(key.displayName, Qt::ElideMiddle,
                                                  fontMetrics().averageCharWidth() * 48);
    return userFacingName(key.keyId, name);
}

void ApiKeysPage::deleteSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    const client::ApiKey &key = m_model->item(row);
    const QString keyId = key.keyId;
    const QString shown = shownName(key);
    const QString user = m_model->userId();
    // The key this profile signs in with: deleting it leaves Firedeck itself without access.
    const QString consequence =
        m_api->apiKeyStartsWith(key.prefix)
            ? tr("Firedeck uses this key (prefix %1) for the current profile: every page then "
                 "fails with 401 until you give the profile another key in Settings. Programs "
                 "that use it stop working too. This cannot be undone.")
                  .arg(key.prefix)
            : tr("Programs that use it stop working. This cannot be undone.");
    confirmThenRun(
        {tr("Delete API key"), tr("Delete the API key %1?").arg(shown), consequence, tr("&Delete")},
        [this, keyId, user, shown] {
            followCall<client::Empty>(
                m_api->apiKeys().remove(user, keyId), tr("Deleting the API key %1").arg(shown),
                [this, keyId, shown](const client::Empty &) {
                    m_model->removeByName(keyId);
                    showActionStatus(tr("Deleted the API key %1.").arg(shown));
                });
        });
}

} // namespace ui
