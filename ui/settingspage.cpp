#include "settingspage.h"

#include <ui/confirmation.h>
#include <ui/profiledialog.h>
#include <ui/theme.h>

#include <models/credentialstore.h>
#include <models/jobwatcher.h>
#include <models/localserver.h>
#include <models/profilemanager.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

enum Column { NameColumn, KindColumn, AccountColumn, UrlColumn, KeyColumn };

//! A form as desktop settings pages lay them out: labels right-aligned beside their fields,
//! fields as wide as what they hold rather than the window (a port is five digits).
void shapeForm(QFormLayout *form)
{
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setFormAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
}

//! A text field wide enough for its placeholder, and at most about 60 characters.
void shapeTextField(QLineEdit *field)
{
    const QFontMetrics metrics = field->fontMetrics();
    const int wanted = metrics.horizontalAdvance(field->placeholderText()) +
                       metrics.averageCharWidth() * 4; // frame and margins
    field->setMinimumWidth(std::min(wanted, metrics.averageCharWidth() * 60));
    field->setMaximumWidth(metrics.averageCharWidth() * 60);
}

} // namespace

SettingsPage::SettingsPage(models::ProfileManager *manager, QWidget *parent)
    : Page(parent), m_manager(manager)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);

    auto *profiles = new QGroupBox(tr("Profiles"), this);
    auto *profilesLayout = new QVBoxLayout(profiles);
    m_status = new QLabel(profiles);
    m_status->setObjectName(QStringLiteral("activeProfileStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    profilesLayout->addWidget(m_status);
    m_list = new QTreeWidget(profiles);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setRootIsDecorated(false);
    m_list->setAllColumnsShowFocus(true);
    m_list->setHeaderLabels({tr("Name"), tr("Kind"), tr("Account"), tr("Base URL"), tr("API key")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    profilesLayout->addWidget(m_list, 1);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add Fireworks profile…"), profiles);
    m_add->setObjectName(QStringLiteral("addProfile"));
    m_edit = new QPushButton(tr("&Edit…"), profiles);
    m_edit->setObjectName(QStringLiteral("editProfile"));
    m_remove = new QPushButton(tr("&Remove…"), profiles);
    m_remove->setObjectName(QStringLiteral("removeProfile"));
    m_use = new QPushButton(tr("&Use this profile"), profiles);
    m_use->setObjectName(QStringLiteral("useProfile"));
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_use);
    profilesLayout->addLayout(buttons);
    auto *envNote = new QLabel(
        tr("Set FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID (and optionally FIREWORKS_BASE_URL) "
           "before starting Firedeck to get a \"Fireworks (environment)\" profile whose key is "
           "never stored. Start with --profile NAME to open a profile directly."),
        profiles);
    envNote->setWordWrap(true);
    envNote->setEnabled(false);
    profilesLayout->addWidget(envNote);
    layout->addWidget(profiles, 1);

    auto *appearance = new QGroupBox(tr("Appearance"), this);
    auto *appearanceLayout = new QFormLayout(appearance);
    shapeForm(appearanceLayout);
    m_theme = new QComboBox(appearance);
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark})
        m_theme->addItem(themeName(t), int(t));
    m_theme->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_theme->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_theme->setCurrentIndex(m_theme->findData(int(savedTheme())));
    auto *themeLabel = new QLabel(tr("&Theme:"), appearance);
    themeLabel->setBuddy(m_theme);
    appearanceLayout->addRow(themeLabel, m_theme);
    auto *notify = new QCheckBox(tr("&Notify the desktop when a job or deployment I opened or "
                                    "started finishes"),
                                 appearance);
    notify->setObjectName(QStringLiteral("notifyFinalStates"));
    notify->setChecked(models::JobWatcher::notificationsEnabled());
    connect(notify, &QCheckBox::toggled, this, &models::JobWatcher::setNotificationsEnabled);
    appearanceLayout->addRow(QString(), notify);
    layout->addWidget(appearance);
    QWidget *server = localServerBox();
    layout->addWidget(server);
    // One label column for both boxes, so their fields start at the same place.
    const auto formLabels = [](QWidget *box) {
        QList<QWidget *> labels;
        if (auto *form = qobject_cast<QFormLayout *>(box->layout()))
            for (int row = 0; row < form->rowCount(); ++row)
                if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole))
                    if (item->widget())
                        labels << item->widget();
        return labels;
    };
    const QList<QWidget *> labels = formLabels(appearance) + formLabels(server);
    int labelWidth = 0;
    for (QWidget *label : labels)
        labelWidth = std::max(labelWidth, label->sizeHint().width());
    for (QWidget *label : labels) {
        label->setMinimumWidth(labelWidth);
        if (auto *text = qobject_cast<QLabel *>(label)) // right-aligned within the wider label
            text->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }

    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] {
        const auto theme = Theme(m_theme->currentData().toInt());
        saveTheme(theme);
        applyTheme(theme);
    });
    connect(m_add, &QPushButton::clicked, this, &SettingsPage::addProfile);
    connect(m_edit, &QPushButton::clicked, this, &SettingsPage::editSelected);
    connect(m_remove, &QPushButton::clicked, this, &SettingsPage::removeSelected);
    connect(m_use, &QPushButton::clicked, this, &SettingsPage::useSelected);
    // Double-click or Enter, as a list's rows open everywhere else.
    connect(m_list, &QTreeWidget::itemActivated, this, &SettingsPage::useSelected);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &SettingsPage::updateButtons);
    connect(m_manager->store(), &models::ProfileStore::changed, this, &SettingsPage::rebuild);
    // The active profile is the one picked in the list once it is switched to (from here, the
    // status bar or --profile): the list opened on Local while another was in use.
    connect(m_manager, &models::ProfileManager::activated, this, [this] {
        rebuild();
        selectProfile(m_manager->active().name);
    });
    connect(m_manager, &models::ProfileManager::connectionChanged, this,
            &SettingsPage::updateStatus);
    connect(m_manager->credentials(), &models::CredentialStore::backendChanged, this,
            &SettingsPage::rebuild);
    rebuild();
}

QWidget *SettingsPage::localServerBox()
{
    // Read when Serve is turned on (Local models page); saved while it serves, the key and
    // origins apply to the next request, the port and network choice at the next start (the
    // Serve switch says so).
    auto *box = new QGroupBox(tr("Local server (Serve on the Local models page)"), this);
    auto *form = new QFormLayout(box);
    shapeForm(form);
    const models::LocalServerSettings saved = models::LocalServerSettings::load();
    auto *port = new QSpinBox(box);
    port->setObjectName(QStringLiteral("serverPort"));
    port->setRange(1024, 65535);
    port->setValue(saved.port >= 1024 ? saved.port : models::LocalServerSettings::defaultPort());
    port->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    auto *portLabel = new QLabel(tr("&Port:"), box);
    portLabel->setBuddy(port);
    form->addRow(portLabel, port);
    auto *network = new QCheckBox(tr("Allow other &devices on my network to connect"), box);
    network->setObjectName(QStringLiteral("serverAllowNetwork"));
    network->setChecked(saved.allowNetwork);
    auto *warning = new QLabel(tr("Anyone who can reach this computer can then use the loaded "
                                  "models: set an API key."),
                               box);
    warning->setWordWrap(true);
    warning->setStyleSheet(QStringLiteral("color:#c0392b"));
    warning->setVisible(saved.allowNetwork);
    // The form keeps fields at their size hint, and a wrapping label's hint is narrow: the
    // warning stood in three short lines under a long check box.
    warning->setMinimumWidth(network->sizeHint().width());
    form->addRow(QString(), network);
    form->addRow(QString(), warning);
    auto *key = new QLineEdit(box);
    key->setObjectName(QStringLiteral("serverApiKey"));
    key->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    // Who may call it without a key: this computer's programs, or the network's too.
    const auto keyPlaceholder = [](bool allowNetwork) {
        return allowNetwork ? tr("none: any device that can reach this computer may call it")
                            : tr("none: any program on this computer may call it");
    };
    key->setPlaceholderText(keyPlaceholder(true)); // the longer one sizes the field
    key->setText(saved.apiKey);
    shapeTextField(key);
    key->setPlaceholderText(keyPlaceholder(saved.allowNetwork));
    auto *keyLabel = new QLabel(tr("API &key (optional):"), box);
    keyLabel->setBuddy(key);
    form->addRow(keyLabel, key);
    auto *origins = new QLineEdit(box);
    origins->setObjectName(QStringLiteral("serverOrigins"));
    origins->setPlaceholderText(tr("none: web pages cannot call it (e.g. http://localhost:5173)"));
    origins->setText(saved.allowedOrigins.join(QLatin1Char(' ')));
    shapeTextField(origins);
    auto *originsLabel = new QLabel(tr("Web &origins allowed:"), box);
    originsLabel->setBuddy(origins);
    form->addRow(originsLabel, origins);
    auto save = [port, network, key, origins, warning, keyPlaceholder] {
        models::LocalServerSettings s;
        s.port = port->value();
        s.allowNetwork = network->isChecked();
        s.apiKey = key->text().trimmed();
        // The field shows what is kept ("http://localhost:5173/" never matched a browser).
        s.allowedOrigins = models::LocalServerSettings::parseOrigins(origins->text());
        origins->setText(s.allowedOrigins.join(QLatin1Char(' ')));
        s.save();
        warning->setVisible(s.allowNetwork);
        key->setPlaceholderText(keyPlaceholder(s.allowNetwork));
    };
    connect(port, &QSpinBox::valueChanged, this, save);
    connect(network, &QCheckBox::toggled, this, save);
    connect(key, &QLineEdit::editingFinished, this, save);
    connect(origins, &QLineEdit::editingFinished, this, save);
    return box;
}

void SettingsPage::reload()
{
    // No keychain probe here: the keychain is touched only when a key is saved or read, so
    // opening the app never raises a keyring prompt (the Local profile needs no key).
    rebuild();
    // Nothing to fetch; say so after returning, as pages with data do.
    QTimer::singleShot(0, this, [this] { Q_EMIT loaded(); });
}

QString SettingsPage::selectedProfile() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(NameColumn, Qt::UserRole).toString() : QString();
}

void SettingsPage::selectProfile(const QString &name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->data(NameColumn, Qt::UserRole).toString() == name)
            m_list->setCurrentItem(m_list->topLevelItem(i));
}

void SettingsPage::rebuild()
{
    const QString selected = selectedProfile();
    const QString active = m_manager->hasActive() ? m_manager->active().name : QString();
    const auto *credentials = m_manager->credentials();
    QString savedKey;
    QString savedKeyTip;
    switch (credentials->backend()) {
    case models::CredentialStore::Backend::Keychain:
        savedKey = tr("system keychain");
        break;
    case models::CredentialStore::Backend::SessionOnly:
        // The keychain's own reason can be a D-Bus error of a line's length ("Object does not
        // exist at path /org/freedesktop/secrets/collection/login" after its password prompt
        // was cancelled), which filled the column and was cut: it goes in the tooltip.
        savedKey = tr("this session only (no keychain)");
        savedKeyTip = tr("No keychain could keep the key (%1): enter it again after a restart.")
                          .arg(credentials->unavailableReason());
        break;
    case models::CredentialStore::Backend::Unknown:
        savedKey = tr("system keychain");
        break;
    }
    m_list->clear();
    for (const models::Profile &p : m_manager->store()->profiles()) {
        auto *item = new QTreeWidgetItem(m_list);
        const bool isActive = p.name == active;
        item->setText(NameColumn, isActive ? tr("%1 (active)").arg(p.name) : p.name);
        item->setData(NameColumn, Qt::UserRole, p.name);
        const bool local = p.kind == models::Profile::Kind::Local;
        item->setText(KindColumn, local ? tr("Local") : tr("Fireworks"));
        item->setText(AccountColumn, p.accountId);
        // With its port while it runs: the address to give curl or an SDK (the README's
        // FIREWORKS_BASE_URL); "on 127.0.0.1" alone did not say where.
        const QUrl localUrl = m_manager->localPlatformUrl();
        item->setText(UrlColumn, !local ? p.baseUrl.toString()
                                 : localUrl.isEmpty()
                                     ? tr("in-process sandbox on 127.0.0.1")
                                     : tr("%1 (in-process sandbox)").arg(localUrl.toString()));
        item->setText(KeyColumn, local               ? tr("not needed")
                                 : p.fromEnvironment ? tr("FIREWORKS_API_KEY (never stored)")
                                                     : savedKey);
        if (!local && !p.fromEnvironment)
            item->setToolTip(KeyColumn, savedKeyTip);
        if (isActive) {
            QFont f = item->font(NameColumn);
            f.setBold(true);
            for (int c = 0; c < m_list->columnCount(); ++c)
                item->setFont(c, f);
        }
    }
    // A name of a hundred characters took the whole width and pushed Kind, Account, Base URL
    // and API key out of sight: it is cut in the list (whole in its tooltip).
    const int margin = m_list->fontMetrics().averageCharWidth() * 3;
    int nameWidth =
        m_list->header()->fontMetrics().horizontalAdvance(m_list->headerItem()->text(NameColumn)) +
        margin;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        item->setToolTip(NameColumn, item->text(NameColumn));
        nameWidth = std::max(
            nameWidth,
            QFontMetrics(item->font(NameColumn)).horizontalAdvance(item->text(NameColumn)) +
                margin);
    }
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_list->setColumnWidth(NameColumn,
                           std::min(nameWidth, m_list->fontMetrics().averageCharWidth() * 32));
    selectProfile(selected.isEmpty() ? active : selected);
    if (!m_list->currentItem() && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateButtons();
    updateStatus();
}

void SettingsPage::updateButtons()
{
    const std::optional<models::Profile> p = m_manager->store()->find(selectedProfile());
    const bool editable = p && p->kind == models::Profile::Kind::Fireworks && !p->fromEnvironment;
    m_edit->setEnabled(editable);
    m_remove->setEnabled(editable);
    m_use->setEnabled(p && (!m_manager->hasActive() || m_manager->active().name != p->name));
}

void SettingsPage::updateStatus()
{
    if (!m_manager->hasActive()) {
        m_status->setText(tr("No profile is active yet."));
        return;
    }
    QString text = tr("Active profile: <b>%1</b> — %2")
                       .arg(m_manager->active().name.toHtmlEscaped(),
                            m_manager->connectionText().toHtmlEscaped());
    if (const auto &e = m_manager->lastError();
        e && !models::ProfileManager::isHealthy(m_manager->connection()))
        text += QStringLiteral("<br>") + e->summary().toHtmlEscaped();
    // A refused key, an address where nothing answers or an account the key may not use is
    // fixed here: say how, for the kind of profile it is ("unreachable — Connection refused"
    // named neither the address nor what to change).
    const models::Profile &p = m_manager->active();
    const QString address = p.baseUrl.toString();
    QString advice;
    switch (m_manager->connection()) {
    case models::ProfileManager::Connection::Unauthorized:
        if (p.fromEnvironment)
            advice = tr("Set FIREWORKS_API_KEY to a working key and start Firedeck again.");
        else if (p.kind == models::Profile::Kind::Fireworks)
            advice = tr("Select it and press Edit… to give it a working API key.");
        break;
    case models::ProfileManager::Connection::Unreachable:
        if (p.fromEnvironment)
            advice = tr("Nothing answered at %1: check your network connection, or set "
                        "FIREWORKS_BASE_URL to the right address and start Firedeck again.")
                         .arg(address);
        else if (p.kind == models::Profile::Kind::Fireworks)
            advice = tr("Nothing answered at %1: check your network connection, or select it "
                        "and press Edit… to correct its base URL.")
                         .arg(address);
        break;
    case models::ProfileManager::Connection::Forbidden:
        if (p.fromEnvironment)
            advice = tr("The API key may not use the account %1: set FIREWORKS_ACCOUNT_ID to the "
                        "key's account and start Firedeck again.")
                         .arg(p.accountId);
        else if (p.kind == models::Profile::Kind::Fireworks)
            advice = tr("The API key may not use the account %1: select it, press Edit… and "
                        "Test connection, which names the key's account.")
                         .arg(p.accountId);
        break;
    default:
        break;
    }
    if (!advice.isEmpty())
        text += QStringLiteral("<br>") + advice.toHtmlEscaped();
    m_status->setText(text);
}

void SettingsPage::addProfile()
{
    auto *dialog = new ProfileDialog(m_manager, std::nullopt, this);
    connect(dialog, &ProfileDialog::saved, this,
            [this](const QString &name) { selectProfile(name); });
    dialog->open();
}

void SettingsPage::editSelected()
{
    const std::optional<models::Profile> p = m_manager->store()->find(selectedProfile());
    if (!p || p->kind != models::Profile::Kind::Fireworks || p->fromEnvironment)
        return;
    auto *dialog = new ProfileDialog(m_manager, p, this);
    connect(dialog, &ProfileDialog::saved, this,
            [this](const QString &name, const QString &previous) {
                selectProfile(name);
                // The active profile's URL, account or key may have changed: apply them.
                if (m_manager->hasActive() && m_manager->active().name == previous)
                    m_manager->activate(name);
            });
    dialog->open();
}

void SettingsPage::removeSelected()
{
    const std::optional<models::Profile> p = m_manager->store()->find(selectedProfile());
    if (!p || p->kind != models::Profile::Kind::Fireworks || p->fromEnvironment)
        return;
    const QString name = p->name;
    // Where the key goes from is where it was kept: no keychain, no keychain to clean.
    const bool sessionOnly =
        m_manager->credentials()->backend() == models::CredentialStore::Backend::SessionOnly;
    confirmThenRun(this,
                   {tr("Remove profile"), tr("Remove the profile \"%1\"?").arg(name),
                    sessionOnly ? tr("Its API key, kept for this session only, is forgotten too; "
                                     "the account and everything in it stay on the platform.")
                                : tr("Its API key is forgotten too (removed from the keychain); "
                                     "the account and everything in it stay on the platform."),
                    tr("&Remove")},
                   [this, name] {
                       const bool wasActive =
                           m_manager->hasActive() && m_manager->active().name == name;
                       m_manager->store()->remove(name);
                       m_manager->credentials()->remove(name);
                       if (wasActive)
                           m_manager->activate(models::ProfileStore::localName());
                   });
}

void SettingsPage::useSelected()
{
    const QString name = selectedProfile();
    if (!name.isEmpty())
        m_manager->activate(name);
}

} // namespace ui
