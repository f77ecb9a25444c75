#include "tablecolumnwidths.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHeaderView>
#include <QSettings>
#include <QStyle>
#include <QTableView>
#include <QTimer>

#include <algorithm>

namespace widgets {

void saveColumnWidths(const QTableView *view, const QString &key)
{
    QVariantList widths;
    const int columns = view->model()->columnCount();
    for (int c = 0; c < columns; ++c)
        widths << (view->isColumnHidden(c) ? 0 : view->columnWidth(c));
    QSettings().setValue(key, widths);
}

bool restoreColumnWidths(QTableView *view, const QString &key)
{
    const QVariantList widths = QSettings().value(key).toList();
    const int columns = view->model()->columnCount();
    if (widths.size() != columns)
        return false;
    for (int c = 0; c + 1 < columns; ++c)
        if (const int w = widths.at(c).toInt(); w > 0 && !view->isColumnHidden(c))
            view->setColumnWidth(c, w);
    return true;
}

QList<int> fittedColumnWidths(QTableView *view, int wholeColumn, int wholeColumnRoom)
{
    const QAbstractItemModel *model = view->model();
    const QHeaderView *header = view->horizontalHeader();
    const int columns = model->columnCount();
    const int em = view->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int minWidth = em * 4;
    const int maxWidth = em * 24;
    const int headerMargin = view->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    QFont boldFont = header->font();
    boldFont.setBold(true);
    const QFontMetrics boldHeader(boldFont);
    QList<int> width(columns, 0);
    QList<int> headerWidth(columns, 0);
    QList<bool> whole(columns, false);
    QList<int> natural(columns, 0); // what the column's header and loaded rows need
    int total = 0;
    for (int c = 0; c < columns; ++c) {
        if (view->isColumnHidden(c))
            continue;
        // The header's text; Qt's sectionSizeHint() adds the sort arrow's room to every
        // column once sorting is on, about 20 px each, which an 11-column table cannot spare.
        // Measured bold: the header highlights the selected row's sections in bold.
        headerWidth[c] =
            c == header->sortIndicatorSection()
                ? header->sectionSizeHint(c)
                : boldHeader.horizontalAdvance(model->headerData(c, Qt::Horizontal).toString()) +
                      2 * headerMargin + 2;
        // QAbstractItemView's public sizeHintForColumn: the delegate's size of the loaded rows.
        const int content = static_cast<const QAbstractItemView *>(view)->sizeHintForColumn(c);
        whole[c] = c == wholeColumn || model->index(0, c).data().typeId() == QMetaType::QDateTime;
        natural[c] = std::max({content, headerWidth[c], c == wholeColumn ? wholeColumnRoom : 0});
        width[c] = whole[c] ? natural[c] : std::clamp(natural[c], minWidth, maxWidth);
        total += width[c];
    }
    const int available = view->viewport()->width();
    // The first column is the resource's ID, what a person reads a row by: the others give
    // up their room first (down to their header's width), then the ID down to its header's,
    // then (a narrow window) every column down to minWidth.
    const int idWidth = std::min(width.value(0), em * 12);
    for (const int round : {0, 1, 2}) {
        const auto floorOf = [&](int c) {
            if (round == 2)
                return minWidth;
            if (c == 0 && round == 0)
                return std::max(idWidth, minWidth);
            return std::max(minWidth, headerWidth[c]);
        };
        while (total > available) {
            int widest = -1;
            for (int c = 0; c < columns; ++c)
                if (!whole[c] && width[c] > floorOf(c) && (widest < 0 || width[c] > width[widest]))
                    widest = c;
            if (widest < 0)
                break;
            int second = 0;
            for (int c = 0; c < columns; ++c)
                if (c != widest && !whole[c] && width[c] > floorOf(c))
                    second = std::max(second, width[c]);
            // Level the widest down to the next one, so long columns end up alike.
            const int shrink = std::min({width[widest] - floorOf(widest), total - available,
                                         std::max(1, width[widest] - second)});
            width[widest] -= shrink;
            total -= shrink;
        }
    }
    // Room left over goes to the columns whose text is still cut (past the cap), in equal
    // shares up to what each needs, before the last column stretches over the rest: a long
    // display name beat an empty "Last used" column to it otherwise.
    for (int spare = available - total; spare > 0;) {
        QList<int> cut;
        for (int c = 0; c < columns; ++c)
            if (!view->isColumnHidden(c) && width[c] < natural[c])
                cut << c;
        if (cut.isEmpty())
            break;
        const int share = std::max(1, spare / int(cut.size()));
        for (const int c : std::as_const(cut)) {
            const int grow = std::min({share, natural[c] - width[c], spare});
            width[c] += grow;
            spare -= grow;
        }
    }
    return width;
}

bool ResizeWatcher::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize)
        m_timer->start();
    return QObject::eventFilter(watched, event);
}

} // namespace widgets
