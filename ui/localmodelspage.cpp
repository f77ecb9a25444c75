#include "localmodelspage.h"

#include <ui/getmodeldialog.h>
#include <ui/icons.h>
#include <ui/modelfolderpicker.h>
#include <ui/serverlogdialog.h>

#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <models/localserver.h>
#include <models/memoryverdict.h>
#include <models/trainingrun.h> // groupedInteger

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

namespace {

constexpr int kMaxContext = 1 << 20;

QLabel *selectableLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return l;
}

} // namespace

LocalModelsPage::LocalModelsPage(models::LocalModelLibrary *library, models::LocalEngine *engine,
                                 QWidget *parent)
    : Page(parent), m_library(library), m_engine(engine),
      m_server(new models::LocalServer(engine->host(), this))
{
    auto *layout = new QVBoxLayout(this);

    auto *rootsBox = new QGroupBox(tr("Model folders (searched with all their subfolders)"), this);
    auto *rootsLayout = new QHBoxLayout(rootsBox);
    m_roots = new QListWidget(rootsBox);
    m_roots->setObjectName(QStringLiteral("roots"));
    m_roots->setAccessibleName(tr("Model folders"));
    m_roots->setMaximumHeight(72);
    rootsLayout->addWidget(m_roots, 1);
    auto *rootButtons = new QVBoxLayout;
    m_addRoot = new QPushButton(tr("&Add folder…"), rootsBox);
    m_removeRoot = new QPushButton(tr("Re&move folder"), rootsBox);
    m_rescan = new QPushButton(tr("&Rescan"), rootsBox);
    m_getFromPlatform = new QPushButton(tr("Get from &platform…"), rootsBox);
    m_getFromPlatform->setObjectName(QStringLiteral("getFromPlatform"));
    m_getFromPlatform->setToolTip(
        tr("Download one of this profile's custom models or fine-tuned LoRA adapters into a "
           "model folder"));
    for (QPushButton *b : {m_addRoot, m_removeRoot, m_rescan, m_getFromPlatform})
        rootButtons->addWidget(b);
    rootButtons->addStretch();
    rootsLayout->addLayout(rootButtons);
    layout->addWidget(rootsBox);

    m_empty = new QLabel(this); // its text says why the table is empty (updateActions)
    m_empty->setObjectName(QStringLiteral("modelsEmpty"));
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_library);
    m_proxy->setSortRole(models::LocalModelLibrary::SortRole); // sizes as numbers, not text
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("localModels"));
    m_table->setAccessibleName(tr("Local models"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(models::LocalModelLibrary::NameColumn, Qt::AscendingOrder);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    auto *detail = new QGroupBox(tr("Load"), this);
    auto *form = new QFormLayout(detail);
    m_selected = selectableLabel(detail);
    form->addRow(tr("Model:"), m_selected);
    auto *options = new QHBoxLayout;
    m_context = new QSpinBox(detail);
    m_context->setObjectName(QStringLiteral("contextLength"));
    m_context->setAccessibleName(tr("Context length"));
    m_context->setRange(256, kMaxContext);
    m_context->setSingleStep(1024);
    m_context->setValue(4096);
    m_context->setSuffix(tr(" tokens"));
    m_backend = new QComboBox(detail);
    m_backend->setObjectName(QStringLiteral("backend"));
    m_backend->setAccessibleName(tr("Backend"));
    m_backend->addItem(tr("Auto"), int(enginehost::BackendChoice::Auto));
    m_backend->addItem(tr("CPU"), int(enginehost::BackendChoice::Cpu));
    m_backend->addItem(tr("CUDA"), int(enginehost::BackendChoice::Cuda));
    // Alt+letter for every control here (a keyboard user tabbed through the whole page to
    // reach Load); none of the menu bar's letters (F, E, G, H).
    auto *contextLabel = new QLabel(tr("Conte&xt length:"), detail);
    contextLabel->setBuddy(m_context);
    options->addWidget(contextLabel);
    options->addWidget(m_context);
    options->addSpacing(16);
    auto *backendLabel = new QLabel(tr("&Backend:"), detail);
    backendLabel->setBuddy(m_backend);
    options->addWidget(backendLabel);
    options->addWidget(m_backend);
    options->addStretch();
    form->addRow(options);
    m_memory = selectableLabel(detail);
    m_memory->setObjectName(QStringLiteral("memoryEstimate"));
    // Room for the verdict and the breakdown under it from the start: the one-line hint before
    // a row is chosen grew to two lines on the first click, and the table above jumped.
    m_memory->setMinimumHeight(2 * m_memory->fontMetrics().lineSpacing());
    form->addRow(tr("Memory:"), m_memory);
    auto *buttons = new QHBoxLayout;
    m_load = new QPushButton(tr("L&oad"), detail);
    m_unload = new QPushButton(tr("&Unload"), detail);
    m_cancel = new QPushButton(tr("&Cancel"), detail);
    m_load->setIcon(icons::forAction(icons::Action::Load));
    m_unload->setIcon(icons::forAction(icons::Action::Unload));
    m_cancel->setIcon(icons::forAction(icons::Action::Cancel));
    m_progress = new QProgressBar(detail);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_progress->setTextVisible(true);
    m_progress->hide(); // shown while a model loads: empty, it looked like a text box
    for (QPushButton *b : {m_load, m_unload, m_cancel})
        buttons->addWidget(b);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch(); // the buttons keep their size while the bar is hidden
    form->addRow(buttons);
    m_status = selectableLabel(detail);
    m_status->setObjectName(QStringLiteral("loadStatus"));
    form->addRow(tr("Status:"), m_status);
    layout->addWidget(detail);

    auto *serverBox = new QGroupBox(tr("Local server"), this);
    auto *serverLayout = new QHBoxLayout(serverBox);
    m_serve = new QCheckBox(tr("&Serve loaded models (OpenAI-compatible API)"), serverBox);
    m_serve->setObjectName(QStringLiteral("serve"));
    m_serverStatus = selectableLabel(serverBox);
    m_serverStatus->setObjectName(QStringLiteral("serverStatus"));
    m_serverLog = new QPushButton(tr("Request &log…"), serverBox);
    m_serverLog->setObjectName(QStringLiteral("serverLog"));
    serverLayout->addWidget(m_serve);
    serverLayout->addWidget(m_serverStatus, 1);
    serverLayout->addWidget(m_serverLog);
    layout->addWidget(serverBox);

    connect(m_addRoot, &QPushButton::clicked, this, &LocalModelsPage::addFolder);
    connect(m_removeRoot, &QPushButton::clicked, this, &LocalModelsPage::removeFolder);
    connect(m_rescan, &QPushButton::clicked, m_library, &models::LocalModelLibrary::scan);
    connect(m_getFromPlatform, &QPushButton::clicked, this, &LocalModelsPage::getFromPlatform);
    connect(m_roots, &QListWidget::currentRowChanged, this, &LocalModelsPage::updateActions);
    connect(m_load, &QPushButton::clicked, this, &LocalModelsPage::load);
    // Return or a double click on a row loads it, as Load does (the keyboard went on through
    // the context length and the backend to reach Load).
    connect(m_table, &QAbstractItemView::activated, this, [this] {
        if (m_load->isEnabled())
            load();
    });
    connect(m_unload, &QPushButton::clicked, this, &LocalModelsPage::unload);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_loadId)
            m_engine->cancelLoad(m_loadId);
        setStatus(tr("Cancelling…"));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LocalModelsPage::selectionChanged);
    // A row chosen while a scan runs is the one to show after it, not the one the scan was
    // started for (a failed load's): the selection model is quiet through a model reset, so
    // this is the user's pick (or a page's showResource once the scan is over).
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (m_scanning)
            m_selectAfterScan.clear();
    });
    // The length the user asked for; a model with a shorter window only lowers what is shown, so
    // the next model with a longer one gets the asked length back (not the shorter model's).
    connect(m_context, &QSpinBox::valueChanged, this,
            [this](int tokens) { m_wantedContext = tokens; });
    connect(m_context, &QSpinBox::valueChanged, this, &LocalModelsPage::selectionChanged);
    connect(m_backend, &QComboBox::currentIndexChanged, this, &LocalModelsPage::selectionChanged);
    connect(m_library, &models::LocalModelLibrary::rootsChanged, this, [this] {
        m_roots->clear();
        m_roots->addItems(m_library->roots());
        updateActions();
    });
    connect(m_library, &models::LocalModelLibrary::scanProgress, this, [this](int folders) {
        m_foldersSearched = folders;
        updateActions();
    });
    connect(m_library, &models::LocalModelLibrary::scanningChanged, this, [this](bool scanning) {
        m_scanning = scanning;
        m_foldersSearched = 0;
        m_rescan->setText(scanning ? tr("Scanning…") : tr("&Rescan"));
        updateActions();
        if (!scanning && !m_scanned) {
            m_scanned = true;
            markDataFresh();
            Q_EMIT loaded();
        }
    });
    connect(m_library, &models::LocalModelLibrary::scanFinished, this, [this] {
        m_scanned = true;
        markDataFresh();
        // The verdict column can hold a long sentence of the engine's; it takes the room that is
        // left (the whole sentence is its tooltip and is shown below for the selected row).
        for (int c = 0; c < models::LocalModelLibrary::SupportedColumn; ++c)
            m_table->resizeColumnToContents(c);
        updateActions();
        if (!m_selectAfterScan.isEmpty() && m_library->rowForDir(m_selectAfterScan) >= 0)
            showResource(std::exchange(m_selectAfterScan, {}));
        Q_EMIT loaded();
    });
    // A rescan (each visit of the page makes one) keeps the row the user had selected.
    connect(m_library, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        if (const models::LocalModelEntry *e = m_library->entry(selectedRow());
            e && m_selectAfterScan.isEmpty())
            m_selectAfterScan = e->report.dir;
    });
    connect(m_library, &QAbstractItemModel::modelReset, this, &LocalModelsPage::selectionChanged);
    connect(m_engine, &models::LocalEngine::estimateReady, this, &LocalModelsPage::showEstimate);
    connect(m_engine, &models::LocalEngine::loadProgress, this,
            [this](quint64 id, int done, int total, const QString &stage) {
                if (id != m_loadId)
                    return;
                m_progress->setRange(0, total);
                m_progress->setValue(done);
                m_progress->setFormat(stage);
            });
    connect(m_engine, &models::LocalEngine::loadFinished, this,
            [this](quint64 id, const enginehost::LoadOutcome &outcome) {
                if (id != m_loadId)
                    return;
                m_loadId = 0;
                m_progress->setRange(0, 1);
                m_progress->setValue(outcome.ok ? 1 : 0);
                m_progress->setFormat(outcome.ok ? tr("loaded") : QString());
                if (outcome.cancelled)
                    setStatus(tr("Loading was cancelled; nothing stays in memory."));
                else if (!outcome.ok) // the engine's words and what may help (remedyFor)
                    setStatus(models::LocalEngine::loadFailureText(
                        outcome, enginehost::BackendChoice(m_backend->currentData().toInt())));
                // The files failed it: they may have changed since the scan (moved, replaced,
                // cut short), so the row is made to say what is there now, not what was.
                if (models::LocalEngine::failedOnItsFiles(outcome)) {
                    if (!QFileInfo::exists(m_loadRowDir)) // "a file is missing" would mislead
                        setStatus(tr("Loading failed: %1 is no longer there (moved or deleted "
                                     "since the model folders were searched); the list now "
                                     "shows what is there.")
                                      .arg(QDir::toNativeSeparators(m_loadRowDir)));
                    m_selectAfterScan = m_loadRowDir;
                    m_library->scan();
                }
                if (!outcome.ok)
                    m_statusRowDir = m_loadRowDir;
                updateActions();
            });
    const auto showLoaded = [this] {
        m_library->setLoadedModels(m_engine->loadedModels());
        m_table->resizeColumnToContents(models::LocalModelLibrary::LoadedColumn);
    };
    showLoaded();
    connect(m_engine, &models::LocalEngine::loadedModelsChanged, this, showLoaded);
    connect(m_engine, &models::LocalEngine::loadedModelsChanged, this,
            &LocalModelsPage::updateActions);
    connect(m_engine, &models::LocalEngine::loadedModelsChanged, this,
            &LocalModelsPage::updateServer);
    connect(m_serve, &QCheckBox::toggled, this, &LocalModelsPage::setServing);
    connect(m_server, &models::LocalServer::runningChanged, this, &LocalModelsPage::updateServer);
    connect(m_server, &models::LocalServer::settingsApplied, this, [this] {
        // "Could not start … choose another port in Settings": once one is chosen, the switch
        // says the port it will try next instead.
        if (!m_server->isRunning())
            m_serverStatus->clear();
        updateServer();
    });
    connect(m_serverLog, &QPushButton::clicked, this, &LocalModelsPage::showServerLog);
    updateServer();

    m_roots->addItems(m_library->roots());
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    m_scanning = m_library->isScanning();
    showIdleStatus();
    selectionChanged();
}

void LocalModelsPage::reload()
{
    m_library->scan();
}

void LocalModelsPage::showResource(const QString &nameOrDir)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data().toString() == nameOrDir ||
            index.data(models::LocalModelLibrary::DirRole).toString() == nameOrDir) {
            m_table->selectRow(row);
            m_table->scrollTo(index);
            return;
        }
    }
}

void LocalModelsPage::addFolder()
{
    pickModelFolder(this, [this](const QString &dir) {
        if (m_library->addRoot(dir))
            return;
        // Already in the list: nothing happened at all. It is picked there instead.
        const QList<QListWidgetItem *> same = m_roots->findItems(dir, Qt::MatchExactly);
        if (!same.isEmpty()) {
            m_roots->setCurrentItem(same.first());
            m_roots->setFocus();
        }
    });
}

void LocalModelsPage::getFromPlatform()
{
    auto *dialog = new GetModelDialog(m_api, m_library, this);
    connect(dialog, &GetModelDialog::downloaded, this,
            [this](const QString &dir, const QString &modelId) {
                setStatus(tr("Downloaded %1 into %2.").arg(modelId, QDir::toNativeSeparators(dir)));
                m_selectAfterScan = QDir(dir).absolutePath();
                m_library->scan();
            });
    dialog->open();
}

void LocalModelsPage::deleteSelected()
{
    if (m_roots->hasFocus() && m_roots->currentItem())
        removeFolder();
}

void LocalModelsPage::removeFolder()
{
    if (QListWidgetItem *item = m_roots->currentItem())
        m_library->removeRoot(item->text());
}

int LocalModelsPage::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : m_proxy->mapToSource(rows.first()).row();
}

QString LocalModelsPage::selectedBaseDir() const
{
    const models::LocalModelEntry *e = m_library->entry(selectedRow());
    if (!e)
        return {};
    return e->report.kind == enginehost::FolderReport::Kind::Adapter ? e->baseDir : e->report.dir;
}

QString LocalModelsPage::selectedAdapterDir() const
{
    const models::LocalModelEntry *e = m_library->entry(selectedRow());
    return e && e->report.kind == enginehost::FolderReport::Kind::Adapter ? e->report.dir
                                                                          : QString();
}

void LocalModelsPage::selectionChanged()
{
    const models::LocalModelEntry *e = m_library->entry(selectedRow());
    if (!e) {
        m_selected->setText(tr("Select a model in the table."));
        m_memory->setText(tr("The memory a model needs at this context length shows once one "
                             "is selected."));
        updateActions();
        return;
    }
    const enginehost::FolderReport &r = e->report;
    // What a load of another row said (failed, cancelled) is not about this one.
    if (!m_loadId && !m_statusRowDir.isEmpty() && r.dir != m_statusRowDir)
        showIdleStatus();
    QString what = QStringLiteral("%1 — %2").arg(r.name, r.dir);
    if (r.kind == enginehost::FolderReport::Kind::Adapter)
        what += e->baseDir.isEmpty() ? tr(" (LoRA; base %1 not found)").arg(r.baseModel)
                                     : tr(" (LoRA on %1)").arg(e->baseDir);
    if (!e->canChat())
        what += QStringLiteral("\n") + models::LocalModelLibrary::supportText(*e);
    m_selected->setText(what);
    {
        const QSignalBlocker block(m_context); // not the user's choice: m_wantedContext stays
        m_context->setMaximum(int(
            std::min<qint64>(r.contextLength > 0 ? r.contextLength : kMaxContext, kMaxContext)));
        m_context->setValue(m_wantedContext);
    }
    const QString base = selectedBaseDir();
    if (!base.isEmpty() && r.supported) {
        m_memory->setText(tr("Estimating…"));
        m_engine->requestEstimate(base, m_context->value());
    } else {
        m_memory->setText(!r.supported
                              ? tr("No estimate: the engine cannot load this model (above).")
                              : tr("No estimate: the LoRA's base model %1 was not found in the "
                                   "model folders.")
                                    .arg(r.baseModel));
    }
    updateActions();
}

void LocalModelsPage::showEstimate(const QString &dir, qint64 contextLength,
                                   const enginehost::MemoryReport &report)
{
    if (dir != selectedBaseDir() || contextLength != m_context->value())
        return; // an answer for an earlier selection
    if (!report.ok) {
        m_memory->setText(tr("No estimate: %1").arg(report.error));
        return;
    }
    // The verdict for the backend chosen: the engine's is the selector's (Auto).
    const models::MemoryVerdict judged =
        models::memoryVerdict(report, enginehost::BackendChoice(m_backend->currentData().toInt()));
    const QString verdict = judged.loads ? judged.text.toHtmlEscaped()
                                         : QStringLiteral("<span style=\"color:#c0392b\">%1</span>")
                                               .arg(judged.text.toHtmlEscaped());
    m_memory->setText(tr("<b>%1</b><br>Weights %2 + KV cache %3 (%4 tokens) + activations %5")
                          .arg(verdict, enginehost::formatMemory(report.weightBytes),
                               enginehost::formatMemory(report.kvCacheBytes))
                          .arg(report.contextLength)
                          .arg(enginehost::formatMemory(report.activationBytes)));
}

void LocalModelsPage::load()
{
    const QString base = selectedBaseDir();
    if (base.isEmpty())
        return;
    enginehost::LoadOptions options;
    options.backend = enginehost::BackendChoice(m_backend->currentData().toInt());
    options.contextLength = m_context->value();
    options.adapterDir = selectedAdapterDir();
    m_loadRowDir = m_library->entry(selectedRow())->report.dir;
    m_loadId = m_engine->load(base, options);
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("starting"));
    setStatus(tr("Loading %1…").arg(QFileInfo(base).fileName()));
    updateActions();
}

void LocalModelsPage::unload()
{
    if (auto loaded = m_engine->loadedFor(selectedBaseDir(), selectedAdapterDir()))
        m_engine->unload(loaded->handle);
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    updateActions();
}

void LocalModelsPage::updateActions()
{
    const bool noFolders = m_library->roots().isEmpty();
    // What the empty table means: no folders, a search under way (a tree as large as a home
    // folder takes a while), or folders that hold no model.
    if (noFolders)
        m_empty->setText(tr("No model folders yet. Add a folder that holds Hugging Face model "
                            "folders (config.json with .safetensors weights, or a LoRA adapter "
                            "with adapter_config.json); every model below it is listed, however "
                            "deep."));
    else if (m_scanning)
        m_empty->setText(m_foldersSearched > 0
                             ? tr("Searching the model folders… %1 folders so far.")
                                   .arg(models::groupedInteger(m_foldersSearched))
                             : tr("Searching the model folders…"));
    else
        m_empty->setText(tr("No model was found under these folders: a model folder holds "
                            "config.json with .safetensors weights, a LoRA adapter folder "
                            "adapter_config.json. Add the folder that holds them, or Rescan "
                            "after copying one in."));
    m_empty->setVisible(noFolders || m_scanning || (m_scanned && m_library->rowCount() == 0));
    m_removeRoot->setEnabled(m_roots->currentItem() != nullptr);
    m_rescan->setEnabled(!noFolders && !m_scanning);
    m_rescan->setToolTip(noFolders    ? tr("Add a model folder first: there is nothing to scan.")
                         : m_scanning ? tr("The model folders are being searched.")
                                      : tr("Search the model folders again for models added, "
                                           "changed or removed since."));
    const models::LocalModelEntry *e = m_library->entry(selectedRow());
    const bool loading = m_loadId != 0;
    const auto loaded =
        e ? m_engine->loadedFor(selectedBaseDir(), selectedAdapterDir()) : std::nullopt;
    // A model or adapter that cannot chat (no tokenizer, here or in the base) is not offered:
    // its load failed on the missing tokenizer.json and said to download the folder again.
    const bool loadable = e && e->canChat() && !selectedBaseDir().isEmpty();
    m_load->setEnabled(loadable && !loading && !loaded);
    m_load->setToolTip(e && !loadable ? models::LocalModelLibrary::supportText(*e)
                                      : tr("Load the selected model (Alt+O, or Return on its "
                                           "row)"));
    m_unload->setEnabled(loaded.has_value() && !loading);
    m_cancel->setVisible(loading);
    m_progress->setVisible(loading);
    m_context->setEnabled(!loading);
    m_backend->setEnabled(!loading);
    if (loaded && !loading)
        setStatus(tr("Loaded on the %1 backend (%2), context %3 tokens.%4")
                      .arg(loaded->backendName.toUpper(), loaded->backendReason)
                      .arg(loaded->contextLength)
                      .arg(loaded->hasChatTemplate
                               ? QString()
                               : tr(" No chat template: %1").arg(loaded->chatTemplateError)));
    else if (!loading && (m_status->text().startsWith(tr("Loaded on")) || m_statusIdle))
        showIdleStatus(); // unloaded, another row chosen, or another page loaded one
}

void LocalModelsPage::setStatus(const QString &text)
{
    m_statusIdle = false;
    m_statusRowDir.clear();
    m_status->setText(text);
}

void LocalModelsPage::showIdleStatus()
{
    QStringList names;
    for (const enginehost::LoadedModel &m : m_engine->loadedModels())
        names << m.displayName();
    const bool selected = m_library->entry(selectedRow()) != nullptr;
    setStatus(names.isEmpty() ? tr("Nothing loaded.")
              : selected ? tr("Not loaded. In memory: %1.").arg(names.join(QStringLiteral(", ")))
                         : tr("In memory: %1.").arg(names.join(QStringLiteral(", "))));
    m_statusIdle = true;
}

void LocalModelsPage::setServing(bool on)
{
    if (!on) {
        m_server->stop();
        return;
    }
    if (m_server->isRunning())
        return;
    if (!m_server->start(models::LocalServerSettings::load())) {
        const QSignalBlocker block(m_serve);
        m_serve->setChecked(false);
        m_serverStatus->setText(tr("Could not start the server: %1. Choose another port in "
                                   "Settings.")
                                    .arg(m_server->errorString()));
        return;
    }
    updateServer();
}

void LocalModelsPage::updateServer()
{
    {
        const QSignalBlocker block(m_serve);
        m_serve->setChecked(m_server->isRunning());
    }
    if (!m_server->isRunning()) {
        if (!m_serverStatus->text().startsWith(tr("Could not start")))
            m_serverStatus->setText(
                tr("Off. Turn on to use the loaded models from curl, scripts or any OpenAI "
                   "client on this computer (port %1, set in Settings).")
                    .arg(models::LocalServerSettings::load().port));
        return;
    }
    const QStringList ids = m_server->modelIds();
    QString text = tr("Serving at <b>%1</b>").arg(m_server->url().toHtmlEscaped());
    text += ids.isEmpty() ? tr(" — no model is loaded yet: load one above.")
            : ids.size() == 1
                ? tr(" — model %1").arg(ids.first().toHtmlEscaped())
                : tr(" — models %1").arg(ids.join(QStringLiteral(", ")).toHtmlEscaped());
    if (const QStringList others = m_server->networkUrls(); !others.isEmpty())
        text +=
            tr(" (from other devices: %1)").arg(others.join(QStringLiteral(", ")).toHtmlEscaped());
    if (m_server->requiresApiKey())
        text += tr("; API key required");
    if (const QString note = m_server->restartNote(); !note.isEmpty())
        text += QStringLiteral("<br>%1").arg(note.toHtmlEscaped());
    if (const QString warning = m_server->warning(); !warning.isEmpty())
        text += QStringLiteral("<br><span style=\"color:#c0392b\">%1</span>")
                    .arg(tr("Warning: %1.").arg(warning).toHtmlEscaped());
    m_serverStatus->setText(text);
}

void LocalModelsPage::showServerLog()
{
    auto *dialog = findChild<ServerLogDialog *>();
    if (!dialog) {
        dialog = new ServerLogDialog(m_server, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
}

} // namespace ui
