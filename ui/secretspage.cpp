#include "secretspage.h"

#include <ui/icons.h>
#include <ui/secretdialog.h>

#include <models/secretlistmodel.h>

#include <client/apiclient.h>
#include <client/filters.h>
#include <client/states.h>

#include <QAbstractButton>
#include <QLineEdit>
#include <QMessageBox>

namespace ui {

SecretsPage::SecretsPage(client::ApiClient *api, QWidget *parent)
    : SecretsPage(api, new models::SecretListModel(api), parent)
{}

SecretsPage::SecretsPage(client::ApiClient *api, models::SecretListModel *model, QWidget *parent)
    : ResourcePage(model, tr("secrets"), parent), m_api(api), m_model(model)
{
    m_model->setParent(this);
    QAction *create =
        addPageAction(tr("&New secret…"), QKeySequence(), false, [this] { newItem(); });
    icons::setActionIcon(create, icons::Action::New);
    icons::setActionIcon(
        addPageAction(tr("&Edit…"), QKeySequence(Qt::Key_F2), true, [this] { editSelected(); }),
        icons::Action::Edit);
    icons::setActionIcon(
        addPageAction(tr("&Delete…"), QKeySequence(), true, [this] { deleteSelected(); }),
        icons::Action::Delete);
    setEmptyState(tr("No secrets yet. Secrets hold values such as third-party API keys that "
                     "jobs and evaluators read without seeing them in logs."),
                  create);
    // Secrets have no state to filter on (the base class's example), and the platform accepts
    // a filter on secrets but ignores it: offering one would list every secret as a match.
    if (auto *filter = findChild<QLineEdit *>(QStringLiteral("filter")))
        filter->setPlaceholderText(tr("Filter by ID or key name"));
    setServerFilters(client::honoursServerFilter(client::FilteredList::Secrets));
}

void SecretsPage::newItem()
{
    auto *dialog = new SecretDialog(m_api, std::nullopt, this);
    dialog->setOtherSecrets({m_model->items().begin(), m_model->items().end()});
    connect(dialog, &SecretDialog::saved, this, [this](const client::Secret &secret) {
        m_model->upsert(secret);
        showResource(secret.name);
        showActionStatus(tr("Created the secret %1.").arg(client::resourceId(secret.name)));
    });
    dialog->open();
}

void SecretsPage::editSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new SecretDialog(m_api, m_model->item(row), this);
    dialog->setOtherSecrets({m_model->items().begin(), m_model->items().end()});
    connect(dialog, &SecretDialog::saved, this, [this](const client::Secret &secret) {
        m_model->upsert(secret);
        showResource(secret.name);
        showActionStatus(tr("Saved the secret %1.").arg(client::resourceId(secret.name)));
    });
    dialog->open();
}

void SecretsPage::deleteSelected()
{
    const QString name = selectedName();
    const int row = selectedSourceRow();
    if (name.isEmpty() || row < 0)
        return;
    const QString id = client::resourceId(name);
    // Named by what evaluators read too: that is the name people know a secret by.
    const QString keyName = m_model->item(row).keyName;
    const QString shown = keyName.isEmpty() ? id : tr("%1 (%2)").arg(keyName, id);
    confirmThenRun({tr("Delete secret"), tr("Delete the secret %1?").arg(shown),
                    tr("Evaluators and jobs that read %1 will fail. This cannot be undone.")
                        .arg(keyName.isEmpty() ? tr("it") : keyName),
                    tr("&Delete")},
                   [this, name, id] {
                       followCall<client::Empty>(
                           m_api->secrets().remove(id), tr("Deleting the secret %1").arg(id),
                           [this, name, id](const client::Empty &) {
                               m_model->removeByName(name);
                               showActionStatus(tr("Deleted the secret %1.").arg(id));
                           });
                   });
}

} // namespace ui
