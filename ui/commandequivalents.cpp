#include "commandequivalents.h"

#include <ui/icons.h>

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace ui {

CommandEquivalents::CommandEquivalents(Provider firectl, Provider curl, QWidget *parent)
    : QWidget(parent), m_firectl(std::move(firectl)), m_curl(std::move(curl))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // Copy's icon, as Copy name has it (the Playground renames these buttons, same verb).
    m_copyFirectl =
        new QPushButton(icons::forAction(icons::Action::Copy), tr("Copy &firectl command"), this);
    m_copyFirectl->setObjectName(QStringLiteral("copyFirectl"));
    m_copyFirectl->setAutoDefault(false);
    m_copyFirectl->setToolTip(tr("Copies the equivalent firectl command to the clipboard"));
    m_copyCurl =
        new QPushButton(icons::forAction(icons::Action::Copy), tr("Copy curl re&quest"), this);
    m_copyCurl->setObjectName(QStringLiteral("copyCurl"));
    m_copyCurl->setAutoDefault(false);
    m_copyCurl->setToolTip(tr("Copies the equivalent curl request to the clipboard; it reads "
                              "the API key from $FIREWORKS_API_KEY"));
    m_firectlWhat = tr("firectl command");
    m_copied = new QLabel(this);
    m_copied->setObjectName(QStringLiteral("copiedStatus"));
    // Beside two buttons in a narrow dialog (Edit model is 480 px) it wraps instead of being
    // cut after "Copied the firectl co".
    m_copied->setWordWrap(true);
    layout->addWidget(m_copyFirectl);
    layout->addWidget(m_copyCurl);
    layout->addWidget(m_copied, 1);
    connect(m_copyFirectl, &QPushButton::clicked, this,
            [this] { copy(m_firectl(), m_firectlWhat); });
    connect(m_copyCurl, &QPushButton::clicked, this,
            [this] { copy(m_curl(), tr("curl request")); });
}

void CommandEquivalents::setFirectlToolTip(const QString &text)
{
    m_copyFirectl->setToolTip(text);
}

void CommandEquivalents::setFirectlText(const QString &buttonText, const QString &what)
{
    m_copyFirectl->setText(buttonText);
    m_firectlWhat = what;
}

void CommandEquivalents::setCurlToolTip(const QString &text)
{
    m_copyCurl->setToolTip(text);
}

void CommandEquivalents::setCurlUnavailable(const QString &why)
{
    m_copyCurl->setEnabled(false);
    m_copyCurl->setToolTip(why);
}

void CommandEquivalents::copy(const QString &text, const QString &what)
{
    QApplication::clipboard()->setText(text);
    m_copied->setText(tr("Copied the %1.").arg(what));
}

} // namespace ui
