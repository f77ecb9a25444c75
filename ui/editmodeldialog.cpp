#include "editmodeldialog.h"

#include <ui/commandequivalents.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/resourceidrules.h>
#include <client/models.h>
#include <client/states.h>
#include <widgets/errorbanner.h>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

EditModelDialog::EditModelDialog(client::ApiClient *api, client::Model model, QWidget *parent)
    : QDialog(parent), m_api(api), m_model(std::move(model))
{
    setObjectName(QStringLiteral("editModelDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Edit %1").arg(client::resourceId(m_model.name)));
    setMinimumWidth(480);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_displayName = new QLineEdit(m_model.displayName, this);
    m_displayName->setObjectName(QStringLiteral("displayNameEdit"));
    m_displayName->setMaxLength(client::kMaxDisplayNameLength);
    form->addRow(tr("&Display name:"), m_displayName);
    m_description = new QPlainTextEdit(m_model.description, this);
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setTabChangesFocus(true);
    m_description->setFixedHeight(m_description->fontMetrics().height() * 5);
    form->addRow(tr("D&escription:"), m_description);
    layout->addLayout(form);
    m_error = makeErrorBanner(this);
    layout->addWidget(m_error);
    layout->addWidget(new CommandEquivalents(
        [this] {
            const client::Model after = edited();
            return client::firectlUpdateModelCommand(m_model.name, after,
                                                     client::modelUpdateMask(m_model, after));
        },
        [this] {
            const client::Model after = edited();
            return client::curlCommand(m_api->models().updateRequest(
                m_model.name, after, client::modelUpdateMask(m_model, after)));
        },
        this));
    m_buttons = makeOkCancelButtons(this, tr("&Save"), icons::Action::Save);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EditModelDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EditModelDialog::reject);
    layout->addWidget(m_buttons);
}

client::Model EditModelDialog::edited() const
{
    client::Model model;
    model.displayName = m_displayName->text().trimmed();
    model.description = m_description->toPlainText().trimmed();
    return model;
}

void EditModelDialog::save()
{
    if (m_call)
        return;
    const client::Model changed = edited();
    const QStringList mask = client::modelUpdateMask(m_model, changed);
    if (mask.isEmpty()) {
        accept();
        return;
    }
    m_error->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    auto *call = m_api->models().update(m_model.name, changed, mask);
    m_call = call;
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        if (!call->result().ok()) {
            const client::ApiError &e = call->result().error();
            m_error->showError(errorText(tr("Saving the model"), e), errorDetails(e));
            return;
        }
        Q_EMIT modelUpdated(call->result().value());
        accept();
    });
}

} // namespace ui
