#include "apikeycreateddialog.h"

#include <ui/confirmation.h>
#include <ui/icons.h>

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

ApiKeyCreatedDialog::ApiKeyCreatedDialog(const client::ApiKey &key, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("apiKeyCreatedDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("API key created"));
    setMinimumWidth(560);

    // A display name of hundreds of characters is shortened in the middle (whole in the
    // tooltip): at full length it widened the window past the screen and cut "was created".
    const QString name = key.displayName.isEmpty() ? key.keyId : key.displayName;
    auto *title = new QLabel(this);
    title->setObjectName(QStringLiteral("apiKeyCreatedTitle"));
    title->setText(tr("<b>%1</b> was created.")
                       .arg(title->fontMetrics()
                                .elidedText(name, Qt::ElideMiddle,
                                            title->fontMetrics().averageCharWidth() * 60)
                                .toHtmlEscaped()));
    if (name.size() > 60)
        title->setToolTip(name);
    auto *warning = new QLabel(tr("Copy the key now and keep it somewhere safe. It is shown only "
                                  "this once: it cannot be shown again after you close this "
                                  "window."),
                               this);
    warning->setObjectName(QStringLiteral("apiKeyWarning"));
    warning->setWordWrap(true);
    QFont bold = warning->font();
    bold.setBold(true);
    warning->setFont(bold);
    m_key = new QLineEdit(key.key, this);
    m_key->setObjectName(QStringLiteral("createdKey"));
    m_key->setReadOnly(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_key->setFont(mono);
    auto *copy = new QPushButton(icons::forAction(icons::Action::Copy), tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copyKey"));
    copy->setAutoDefault(false);
    m_copied = new QLabel(this);
    m_copied->setObjectName(QStringLiteral("keyCopied"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_key, 1);
    row->addWidget(copy);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(warning);
    layout->addLayout(row);
    layout->addWidget(m_copied);
    layout->addWidget(buttons);
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_key->text());
        m_copied->setText(tr("Copied to the clipboard."));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_key->selectAll();
    m_key->setFocus();
}

QString ApiKeyCreatedDialog::key() const
{
    return m_key->text();
}

void ApiKeyCreatedDialog::reject()
{
    // Copied with the button or Ctrl+C: the clipboard holds it. Otherwise one Escape too many
    // would lose the only copy of the key.
    if (QApplication::clipboard()->text() == m_key->text()) {
        QDialog::reject();
        return;
    }
    confirmThenRun(this,
                   {tr("Close without copying"), tr("Close without copying the API key?"),
                    tr("It is shown only this once: after this window closes, the key cannot "
                       "be shown again, and you would have to create a new one."),
                    tr("C&lose without copying")},
                   [this] { QDialog::reject(); });
}

} // namespace ui
