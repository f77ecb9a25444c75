#include "modelfolderpicker.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>

namespace ui {

namespace {

QString lastAddedFolderKey()
{
    return QStringLiteral("localModels/lastAddedFolder");
}

} // namespace

void pickModelFolder(QWidget *parent, const std::function<void(const QString &dir)> &chosen)
{
    auto *dialog = new QFileDialog(parent, QFileDialog::tr("Add a model folder"));
    dialog->setObjectName(QStringLiteral("addModelFolder"));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QFileInfo last(QSettings().value(lastAddedFolderKey()).toString());
    const QString beside = last.filePath().isEmpty() ? QString() : last.absolutePath();
    dialog->setDirectory(!beside.isEmpty() && QFileInfo(beside).isDir() ? beside
                                                                        : QDir::homePath());
    QObject::connect(dialog, &QFileDialog::fileSelected, parent, [chosen](const QString &dir) {
        if (dir.isEmpty())
            return;
        const QString absolute = QDir(dir).absolutePath();
        QSettings().setValue(lastAddedFolderKey(), absolute);
        chosen(absolute);
    });
    dialog->open();
}

} // namespace ui
