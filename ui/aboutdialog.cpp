#include "aboutdialog.h"

#include <ui/icons.h>

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

#include <firedeck/version.h>

namespace ui {

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Firedeck"));
    auto *layout = new QVBoxLayout(this);

    auto *header = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(icons::application().pixmap(QSize(64, 64), devicePixelRatioF()));
    icon->setAccessibleName(tr("Firedeck icon"));
    header->addWidget(icon, 0, Qt::AlignTop);
    auto *title = new QLabel(this);
    title->setObjectName(QStringLiteral("aboutTitle"));
    title->setTextFormat(Qt::RichText);
    title->setWordWrap(true);
    title->setText(tr("<h2>Firedeck %1</h2><p>Train and serve open models on Fireworks AI, or "
                      "locally.</p>")
                       .arg(QStringLiteral(FIREDECK_VERSION)));
    header->addWidget(title, 1);
    layout->addLayout(header);

    auto *form = new QFormLayout;
    form->setObjectName(QStringLiteral("aboutVersions"));
    for (const auto &[component, version] : versionRows()) {
        auto *value = new QLabel(version, this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setAccessibleName(component);
        form->addRow(component + QLatin1Char(':'), value);
    }
    layout->addLayout(form);

    auto *credits = new QLabel(
        tr("Symbolic icons from the Adwaita icon theme by the GNOME Project "
           "(CC BY-SA 3.0 or LGPL 3), when the desktop's icon theme does not provide them."),
        this);
    credits->setObjectName(QStringLiteral("aboutCredits"));
    credits->setWordWrap(true);
    layout->addWidget(credits);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersions"));
    connect(copy, &QPushButton::clicked, this,
            [] { QGuiApplication::clipboard()->setText(versionText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
}

QList<QPair<QString, QString>> AboutDialog::versionRows()
{
    const QString qtVersion = QString::fromLatin1(qVersion());
    const QString qtBuilt = QStringLiteral(QT_VERSION_STR);
    return {
        {tr("Firedeck"), QStringLiteral(FIREDECK_VERSION)},
        {tr("Qt"),
         qtVersion == qtBuilt ? qtVersion : tr("%1 (built with %2)").arg(qtVersion, qtBuilt)},
        // The engine and the sandbox are built from this tree into this executable, so their
        // version is the application's; what differs between builds is the CUDA backend.
        {tr("Inference engine"),
         FIREDECK_ENGINE_CUDA
             ? tr("%1, CPU and CUDA backends").arg(QStringLiteral(FIREDECK_VERSION))
             : tr("%1, CPU backend (built without CUDA)").arg(QStringLiteral(FIREDECK_VERSION))},
        {tr("Local sandbox"), tr("%1, runs inside the app").arg(QStringLiteral(FIREDECK_VERSION))},
        {tr("System"), QStringLiteral("%1, %2 (%3)")
                           .arg(QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture(),
                                QGuiApplication::platformName())},
    };
}

QString AboutDialog::versionText()
{
    QStringList lines;
    for (const auto &[component, version] : versionRows())
        lines << QStringLiteral("%1: %2").arg(component, version);
    return lines.join(QLatin1Char('\n'));
}

} // namespace ui
