// DeploymentDialog's model and hardware choices: the account's models and the catalog for the
// base model, the chosen model's deployment shapes, and the accelerator type, count and
// precision a shape fixes; split from deploymentdialog.cpp, which builds the dialog, validates
// and sends.

#include "deploymentdialog.h"

#include <ui/errortext.h>

#include <client/apiclient.h>
#include <client/deploymentoptions.h>
#include <client/models.h>
#include <client/resourcenames.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>

namespace ui {

void DeploymentDialog::setBaseModel(const QString &modelName)
{
    if (m_baseModel)
        m_baseModel->setEditText(modelName);
}

void DeploymentDialog::loadChoices()
{
    // The account's own models (base models and LoRAs to live-merge) and the public catalog.
    client::ListRequest request;
    request.pageSize = 200;
    const auto addModels = [this](client::PendingCall<client::Page<client::Model>> *call) {
        connect(call, &client::PendingCallBase::finished, this, [this, call] {
            if (!call->result())
                return; // the combo stays editable: a name can still be typed
            const QString typed = m_baseModel->currentText();
            for (const client::Model &model : call->result().value().items)
                if (m_baseModel->findText(model.name) < 0)
                    m_baseModel->addItem(model.name, model.name);
            m_baseModel->setEditText(typed);
        });
    };
    if (!isEdit()) { // an edit keeps its model
        addModels(m_api->models().list(request));
        addModels(m_api->models().list(request, QStringLiteral("fireworks")));
    }
    auto *shapes = m_api->deploymentShapes().list(request);
    connect(shapes, &client::PendingCallBase::finished, this, [this, shapes] {
        if (!shapes->result())
            return;
        m_allShapes = shapes->result().value().items;
        listShapes();
    });
}

void DeploymentDialog::listShapes()
{
    // A shape is made for one base model: offer only the chosen model's.
    const QString model = fullModelName(m_baseModel->currentText());
    const QString chosen = m_shape->currentData().toString();
    const QSignalBlocker block(m_shape);
    while (m_shape->count() > 1)
        m_shape->removeItem(1);
    m_shapes.clear();
    for (const client::DeploymentShape &shape : std::as_const(m_allShapes)) {
        if (model.isEmpty() || shape.baseModel != model)
            continue;
        m_shapes.append(shape);
        m_shape->addItem(
            QStringLiteral("%1 (%2 × %3, %4)")
                .arg(client::resourceId(shape.name))
                .arg(shape.acceleratorCount)
                .arg(client::acceleratorDisplayName(shape.acceleratorType), shape.precision),
            shape.name);
    }
    // The deployment's own shape stays on offer even when unlisted (the server names the
    // shape version it resolved), or the edit would clear it.
    if (isEdit() && !m_existing->deploymentShape.isEmpty() &&
        m_shape->findData(m_existing->deploymentShape) < 0)
        m_shape->insertItem(1, shapeText(m_existing->deploymentShape),
                            m_existing->deploymentShape);
    const int keep = m_shape->findData(chosen);
    m_shape->setCurrentIndex(std::max(0, keep));
    if (keep < 0 && !chosen.isEmpty())
        applyShape(); // the chosen shape belonged to another model: the hardware is free again
}

void DeploymentDialog::applyShape()
{
    // A shape fixes the hardware and precision (guides/ondemand-deployments: "sets sensible
    // defaults for most deployment options (such as hardware type)"), so those inputs show the
    // shape's values and are not sent.
    const QString shapeName = m_shape->currentData().toString();
    const bool shaped = !shapeName.isEmpty();
    m_acceleratorType->setEnabled(!shaped);
    m_acceleratorCount->setEnabled(!shaped);
    m_precision->setEnabled(!shaped);
    const auto listed = std::find_if(m_shapes.cbegin(), m_shapes.cend(),
                                     [&](const client::DeploymentShape &s) {
                                         return s.name == shapeName;
                                     });
    if (!shaped || listed == m_shapes.cend()) {
        // An edit shows what the deployment has (its own shape's hardware, when unlisted);
        // a new deployment starts from the defaults.
        if (isEdit())
            showHardware(m_existing->acceleratorType, m_existing->acceleratorCount,
                         m_existing->precision);
        else
            showHardware({}, 0, {});
        if (shaped)
            return;
        // What the shape ticked goes with it; what the user ticked stays.
        if (m_addonsFromShape)
            m_enableAddons->setChecked(false);
        m_addonsFromShape = false;
        return;
    }
    const client::DeploymentShape &shape = *listed;
    showHardware(shape.acceleratorType, shape.acceleratorCount, shape.precision);
    if (m_baseModel->currentText().trimmed().isEmpty())
        m_baseModel->setEditText(shape.baseModel);
    if (shape.enableAddons && !m_enableAddons->isChecked()) {
        m_enableAddons->setChecked(true);
        m_addonsFromShape = true;
    }
}

void DeploymentDialog::showHardware(const QString &type, int count, const QString &precision)
{
    // A value this app does not list (a newer accelerator) is shown as it is.
    const auto select = [](QComboBox *box, const QString &value, const QString &text) {
        int index = box->findData(value);
        if (index < 0) {
            box->addItem(text, value);
            index = box->count() - 1;
        }
        box->setCurrentIndex(index);
    };
    select(m_acceleratorType, type, client::acceleratorDisplayName(type));
    m_acceleratorCount->setValue(count);
    select(m_precision, precision, precision);
}

QString DeploymentDialog::shapeText(const QString &shapeName)
{
    return tr("%1 (this deployment's)")
        .arg(client::resourceId(client::deploymentShapeOf(shapeName)));
}

QString DeploymentDialog::fullModelName(const QString &text) const
{
    // A bare ID is the account's model, unless the lists hold just one model of that ID
    // elsewhere ("qwen3-0p6b" typed for Fireworks' own): it was refused as
    // accounts/<account>/models/qwen3-0p6b, not found.
    const QString typed = text.trimmed();
    if (m_baseModel && client::isSingleSegment(typed)) {
        QStringList matches;
        for (int i = 0; i < m_baseModel->count(); ++i) {
            const QString name = m_baseModel->itemData(i).toString();
            if (client::resourceId(name) == typed && !matches.contains(name))
                matches << name;
        }
        if (matches.size() == 1)
            return matches.first();
    }
    return client::modelName(m_api->accountId(), text);
}

} // namespace ui
