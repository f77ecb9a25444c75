#include "shortcutsdialog.h"

#include <ui/page.h>

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QShortcut>
#include <QTabBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

QString plain(QString text)
{
    // "&New…" as a person reads it; "&&" is a literal ampersand.
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    return text;
}

//! Where a key acts: its page in the main window, the dialog's title in a dialog.
QString pageOf(const QObject *object)
{
    for (const QObject *o = object; o; o = o->parent()) {
        if (const auto *page = qobject_cast<const Page *>(o))
            return page->title();
        if (const auto *dialog = qobject_cast<const QDialog *>(o))
            return plain(dialog->windowTitle());
    }
    return {};
}

//! "&Name:" → "Name": a label's words without the mnemonic and the colon.
QString labelWords(const QString &text)
{
    QString words = plain(text).trimmed();
    if (words.endsWith(QLatin1Char(':')))
        words.chop(1);
    return words;
}

QString keysText(const QList<QKeySequence> &keys)
{
    QStringList texts;
    for (const QKeySequence &k : keys)
        if (!k.isEmpty())
            texts << k.toString(QKeySequence::NativeText);
    return texts.join(QStringLiteral(", "));
}

} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::collect(QWidget *window)
{
    QList<Entry> entries;
    QSet<QString> seen;
    const auto add = [&](const Entry &e) {
        const QString key = e.where + u'\n' + e.what + u'\n' + e.keys;
        if (e.keys.isEmpty() || e.what.isEmpty() || seen.contains(key))
            return;
        seen.insert(key);
        entries << e;
    };
    for (const QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcuts().isEmpty() || action->isSeparator())
            continue;
        QString where = pageOf(action);
        for (const QObject *o : action->associatedObjects())
            if (const auto *menu = qobject_cast<const QMenu *>(o))
                where = plain(menu->title());
        add({where.isEmpty() ? tr("Window") : where, plain(action->text()),
             keysText(action->shortcuts())});
    }
    for (const QShortcut *shortcut : window->findChildren<QShortcut *>()) {
        const QString where = pageOf(shortcut);
        add({where.isEmpty() ? tr("Window") : where, shortcut->whatsThis(),
             keysText(shortcut->keys())});
    }
    // Alt+letter on what is on screen now (an underlined letter in a button, a field's label or
    // a tab): in a dialog these are most of its keys, and the list had none of them. They are
    // listed as they are laid out, top to bottom, so the list reads like the form.
    struct Placed
    {
        QPoint at;
        Entry entry;
    };
    QList<Placed> mnemonics;
    const auto place = [&](const QWidget *w, const QString &what, const QKeySequence &keys) {
        if (!w->isVisibleTo(window) || keys.isEmpty())
            return;
        const QString where = pageOf(w);
        mnemonics.append({w->mapTo(window, QPoint(0, 0)),
                          {where.isEmpty() ? tr("Window") : where, what, keysText({keys})}});
    };
    for (const QAbstractButton *button : window->findChildren<QAbstractButton *>())
        if (button->isEnabled())
            place(button, plain(button->text()), button->shortcut());
    for (const QLabel *label : window->findChildren<QLabel *>())
        if (label->buddy())
            place(label, tr("Go to %1").arg(labelWords(label->text())),
                  QKeySequence::mnemonic(label->text()));
    for (const QTabBar *tabs : window->findChildren<QTabBar *>())
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->isTabEnabled(i))
                place(tabs, tr("%1 tab").arg(labelWords(tabs->tabText(i))),
                      QKeySequence::mnemonic(tabs->tabText(i)));
    std::stable_sort(mnemonics.begin(), mnemonics.end(), [](const Placed &a, const Placed &b) {
        return std::pair(a.at.y(), a.at.x()) < std::pair(b.at.y(), b.at.x());
    });
    for (const Placed &p : mnemonics)
        add(p.entry);
    if (const auto *dialog = qobject_cast<const QDialog *>(window)) {
        const QString where = plain(dialog->windowTitle());
        for (const QPushButton *button : window->findChildren<QPushButton *>())
            if (button->isDefault() && button->isVisibleTo(window) && button->isEnabled())
                add({where, tr("%1 (the default button)").arg(plain(button->text())),
                     QKeySequence(Qt::Key_Return).toString(QKeySequence::NativeText)});
        add({where, tr("Close the dialog (as Cancel does)"),
             QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText)});
    }
    // The menus first, in menu bar order, then the pages in the sidebar's order (the Go menu
    // lists them so).
    QStringList order;
    if (const auto *bar = window->findChild<QMenuBar *>()) {
        for (const QAction *a : bar->actions())
            if (a->menu())
                order << plain(a->menu()->title());
        for (const QAction *a : bar->actions())
            if (a->menu())
                for (const QAction *item : a->menu()->actions())
                    order << plain(item->text());
    }
    const auto rank = [&order](const Entry &e) {
        const qsizetype at = order.indexOf(e.where);
        return at >= 0 ? int(at) : int(order.size());
    };
    std::stable_sort(entries.begin(), entries.end(),
                     [&](const Entry &a, const Entry &b) { return rank(a) < rank(b); });
    return entries;
}

ShortcutsDialog::ShortcutsDialog(QWidget *window, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    const auto *dialog = qobject_cast<const QDialog *>(window);
    setWindowTitle(dialog ? tr("Keyboard shortcuts: %1").arg(plain(dialog->windowTitle()))
                          : tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    auto *filter = new QLineEdit(this);
    filter->setObjectName(QStringLiteral("shortcutsFilter"));
    filter->setPlaceholderText(tr("Filter (a word, a page or a key)"));
    filter->setAccessibleName(tr("Filter shortcuts"));
    filter->setClearButtonEnabled(true);
    layout->addWidget(filter);
    auto *table = new QTableWidget(this);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setAccessibleName(tr("Keyboard shortcuts"));
    table->setColumnCount(3);
    table->setHorizontalHeaderLabels({tr("Where"), tr("Action"), tr("Keys")});
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    const QList<Entry> entries = collect(window);
    table->setRowCount(int(entries.size()));
    for (int r = 0; r < entries.size(); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(entries[r].where));
        table->setItem(r, 1, new QTableWidgetItem(entries[r].what));
        table->setItem(r, 2, new QTableWidgetItem(entries[r].keys));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(table, 1);
    connect(filter, &QLineEdit::textChanged, table, [table](const QString &text) {
        for (int r = 0; r < table->rowCount(); ++r) {
            bool match = text.trimmed().isEmpty();
            for (int c = 0; c < table->columnCount() && !match; ++c)
                match = table->item(r, c)->text().contains(text.trimmed(), Qt::CaseInsensitive);
            table->setRowHidden(r, !match);
        }
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    int width = 0;
    for (int c = 0; c < table->columnCount(); ++c)
        width += table->columnWidth(c);
    resize(std::max(560, width + 60), 600);
}

namespace {

//! F1 in a dialog: the main window's Help action cannot answer it (the dialog is modal).
class DialogHelpKey : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::KeyPress ||
            static_cast<QKeyEvent *>(event)->key() != Qt::Key_F1 ||
            static_cast<QKeyEvent *>(event)->modifiers() != Qt::NoModifier)
            return false;
        const auto *widget = qobject_cast<QWidget *>(watched);
        auto *dialog = widget ? qobject_cast<QDialog *>(widget->window()) : nullptr;
        if (!dialog || qobject_cast<ShortcutsDialog *>(dialog) ||
            dialog->findChild<ShortcutsDialog *>(QString(), Qt::FindDirectChildrenOnly))
            return false;
        auto *list = new ShortcutsDialog(dialog, dialog);
        list->setAttribute(Qt::WA_DeleteOnClose);
        list->open();
        return true;
    }
};

} // namespace

void ShortcutsDialog::answerF1InDialogs(QObject *owner)
{
    qApp->installEventFilter(new DialogHelpKey(owner));
}

} // namespace ui
