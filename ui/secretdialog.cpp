#include "secretdialog.h"

#include <ui/commandequivalents.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/common.h>
#include <client/curlcommand.h>
#include <client/resourceidrules.h>
#include <client/states.h>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <limits>

namespace ui {

SecretDialog::SecretDialog(client::ApiClient *api, std::optional<client::Secret> existing,
                           QWidget *parent)
    : QDialog(parent), m_api(api), m_existing(std::move(existing))
{
    setObjectName(QStringLiteral("secretDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_existing ? tr("Edit secret") : tr("New secret"));
    setMinimumWidth(460);

    m_keyName = new QLineEdit(this);
    m_keyName->setObjectName(QStringLiteral("secretKeyName"));
    m_keyName->setPlaceholderText(tr("e.g. WANDB_API_KEY"));
    m_id = new QLineEdit(this);
    m_id->setObjectName(QStringLiteral("secretId"));
    m_id->setPlaceholderText(tr("follows the key name, e.g. wandb-api-key"));
    m_value = new QLineEdit(this);
    m_value->setObjectName(QStringLiteral("secretValue"));
    m_value->setEchoMode(QLineEdit::Password);
    // A line edit keeps 32767 characters and drops the rest of a paste without a word; a
    // bundle of certificates or a service account's JSON must arrive whole.
    m_value->setMaxLength(std::numeric_limits<int>::max());
    m_value->setPlaceholderText(m_existing ? tr("the new value (the old one is never shown)")
                                           : tr("the secret value"));
    if (m_existing) {
        m_id->setText(client::resourceId(m_existing->name));
        m_id->setReadOnly(true);
        m_id->setEnabled(false);
        m_keyName->setText(m_existing->keyName);
    }
    // The key name first: it is the name evaluators read (the firectl docs' MY_SECRET), and
    // the ID follows from it (my-secret) until the user types an ID of their own.
    auto *form = new QFormLayout;
    form->addRow(tr("&Key name:"), m_keyName);
    form->addRow(tr("Secret &ID:"), m_id);
    form->addRow(tr("&Value:"), m_value);
    auto *note = new QLabel(tr("The value is sent once and never displayed again."), this);
    QPalette dim = note->palette(); // dimmer than the fields' names, readable on dark
    dim.setColor(QPalette::WindowText, hintColor(dim));
    note->setPalette(dim);
    form->addRow(QString(), note);

    m_error = makeErrorLabel(this, QStringLiteral("secretError"));
    m_busy = makeBusyBar(this);
    CommandEquivalents *commands = nullptr; // create only
    if (!m_existing) {
        commands = new CommandEquivalents([this] { return firectlCommand(); },
                                          [this] { return curlCommand(); }, this);
        commands->setFirectlToolTip(
            tr("Copies the equivalent firectl command to the clipboard; it reads the value from "
               "$SECRET_VALUE. firectl documents only --name and --value, and its example "
               "passes the name evaluators read (--name MY_SECRET): the key name goes there, "
               "and an ID of your own cannot be given to it."));
        commands->setCurlToolTip(
            tr("Copies the equivalent curl request to the clipboard; it reads the API key from "
               "$FIREWORKS_API_KEY and the value from $SECRET_VALUE (which must not contain "
               "\", \\ or line breaks, as it is pasted into JSON)."));
    }
    m_buttons = makeOkCancelButtons(this, m_existing ? tr("&Save") : tr("C&reate"),
                                    m_existing ? icons::Action::Save : icons::Action::New);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    if (commands)
        layout->addWidget(commands);
    layout->addWidget(m_buttons);

    if (!m_existing)
        connect(m_keyName, &QLineEdit::textChanged, this, &SecretDialog::followKeyName);
    for (QLineEdit *e : {m_id, m_keyName, m_value})
        connect(e, &QLineEdit::textChanged, this, &SecretDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SecretDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Edit is for a new value: the focus starts there. It started on the key name, so a new
    // value typed after F2 went into that plain-text field, readable by anyone near.
    if (m_existing)
        m_value->setFocus();
    validate();
}

void SecretDialog::followKeyName()
{
    const QString derived = client::secretIdForKeyName(m_keyName->text());
    if (m_id->text().trimmed() == m_derivedId) // not typed by the user
        m_id->setText(derived);
    m_derivedId = derived;
}

void SecretDialog::setOtherSecrets(const QList<client::Secret> &secrets)
{
    m_takenKeyNames.clear();
    const QString own = m_existing ? m_existing->name : QString();
    for (const client::Secret &s : secrets)
        if (s.name != own && !s.keyName.isEmpty())
            m_takenKeyNames.insert(s.keyName, client::resourceId(s.name));
    validate();
}

void SecretDialog::validate()
{
    QString problem;
    // A field the user has not reached yet disables OK without a red message; a field that
    // holds something wrong is called out first, then one emptied by the user.
    bool shown = true;
    bool warningOnly = false; // the value's leading or trailing blank: said, OK stays on
    const QString id = m_id->text().trimmed();
    const QString keyName = m_keyName->text().trimmed();
    if (!keyName.isEmpty() && !client::secretKeyNameProblem(keyName).isEmpty()) {
        problem = tr("Key name: %1. Evaluators read the secret as an environment variable of "
                     "this name: use A-Z, 0-9 and '_', e.g. WANDB_API_KEY.")
                      .arg(client::secretKeyNameProblem(keyName));
    } else if (m_takenKeyNames.contains(keyName)) {
        problem = tr("The secret %1 is exposed as %2 already: evaluators would get one of two "
                     "values. Use another key name, or close and Edit that secret.")
                      .arg(m_takenKeyNames.value(keyName), keyName);
    } else if (!id.isEmpty() && !client::isValidResourceId(id)) {
        problem = tr("Secret ID: %1. An ID is 1-63 characters of a-z, 0-9 and '-', starting "
                     "with a letter and not ending with '-'.")
                      .arg(client::resourceIdProblem(id));
        if (const QString fixed = client::secretIdForKeyName(id); !fixed.isEmpty())
            problem += QLatin1Char(' ') + tr("%1 would do.").arg(fixed);
    } else if (keyName.isEmpty()) {
        problem = tr("Enter the key name the secret is exposed as (e.g. WANDB_API_KEY).");
        shown = m_keyName->isModified() || !id.isEmpty();
    } else if (id.isEmpty()) {
        problem = tr("Enter an ID for the secret.");
    } else if (m_value->text().isEmpty()) {
        problem = m_existing ? tr("Enter the new value.") : tr("Enter the value.");
        shown = m_value->isModified(); // not yet reached: OK waits quietly
    }
    // A key copied from a terminal or a file often comes with its line break: kept, an
    // evaluator reads "sk-…\n" and its calls are refused. Said, not refused: a certificate
    // bundle ends with one on purpose.
    const QString value = m_value->text();
    if (problem.isEmpty() && value != value.trimmed() &&
        !value.trimmed().contains(QLatin1Char('\n'))) {
        problem = tr("The value begins or ends with a space or line break, which is kept: "
                     "evaluators read it too. Remove it unless it belongs to the value.");
        warningOnly = true;
    }
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled((problem.isEmpty() || warningOnly) && !m_running);
    if (!m_running)
        setErrorText(m_error, shown ? problem : QString());
}

void SecretDialog::save()
{
    validate();
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    m_running = true;
    m_busy->show();
    setErrorText(m_error, QString());
    validate();
    const QString id = m_id->text().trimmed();
    const QString keyName = m_keyName->text().trimmed();
    auto *call = m_existing ? m_api->secrets().update(id, keyName, m_value->text())
                            : m_api->secrets().create(id, keyName, m_value->text());
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        m_running = false;
        m_busy->hide();
        const auto &result = call->result();
        if (!result.ok()) {
            validate(); // before the message: it resets the label to the input's problems
            // Keep everything the user typed, the value included, so they can fix and retry.
            if (!m_existing && result.error().kind == client::ApiError::Kind::Conflict) {
                // The general "already exists or was changed at the same time" leaves the user
                // guessing which; here it is the ID, and what to do about it.
                setErrorText(m_error, tr("A secret with the ID %1 exists already: give this one "
                                         "another ID, or close and Edit that one to change its "
                                         "value.")
                                          .arg(m_id->text().trimmed()));
                m_error->setToolTip(errorDetails(result.error()));
                return;
            }
            showCallError(m_error, m_existing ? tr("Saving the secret") : tr("Creating the secret"),
                          result.error());
            return;
        }
        m_value->clear();
        client::Secret secret = result.value();
        secret.value.clear();
        Q_EMIT saved(secret);
        accept();
    });
}

// The copied commands never hold the value the user typed: they read it from $SECRET_VALUE,
// so it does not end up on the clipboard, in shell history or in a script.
QString SecretDialog::firectlCommand() const
{
    // The firectl docs name the secret as evaluators read it (create secret --name MY_SECRET,
    // get secret MY_SECRET): the key name, not the lower-case ID this dialog derives from it.
    return QStringLiteral("firectl create secret --name %1 --value \"$SECRET_VALUE\"")
        .arg(shellQuote(m_keyName->text().trimmed()));
}

QString SecretDialog::curlCommand() const
{
    // Built with the variable's name as the value, then the single-quoted body is opened around
    // it so the shell expands "$SECRET_VALUE" there. `"value":"` cannot occur inside another
    // JSON string (its quotes would be escaped), so only the value field is replaced.
    static const QString variable = QStringLiteral("$SECRET_VALUE");
    const auto request = m_api->secrets().createRequest(m_id->text().trimmed(),
                                                        m_keyName->text().trimmed(), variable);
    if (!request.ok())
        return QString();
    QString command = client::curlCommand(request.value());
    command.replace(QStringLiteral("\"value\":\"") + variable + QLatin1Char('"'),
                    QStringLiteral("\"value\":\"'\"") + variable + QStringLiteral("\"'\""));
    return command;
}

} // namespace ui
