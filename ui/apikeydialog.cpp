#include "apikeydialog.h"

#include <ui/commandequivalents.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

ApiKeyDialog::ApiKeyDialog(client::ApiClient *api, QString userId, QWidget *parent)
    : QDialog(parent), m_api(api), m_userId(std::move(userId))
{
    setObjectName(QStringLiteral("apiKeyDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("New API key"));
    setMinimumWidth(480);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("apiKeyName"));
    m_name->setPlaceholderText(tr("e.g. CI pipeline"));
    m_expires = new QCheckBox(tr("E&xpires"), this);
    m_expires->setObjectName(QStringLiteral("apiKeyExpires"));
    m_expireTime = new QDateTimeEdit(QDateTime::currentDateTime().addDays(90), this);
    m_expireTime->setObjectName(QStringLiteral("apiKeyExpireTime"));
    m_expireTime->setCalendarPopup(true);
    m_expireTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_expireTime->setEnabled(false);
    auto *expiryRow = new QHBoxLayout;
    expiryRow->addWidget(m_expires);
    expiryRow->addWidget(m_expireTime, 1);

    auto *form = new QFormLayout;
    form->addRow(tr("&Display name:"), m_name);
    form->addRow(tr("Expiry:"), expiryRow);
    m_user = new QLabel(tr("For user %1").arg(m_userId), this);
    m_user->setObjectName(QStringLiteral("apiKeyUser"));
    m_user->setWordWrap(true);
    m_user->setTextFormat(Qt::PlainText); // "Ada <ada@example.com>" is no HTML tag
    QPalette dim = m_user->palette();     // dimmer than the fields' names, readable on dark
    dim.setColor(QPalette::WindowText, hintColor(dim));
    m_user->setPalette(dim);
    form->addRow(QString(), m_user);

    m_error = makeErrorLabel(this, QStringLiteral("apiKeyError"));
    m_busy = makeBusyBar(this);
    m_commands = new CommandEquivalents([this] { return firectlCommand(); },
                                        [this] { return curlCommand(); }, this);
    setServiceAccount(false);
    m_buttons = makeOkCancelButtons(this, tr("C&reate"), icons::Action::New);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    layout->addWidget(m_commands);
    layout->addWidget(m_buttons);

    connect(m_expires, &QCheckBox::toggled, m_expireTime, &QWidget::setEnabled);
    connect(m_expires, &QCheckBox::toggled, this, &ApiKeyDialog::validate);
    connect(m_expireTime, &QDateTimeEdit::dateTimeChanged, this, &ApiKeyDialog::validate);
    connect(m_name, &QLineEdit::textChanged, this, &ApiKeyDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ApiKeyDialog::create);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void ApiKeyDialog::setUserLabel(const QString &label)
{
    // "For user local-user" named someone by an ID the User box never shows.
    if (!label.isEmpty() && label != m_userId)
        m_user->setText(tr("For user %1 (%2)").arg(label, m_userId));
}

void ApiKeyDialog::setServiceAccount(bool serviceAccount)
{
    // "Creates an API key for the signed in user or a specified service account user" (the
    // firectl docs): the copied command made a key for whoever ran it, not the user chosen.
    m_serviceAccount = serviceAccount;
    m_commands->setFirectlToolTip(
        serviceAccount
            ? tr("Copies the equivalent firectl command to the clipboard; it creates the key "
                 "for this service account (--service-account, admins only).")
            : tr("Copies the equivalent firectl command to the clipboard. firectl creates the "
                 "key for the user it is signed in as, whoever is chosen here (it names only "
                 "service accounts)."));
}

QDateTime ApiKeyDialog::expireTime() const
{
    return m_expires->isChecked() ? m_expireTime->dateTime() : QDateTime();
}

void ApiKeyDialog::validate()
{
    QString problem;
    if (m_name->text().trimmed().isEmpty())
        problem = tr("Give the key a display name, so you can tell it apart later.");
    else if (m_expires->isChecked() && m_expireTime->dateTime() <= QDateTime::currentDateTime())
        problem = tr("The expiry must be in the future.");
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && !m_running);
    if (!m_running)
        setErrorText(m_error, !m_name->text().isEmpty() ? problem : QString());
}

void ApiKeyDialog::create()
{
    validate();
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    m_running = true;
    m_busy->show();
    setErrorText(m_error, QString());
    validate();
    auto *call = m_api->apiKeys().create(m_userId, m_name->text().trimmed(), expireTime());
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        m_running = false;
        m_busy->hide();
        const auto &result = call->result();
        if (!result.ok()) {
            validate(); // before the message: it resets the label to the input's problems
            showCallError(m_error, tr("Creating the API key"), result.error());
            return;
        }
        Q_EMIT created(result.value());
        accept();
    });
}

QString ApiKeyDialog::firectlCommand() const
{
    QString command = QStringLiteral("firectl create api-key --key-name=%1")
                          .arg(shellQuote(m_name->text().trimmed()));
    if (m_serviceAccount)
        command += QStringLiteral(" --service-account=%1").arg(shellQuote(m_userId));
    if (m_expires->isChecked())
        command += QStringLiteral(" --expire-time=%1")
                       .arg(shellQuote(m_expireTime->dateTime().toString(
                           QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    return command;
}

QString ApiKeyDialog::curlCommand() const
{
    const auto request =
        m_api->apiKeys().createRequest(m_userId, m_name->text().trimmed(), expireTime());
    return request.ok() ? client::curlCommand(request.value()) : QString();
}

} // namespace ui
