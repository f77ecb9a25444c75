#include "playgroundpage.h"

// What the Playground's transcript says before there is anything in it: whom Send talks to,
// or, when no target can answer (nothing loaded locally, no platform model that answers),
// what to do to get one, with buttons to the pages that do it. Send stays off until then; the
// text typed meanwhile stays in the box.

#include <ui/icons.h>

#include <models/chatsession.h>
#include <models/chattargets.h>

#include <client/apiclient.h>
#include <client/trainingjobdraft.h>

#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

namespace {

const QString kLocalModelsPage = QStringLiteral("local-models");
const QString kModelsPage = QStringLiteral("models");

} // namespace

QWidget *PlaygroundPage::makeNoTargetPanel(QWidget *parent)
{
    auto *panel = new QFrame(parent);
    panel->setObjectName(QStringLiteral("noTarget"));
    panel->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(panel);
    m_noTargetText = new QLabel(panel);
    m_noTargetText->setObjectName(QStringLiteral("noTargetText"));
    m_noTargetText->setWordWrap(true);
    m_noTargetText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_noTargetText);
    auto *buttons = new QHBoxLayout;
    auto *local = new QPushButton(icons::themed(icons::nameForPage(kLocalModelsPage)),
                                  tr("Local models"), panel);
    local->setToolTip(tr("Opens the Local models page: add a model folder and load a model"));
    m_goUpload =
        new QPushButton(icons::forAction(icons::Action::Upload), tr("Upload a model…"), panel);
    m_goUpload->setToolTip(tr("Opens the Models page and starts an upload"));
    buttons->addWidget(local);
    buttons->addWidget(m_goUpload);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(local, &QPushButton::clicked, this,
            [this] { Q_EMIT navigateRequested(kLocalModelsPage, QString()); });
    connect(m_goUpload, &QPushButton::clicked, this,
            [this] { Q_EMIT newItemRequested(kModelsPage); });
    m_noTarget = panel;
    panel->hide();
    return panel;
}

QString PlaygroundPage::noTargetReason() const
{
    // A provider that answers every target (the GUI bench's simulated one) needs none.
    if (!m_target->currentData().toString().isEmpty() || m_session->hasProviderOverride())
        return {};
    if (m_targets->isRefreshing())
        return tr("No target yet: the platform's models are still being listed.");
    return tr("No model to talk to yet: load one on the Local models page, or upload one on the "
              "Models page.");
}

void PlaygroundPage::updateEmptyHint()
{
    const bool none = !noTargetReason().isEmpty();
    const bool listing = none && m_targets->isRefreshing();
    const bool noMessages = m_session->messages().isEmpty();
    if (!none && m_problem->isVisible() && m_problemIsNoTarget)
        m_problem->hide(); // what Ctrl+Return said before a target came
    m_empty->setVisible(noMessages && (!none || listing));
    m_empty->setText(listing ? tr("Listing the models you can talk to…")
                             : tr("Write below to talk to %1. Replies stream here with their "
                                  "time to first token, tokens per second and where they ran.")
                                   .arg(m_target->currentText()));
    m_noTarget->setVisible(none && !listing);
    if (!none || listing)
        return;
    m_goUpload->setVisible(platformKind() != PlatformKind::None);
    switch (platformKind()) {
    case PlatformKind::None:
        m_noTargetText->setText(tr("No model to talk to yet. Add a model folder in Local models "
                                   "and load a model to run it on this computer."));
        break;
    case PlatformKind::LocalSandbox:
        m_noTargetText->setText(
            tr("No model to talk to yet. Add a model folder in Local models and load a model to "
               "run it on this computer, or upload a model with its files (Models → Upload) to "
               "serve it from the Local sandbox."));
        break;
    case PlatformKind::Fireworks:
        m_noTargetText->setText(
            tr("No model to talk to yet. Add a model folder in Local models and load a model to "
               "run it on this computer, or upload a model (Models → Upload) and deploy it."));
        break;
    }
}

PlaygroundPage::PlatformKind PlaygroundPage::platformKind() const
{
    const client::ApiClient *platform = m_session->platform();
    if (!platform || platform->baseUrl().isEmpty())
        return PlatformKind::None;
    return client::isLoopbackPlatform(platform->baseUrl()) ? PlatformKind::LocalSandbox
                                                           : PlatformKind::Fireworks;
}

QString PlaygroundPage::sideBySideNeedsTargetsText() const
{
    // Where a second target comes from on this profile, as the empty state says for the first.
    switch (platformKind()) {
    case PlatformKind::None:
        break;
    case PlatformKind::LocalSandbox:
        return tr("Side by side needs two targets: load another model on the Local models page, "
                  "or upload a model with its files (Models → Upload) to serve it from the Local "
                  "sandbox.");
    case PlatformKind::Fireworks:
        return tr("Side by side needs two targets: load another model on the Local models page, "
                  "or deploy a model of this profile (Deployments).");
    }
    return tr("Side by side needs two targets: load another model on the Local models page.");
}

void PlaygroundPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    if (!noTargetReason().isEmpty() && !m_targets->isRefreshing())
        m_targets->refreshPlatform();
}

} // namespace ui
