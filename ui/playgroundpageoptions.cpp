#include "playgroundpage.h"

// What the Playground keeps with a conversation beyond its parameters: the request switches
// (Thinking, template variables, token probabilities), the LoRA adapter its local model had,
// and a replayed dataset row's own answer (the page's layout is in playgroundpage.cpp).

#include <ui/chatparamsform.h>

#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/localserver.h>

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

namespace {

//! The same folder however it was written (a trailing slash, a symlink, a relative path).
QString sameFolder(const QString &dir)
{
    if (dir.isEmpty())
        return {};
    const QFileInfo info(dir);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

} // namespace

void PlaygroundPage::saveOptions()
{
    if (m_loadingSettings)
        return;
    const auto info = m_store->conversation(m_session->conversationId());
    if (!info)
        return;
    models::ConversationOptions options = info->options;
    m_params->saveOptionsTo(&options);
    if (options != info->options)
        m_store->updateOptions(info->id, options);
}

QString PlaygroundPage::attachedLora() const
{
    const models::ChatTarget &target = m_session->target();
    if (target.kind != models::ChatTarget::Kind::Local)
        return {};
    for (const enginehost::LoadedModel &m : m_engine->loadedModels())
        if (m.handle == target.localHandle)
            return m.adapterDir;
    return {};
}

void PlaygroundPage::recordLora()
{
    const models::ChatTarget &target = m_session->target();
    const auto info = m_store->conversation(m_session->conversationId());
    if (!info || target.kind != models::ChatTarget::Kind::Local)
        return;
    models::ConversationOptions options = info->options;
    options.loraTarget = target.key();
    options.loraDir = attachedLora();
    if (options != info->options)
        m_store->updateOptions(info->id, options);
}

void PlaygroundPage::restoreLora()
{
    const models::ChatTarget &target = m_session->target();
    const auto info = m_store->conversation(m_session->conversationId());
    // Only on the model the adapter was recorded with: another base cannot take it.
    if (!info || target.kind != models::ChatTarget::Kind::Local ||
        info->options.loraTarget != target.key())
        return;
    if (sameFolder(info->options.loraDir) == sameFolder(attachedLora()))
        return;
    if (m_lora->property("busy").toBool() || m_session->isStreaming())
        return; // a swap is under way; the conversation's adapter waits for the next open
    // The base stays loaded; other conversations on it see the swap in the target's label.
    if (m_session->setLocalAdapter(target.localHandle, info->options.loraDir)) {
        m_lora->setProperty("busy", true);
        m_restoringLora = true; // said once it is done (loraRestored)
        m_restoringLoraFrom = attachedLora();
        updateActions();
    }
}

void PlaygroundPage::loraRestored()
{
    // The adapter belongs to the loaded model, not to this conversation: every other
    // conversation on it, the side-by-side's columns and the local server's clients get the
    // swapped adapter's answers from now on. Said plainly, with how to go back.
    const models::ChatTarget &target = m_session->target();
    const auto info = m_store->conversation(m_session->conversationId());
    if (!info)
        return;
    auto name = [](const QString &dir) { return QFileInfo(dir).fileName(); };
    const QString now = info->options.loraDir;
    QString text = now.isEmpty()
                       ? tr("This conversation had no LoRA adapter, so opening it detached %1 "
                            "from %2.")
                             .arg(name(m_restoringLoraFrom), target.label)
                   : m_restoringLoraFrom.isEmpty()
                       ? tr("Opening this conversation attached its LoRA adapter %1 to %2.")
                             .arg(name(now), target.label)
                       : tr("Opening this conversation swapped the LoRA adapter on %1 from %2 to "
                            "%3.")
                             .arg(target.label, name(m_restoringLoraFrom), name(now));
    const bool served =
        m_server && m_server->isRunning() && !m_server->modelIdFor(target.localHandle).isEmpty();
    text += QLatin1Char(' ') +
            (served ? tr("The model is shared: every conversation on it and the local server's "
                         "clients get answers with this adapter now.")
                    : tr("The model is shared: every conversation on it gets answers with this "
                         "adapter now."));
    text += QLatin1Char(' ') + tr("The LoRA button attaches another one.");
    m_loraNotice->setText(text);
    m_loraNotice->show();
}

QWidget *PlaygroundPage::makeReferenceBox(QWidget *parent)
{
    auto *box = new QWidget(parent);
    box->setObjectName(QStringLiteral("referenceBox"));
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_referenceToggle = new QToolButton(box);
    m_referenceToggle->setObjectName(QStringLiteral("referenceToggle"));
    m_referenceToggle->setText(tr("The dataset's answer"));
    m_referenceToggle->setToolTip(tr("The answer this dataset row holds, to compare with what "
                                     "the target answers now; it is not sent."));
    m_referenceToggle->setCheckable(true);
    m_referenceToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_referenceToggle->setArrowType(Qt::RightArrow);
    m_reference = new QLabel(box);
    m_reference->setObjectName(QStringLiteral("referenceAnswer"));
    m_reference->setWordWrap(true);
    m_reference->setTextFormat(Qt::PlainText);
    m_reference->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reference->setFrameShape(QFrame::StyledPanel);
    m_reference->setMargin(6);
    m_reference->hide();
    layout->addWidget(m_referenceToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_reference);
    connect(m_referenceToggle, &QToolButton::toggled, this, [this](bool on) {
        m_referenceToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_reference->setVisible(on);
    });
    box->hide();
    return box;
}

void PlaygroundPage::showReference(const QString &answer, const QString &label)
{
    m_referenceToggle->setText(label.isEmpty() ? tr("The dataset's answer") : label);
    m_referenceToggle->setToolTip(
        label.isEmpty() ? tr("The answer this dataset row holds, to compare with what the "
                             "target answers now; it is not sent.")
                        : tr("The answer given then, to compare with what the target answers "
                             "now; it is not sent."));
    m_reference->setText(answer);
    m_referenceToggle->setChecked(false);
    m_referenceToggle->parentWidget()->setVisible(!answer.isEmpty());
}

} // namespace ui
