#include "secretspage.h"

#include <ui/secretdialog.h>

#include <models/secretlistmodel.h>

#include <client/apiclient.h>

#include <QAbstractButton>
#include <QMessageBox>

namespace ui {

SecretsPage::SecretsPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::SecretListModel(api), tr("secrets"), parent), m_api(api),
      m_model(static_cast<models::SecretListModel *>(listModel()))
{
    m_model->setParent(this);
    QAction *create =
        addPageAction(tr("&New secret…"), QKeySequence(), false, [this] { newItem(); });
    addPageAction(tr("&Edit…"), QKeySequence(), true, [this] { editSelected(); });
    addPageAction(tr("&Delete…"), QKeySequence(), true, [this] { deleteSelected(); });
    setEmptyState(tr("No secrets yet. Secrets hold values such as third-party API keys that "
                     "jobs and evaluators read without seeing them in logs."),
                  create);
}

void SecretsPage::newItem()
{
    auto *dialog = new SecretDialog(m_api, std::nullopt, this);
    connect(dialog, &SecretDialog::saved, this, [this](const client::Secret &secret) {
        m_model->upsert(secret);
        showResource(secret.name);
        showActionStatus(
            tr("Created the secret %1.").arg(secret.name.section(QLatin1Char('/'), -1)));
    });
    dialog->open();
}

void SecretsPage::editSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new SecretDialog(m_api, m_model->item(row), this);
    connect(dialog, &SecretDialog::saved, this, [this](const client::Secret &secret) {
        m_model->upsert(secret);
        showResource(secret.name);
        showActionStatus(tr("Saved the secret %1.").arg(secret.name.section(QLatin1Char('/'), -1)));
    });
    dialog->open();
}

void SecretsPage::deleteSelected()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    const QString id = name.section(QLatin1Char('/'), -1);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete secret"),
                                tr("Delete the secret %1? Jobs that read it will fail. This "
                                   "cannot be undone.")
                                    .arg(id),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDeleteSecret"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(tr("&Delete"));
    connect(box, &QMessageBox::finished, this, [this, name, id](int result) {
        if (result != QMessageBox::Yes)
            return;
        setActionBusy(true);
        auto *call = m_api->secrets().remove(id);
        connect(call, &client::PendingCallBase::finished, this, [this, call, name, id] {
            setActionBusy(false);
            if (!call->result().ok()) {
                showActionError(tr("Deleting the secret %1").arg(id), call->result().error());
                return;
            }
            m_model->removeByName(name);
            showActionStatus(tr("Deleted the secret %1.").arg(id));
        });
    });
    box->open();
}

} // namespace ui
