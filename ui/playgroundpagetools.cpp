#include "playgroundpage.h"

// The Playground's exports, copied requests, side-by-side and replay (the page's layout is in
// playgroundpage.cpp, its list of conversations in playgroundconversations.cpp).

#include <ui/sidebysideview.h>

#include <models/chatreplay.h>
#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationexport.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/localserver.h>
#include <models/sidebyside.h>
#include <ui/chatparamsform.h>

#include <client/curlcommand.h>
#include <client/inference.h>

#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>

namespace ui {

void PlaygroundPage::setLocalServer(models::LocalServer *server)
{
    m_server = server;
    if (server)
        connect(server, &models::LocalServer::runningChanged, this, &PlaygroundPage::updateActions);
    connect(m_engine, &models::LocalEngine::loadedModelsChanged, this,
            &PlaygroundPage::updateActions, Qt::UniqueConnection);
    updateActions();
}

QString PlaygroundPage::copyUnavailableReason() const
{
    const models::ChatTarget &target = m_session->target();
    switch (target.kind) {
    case models::ChatTarget::Kind::Platform:
        return m_session->platform() ? QString()
                                     : tr("Copy as curl or Python: no platform profile is open.");
    case models::ChatTarget::Kind::Local:
        if (!m_server || !m_server->isRunning())
            return tr("Copy as curl or Python: a local model is reached over HTTP through the "
                      "local server; turn on Serve on the Local models page.");
        if (m_server->modelIdFor(target.localHandle).isEmpty())
            return tr("Copy as curl or Python: the local server does not serve this model.");
        return {};
    case models::ChatTarget::Kind::None:
        break;
    }
    return tr("Copy as curl or Python: pick a target.");
}

QString PlaygroundPage::copyText(bool python) const
{
    const QString next = m_input->toPlainText().trimmed();
    // The switches as they stand, as Send would take them.
    if (const auto options = m_params->options())
        m_session->setOptions(*options);
    if (m_session->target().kind == models::ChatTarget::Kind::Local) {
        if (!m_server)
            return {};
        const auto request = m_session->localServerRequest(
            next, m_server->url(), m_server->modelIdFor(m_session->target().localHandle),
            m_params->params());
        if (!request)
            return {};
        return python ? m_server->pythonCommand(*request) : m_server->curlCommand(*request);
    }
    const auto request = m_session->platformRequest(next);
    if (!request)
        return {};
    return python ? client::chatPythonCommand(request->url, request->body)
                  : client::curlCommand(*request);
}

bool PlaygroundPage::exportConversation(const QString &path, bool json, QString *error)
{
    const models::ExportedConversation c = m_session->exported();
    const QByteArray data =
        json ? models::conversationJson({c}) : models::conversationMarkdown({c}).toUtf8();
    return models::writeExportFile(path, data, error);
}

void PlaygroundPage::exportWithDialog(bool json)
{
    const auto info = m_store->conversation(m_session->conversationId());
    const QString base = info ? info->title.left(40).simplified() : QStringLiteral("conversation");
    const QString path = QFileDialog::getSaveFileName(
        this, json ? tr("Export conversation as JSON") : tr("Export conversation as Markdown"),
        base + (json ? QStringLiteral(".json") : QStringLiteral(".md")),
        json ? tr("JSON (*.json)") : tr("Markdown (*.md)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportConversation(path, json, &error))
        showProblem(tr("Export failed, nothing was written: %1").arg(error));
}

bool PlaygroundPage::showSideBySide(const QStringList &targetKeys)
{
    QList<models::ChatTarget> picked;
    for (const QString &key : targetKeys)
        if (const auto t = m_targets->find(key);
            t && picked.size() < models::SideBySide::kMaxColumns)
            picked << *t;
    // Filled up: the conversation's target first, then the others in list order.
    QList<models::ChatTarget> candidates;
    if (m_session->target().isValid())
        candidates << m_session->target();
    candidates << m_targets->targets();
    for (const models::ChatTarget &t : std::as_const(candidates))
        if (picked.size() < models::SideBySide::kMinColumns && !picked.contains(t))
            picked << t;
    if (picked.size() < models::SideBySide::kMinColumns)
        return false;
    saveSettings();
    m_sideBySide->start(m_session->conversationId(), picked);
    m_list->refresh();
    m_stack->setCurrentWidget(m_sideView);
    m_sideView->input()->setPlainText(m_input->toPlainText());
    m_sideView->input()->setFocus();
    return true;
}

bool PlaygroundPage::reopenSideBySide(qint64 sideBySide)
{
    if (m_sideBySide->sideBySideId() != sideBySide &&
        !m_sideBySide->reopen(sideBySide,
                              [this](const QString &key) { return m_targets->resolve(key); }))
        return false;
    m_stack->setCurrentWidget(m_sideView);
    return true;
}

void PlaygroundPage::showSingleChat()
{
    m_sideBySide->clear();
    m_stack->setCurrentIndex(0);
    m_list->refresh();
}

void PlaygroundPage::openPrompt(const QString &title, const QList<models::ChatTurn> &prompt)
{
    openReplay(models::ReplayRequest{title, prompt, {}, {}});
}

void PlaygroundPage::openReplay(const models::ReplayRequest &request)
{
    // Everything before the last user turn is history; that turn waits in the message box; a
    // dataset row's own answer (or a rollout's) after it is kept beside the conversation, not
    // sent.
    const models::ReplayedPrompt replay = models::splitReplayedPrompt(request.turns);
    showSingleChat();
    const qint64 id = m_session->createConversationWith(
        request.title, replay.history, request.sampling.appliedTo(m_params->params()));
    if (!id) {
        showProblem(tr("The conversation could not be created: %1").arg(m_store->lastError()));
        return;
    }
    models::ConversationOptions options; // the switches as they stand, as for New
    m_params->saveOptionsTo(&options);
    options.referenceAnswer = replay.referenceAnswer;
    options.referenceLabel = request.referenceLabel;
    m_store->updateOptions(id, options);
    m_list->refresh();
    openConversation(id);
    m_input->setPlainText(replay.nextUserText);
    m_input->setFocus(); // pick any target above and Send: what does it answer now?
}

void PlaygroundPage::sendSideBySide(const QString &text)
{
    // The platform lists first, so a deployment can be one of the columns.
    if (m_targets->isRefreshing()) {
        auto *context = new QObject(this);
        connect(m_targets, &models::ChatTargets::changed, context, [this, context, text] {
            if (m_targets->isRefreshing())
                return;
            delete context;
            sendSideBySide(text);
        });
        return;
    }
    // The first local model, then a deployment (or deployed LoRA), else any other target.
    QStringList keys;
    const QList<models::ChatTarget> all = m_targets->targets();
    for (const models::ChatTarget &t : all)
        if (t.kind == models::ChatTarget::Kind::Local && keys.isEmpty())
            keys << t.key();
    for (const models::ChatTarget &t : all)
        if (!client::inferenceDeployment(t.model).isEmpty() && keys.size() < 2)
            keys << t.key();
    m_session->setConversation(0); // the columns start empty
    if (!showSideBySide(keys)) {
        Q_EMIT sideBySideFinished(false);
        return;
    }
    auto *context = new QObject(this);
    connect(m_sideBySide, &models::SideBySide::replyFinished, context, [this, context] {
        if (m_sideBySide->isStreaming())
            return;
        delete context;
        Q_EMIT sideBySideFinished(true);
    });
    m_sideView->input()->setPlainText(text);
    m_sideView->send();
    if (!m_sideBySide->isStreaming()) { // no column could start
        delete context;
        Q_EMIT sideBySideFinished(false);
    }
}

void PlaygroundPage::setUpLoraButton()
{
    m_lora->setObjectName(QStringLiteral("lora"));
    m_lora->setText(tr("LoRA"));
    m_lora->setToolTip(tr("Attach, swap or detach a LoRA adapter on the local model without "
                          "reloading it"));
    m_lora->setPopupMode(QToolButton::InstantPopup);
    // The style draws the menu's arrow over the text's end without counting it in the size.
    m_lora->setMinimumWidth(
        m_lora->sizeHint().width() +
        m_lora->style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, m_lora) + 4);
    auto *menu = new QMenu(m_lora);
    QAction *attach = menu->addAction(tr("Attach or swap a LoRA adapter folder…"));
    attach->setObjectName(QStringLiteral("attachLora"));
    QAction *detach = menu->addAction(tr("Detach the LoRA adapter"));
    detach->setObjectName(QStringLiteral("detachLora"));
    m_lora->setMenu(menu);
    connect(menu, &QMenu::aboutToShow, this, [this, detach] {
        const auto m = m_engine->loadedModels();
        bool hasAdapter = false;
        for (const enginehost::LoadedModel &l : m)
            hasAdapter = hasAdapter ||
                         (l.handle == m_session->target().localHandle && !l.adapterDir.isEmpty());
        detach->setEnabled(hasAdapter);
    });
    connect(attach, &QAction::triggered, this, &PlaygroundPage::chooseLora);
    connect(detach, &QAction::triggered, this, [this] {
        if (m_session->setLocalAdapter(m_session->target().localHandle, QString())) {
            m_lora->setProperty("busy", true);
            updateActions();
        }
    });
    connect(m_session, &models::ChatSession::localAdapterChanged, this,
            [this](int, const QString &error, enginehost::ErrorKind kind) {
                m_lora->setProperty("busy", false);
                const bool restored = std::exchange(m_restoringLora, false);
                if (!error.isEmpty()) { // the engine's words and what may help (remedyFor)
                    showProblem(models::LocalEngine::adapterFailureText(error, kind));
                } else {
                    m_problem->hide();
                    if (restored)
                        loraRestored(); // before recordLora: the notice names the old one
                    else
                        m_loraNotice->hide(); // the user chose one: nothing to explain
                    recordLora();
                }
                updateTargets(); // the target's label names the adapter
            });
}

void PlaygroundPage::chooseLora()
{
    const int handle = m_session->target().localHandle;
    if (!handle)
        return;
    auto *dialog = new QFileDialog(this, tr("LoRA adapter folder"));
    dialog->setObjectName(QStringLiteral("loraFolder"));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, handle](const QString &dir) {
        if (m_session->setLocalAdapter(handle, dir)) {
            m_lora->setProperty("busy", true);
            updateActions();
        }
    });
    dialog->open();
}

} // namespace ui
