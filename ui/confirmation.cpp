#include "confirmation.h"

#include <QMessageBox>
#include <QPushButton>

namespace ui {

void confirmThenRun(QWidget *parent, const Confirmation &confirmation, std::function<void()> run)
{
    auto *box = new QMessageBox(QMessageBox::Warning, confirmation.title, confirmation.question,
                                QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(confirmation.consequence);
    QPushButton *yes = box->addButton(confirmation.confirmText, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Cancel)->setFocus();
    QObject::connect(yes, &QPushButton::clicked, box, std::move(run));
    box->open();
}

} // namespace ui
