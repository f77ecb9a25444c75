#include "confirmation.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>

#include <algorithm>

namespace ui {

namespace {

//! QMessageBox makes itself as wide as its question and wraps the consequence to that width,
//! so "Close the dataset wizard?" put a 150-character consequence into a column of three
//! words a line. The consequence gets room for a readable line (about 64 characters) or its
//! whole text when shorter, never more than two thirds of the screen.
void giveTheConsequenceReadableLines(QMessageBox *box)
{
    if (box->informativeText().isEmpty())
        return;
    // The label QMessageBox made for setInformativeText(), found by its text.
    QLabel *consequence = nullptr;
    for (QLabel *label : box->findChildren<QLabel *>())
        if (label->text() == box->informativeText())
            consequence = label;
    if (!consequence)
        return;
    const QFontMetrics fm = consequence->fontMetrics();
    int width = std::min(fm.horizontalAdvance(consequence->text()) + fm.averageCharWidth(),
                         64 * fm.averageCharWidth());
    if (const QScreen *screen = box->screen())
        width = std::min(width, screen->availableGeometry().width() * 2 / 3);
    consequence->setMinimumWidth(width);
}

} // namespace

void confirmThenRun(QWidget *parent, const Confirmation &confirmation, std::function<void()> run)
{
    auto *box = new QMessageBox(QMessageBox::Warning, confirmation.title, confirmation.question,
                                QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(confirmation.consequence);
    giveTheConsequenceReadableLines(box);
    QPushButton *yes = box->addButton(confirmation.confirmText, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Cancel)->setFocus();
    QObject::connect(yes, &QPushButton::clicked, box, std::move(run));
    box->open();
}

} // namespace ui
