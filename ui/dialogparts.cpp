#include "dialogparts.h"

#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/common.h>
#include <client/resourceidrules.h>

#include <widgets/errorbanner.h>

#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QScreen>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

QColor errorColor()
{
    // #c62828 is 4.9:1 on Fusion's light grey window and 2.3:1 on the dark theme's; #ff7b72
    // is 5.5:1 there.
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc6, 0x28, 0x28);
}

QColor hintColor(const QPalette &palette)
{
    // Two thirds of the way from the window to the text colour: visibly dimmer than the text,
    // 5.9:1 on the dark theme's window and 7:1 or more on light ones.
    const QColor text = palette.color(QPalette::WindowText);
    const QColor window = palette.color(QPalette::Window);
    const auto mix = [](int from, int to) { return from + (to - from) * 2 / 3; };
    return QColor(mix(window.red(), text.red()), mix(window.green(), text.green()),
                  mix(window.blue(), text.blue()));
}

QLabel *makeErrorLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor().name()));
    label->hide();
    return label;
}

namespace {

// growToFit, where `before` is the window's height before the change that asked for the fit:
// showing a label already raises the window to its new minimum height.
void fitHeight(QWidget *window, int before)
{
    if (!window->isVisible() || !window->layout())
        return;
    // A caller that showed its label before growToFit: the window already stands at its new
    // minimum, taller than this left it last time; that rise was the message's too.
    static const char *const fittedAt = "firedeckFittedHeight";
    const int lastFit = window->property(fittedAt).toInt();
    if (lastFit > 0 && lastFit < before && before == window->minimumHeight())
        before = lastFit;
    window->layout()->activate();
    const int needed = window->hasHeightForWidth() ? window->heightForWidth(window->width())
                                                   : window->minimumSizeHint().height();
    if (needed > window->height())
        window->resize(window->width(), needed);
    // What a message added is remembered on the window and given back as it goes; only that:
    // a height its user chose stays. Growing alone left a blank band where an error had been
    // (the API key and secret dialogs).
    static const char *const grownBy = "firedeckGrownForMessages";
    const int grown = window->property(grownBy).toInt();
    const int now = window->height();
    if (now > before) {
        window->setProperty(grownBy, grown + now - before);
    } else if (grown > 0 && needed < now) {
        const int giveBack = std::min(grown, now - needed);
        window->setProperty(grownBy, grown - giveBack);
        window->resize(window->width(), now - giveBack);
    }
    window->setProperty(fittedAt, window->height());
}

} // namespace

void growToFit(QWidget *window)
{
    fitHeight(window, window->height());
}

void resizeWithinScreen(QWidget *window, QSize preferred)
{
    const QScreen *screen = window->screen();
    if (!screen) {
        window->resize(preferred);
        return;
    }
    const QRect available = screen->availableGeometry();
    window->resize(std::min(preferred.width(), available.width() * 9 / 10),
                   std::min(preferred.height(), available.height() * 9 / 10));
}

void setErrorText(QLabel *label, const QString &text)
{
    const int before = label->window()->height();
    label->setText(text);
    label->setVisible(!text.isEmpty());
    fitHeight(label->window(), before);
}

void showCallError(QLabel *label, const QString &what, const client::ApiError &error)
{
    setErrorText(label, errorText(what, error));
    label->setToolTip(errorDetails(error));
}

QProgressBar *makeBusyBar(QWidget *parent)
{
    auto *bar = new QProgressBar(parent);
    bar->setObjectName(QStringLiteral("busy"));
    bar->setRange(0, 0);
    bar->setTextVisible(false);
    bar->setMaximumHeight(6);
    bar->hide();
    return bar;
}

widgets::ErrorBanner *makeErrorBanner(QWidget *parent)
{
    auto *banner = new widgets::ErrorBanner(parent);
    banner->setObjectName(QStringLiteral("errorBanner"));
    banner->setRetryVisible(false);
    banner->hide();
    return banner;
}

ResourceNameRows addResourceNameRows(QFormLayout *form, QWidget *parent, const QString &label,
                                     const char *idName, const char *hintName,
                                     const QString &placeholder)
{
    ResourceNameRows rows;
    rows.id = new QLineEdit(parent);
    rows.id->setObjectName(QString::fromLatin1(idName));
    rows.id->setPlaceholderText(placeholder);
    rows.id->setMaxLength(63);
    rows.idHint = makeHintLabel(parent, hintName);
    auto *idBox = new QVBoxLayout;
    idBox->addWidget(rows.id);
    idBox->addWidget(rows.idHint);
    auto *idLabel = new QLabel(label, parent);
    idLabel->setBuddy(rows.id);
    form->addRow(idLabel, idBox);
    rows.displayName = new QLineEdit(parent);
    rows.displayName->setObjectName(QStringLiteral("displayNameEdit"));
    rows.displayName->setMaxLength(client::kMaxDisplayNameLength);
    form->addRow(QCoreApplication::translate("ui::DialogParts", "&Display name:"),
                 rows.displayName);
    return rows;
}

QLabel *makeHintLabel(QWidget *parent, const char *objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(objectName));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, hintColor(p));
    label->setPalette(p);
    return label;
}

QString problemHtml()
{
    return QStringLiteral("<span style=\"color:") + errorColor().name() +
           QStringLiteral("\"><b>%1</b></span>");
}

QString resourceIdHint(const QString &id)
{
    if (id.isEmpty() || client::isValidResourceId(id))
        return QCoreApplication::translate(
            "ui::DialogParts", "Lower-case letters, digits and '-'; starts with a letter.");
    // What in it breaks the rule (the characters at fault), then the rule.
    return problemHtml().arg(QCoreApplication::translate("ui::DialogParts", "Not a valid ID:")) +
           QLatin1Char(' ') + client::resourceIdProblem(id).toHtmlEscaped() +
           QStringLiteral(". ") +
           QCoreApplication::translate("ui::DialogParts",
                                       "1-63 characters of a-z, 0-9 and '-', starting with a "
                                       "letter and not ending with '-'.");
}

QDialogButtonBox *makeOkCancelButtons(QWidget *parent, const QString &okText,
                                      icons::Action okAction)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, parent);
    buttons->button(QDialogButtonBox::Ok)->setText(okText);
    // The dialog's action (Create, Delete, Upload …) with the icon its verb has elsewhere.
    buttons->button(QDialogButtonBox::Ok)->setIcon(icons::forAction(okAction));
    return buttons;
}

QHBoxLayout *makePathRow(QLineEdit *edit, const QString &caption, QFileDialog::FileMode mode,
                         const QString &filter, std::function<void(const QString &)> picked)
{
    QWidget *parent = edit->parentWidget();
    auto *browse =
        new QPushButton(icons::forAction(icons::Action::Browse),
                        QCoreApplication::translate("ui::DialogParts", "&Browse…"), parent);
    browse->setObjectName(QStringLiteral("browseButton"));
    QObject::connect(browse, &QPushButton::clicked, parent,
                     [edit, caption, mode, filter, picked = std::move(picked)] {
                         auto *picker =
                             new QFileDialog(edit->parentWidget(), caption, edit->text(), filter);
                         picker->setAttribute(Qt::WA_DeleteOnClose);
                         picker->setFileMode(mode);
                         if (mode == QFileDialog::Directory)
                             picker->setOption(QFileDialog::ShowDirsOnly);
                         QObject::connect(picker, &QFileDialog::fileSelected, edit, picked);
                         picker->open();
                     });
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return row;
}

} // namespace ui
