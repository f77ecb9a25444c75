// State badges are never clipped (label ui): at two font sizes, in a table whose rows are as
// tall as the resource pages make them, every badge is drawn whole inside its cell (its pill
// touches neither the cell's top, bottom nor right edge) and holds its whole text; the
// resource pages' row height holds the delegate's size hint. ctest runs this twice: at
// QT_SCALE_FACTOR=1 (app.badgemetrics) and 2 (app.badgemetrics.scale2), so both are rendered.

#include <client/apiclient.h>
#include <client/networktransport.h>
#include <ui/datasetspage.h>
#include <ui/modelspage.h>
#include <ui/statebadge.h>

#include <QApplication>
#include <QHeaderView>
#include <QImage>
#include <QNetworkAccessManager>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

namespace {

const QStringList kStates = {QStringLiteral("Ready"), QStringLiteral("Creating"),
                             QStringLiteral("Failed"), QStringLiteral("Validating upload"),
                             QStringLiteral("Deleting")};

//! The bounding box, in device pixels, of what differs from the background in `cell`.
QRect inkBox(const QImage &image, const QRect &cell)
{
    const QColor background = image.pixelColor(cell.left() + 1, cell.top() + 1);
    QRect box;
    for (int y = cell.top(); y <= cell.bottom(); ++y)
        for (int x = cell.left(); x <= cell.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            const int d = qAbs(c.red() - background.red()) + qAbs(c.green() - background.green()) +
                          qAbs(c.blue() - background.blue());
            if (d > 60)
                box = box.united(QRect(x, y, 1, 1));
        }
    return box;
}

} // namespace

class BadgeMetricsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badgesFitTheirCells_data()
    {
        QTest::addColumn<int>("pointSize");
        QTest::newRow("9 pt") << 9;
        QTest::newRow("18 pt") << 18;
    }

    void badgesFitTheirCells()
    {
        QFETCH(int, pointSize);
        QFont font = QApplication::font();
        font.setPointSize(pointSize);
        QApplication::setFont(font);

        // The resource pages size their rows from the font when they are built.
        QNetworkAccessManager nam;
        client::NetworkTransport transport(&nam);
        client::ApiClient api(client::ApiClientOptions{}, &transport);
        ui::ModelsPage models(&api);
        ui::DatasetsPage datasets(&api);

        QStandardItemModel model(int(kStates.size()), 2);
        for (int row = 0; row < kStates.size(); ++row) {
            model.setItem(row, 0, new QStandardItem(QStringLiteral("model-%1").arg(row)));
            model.setItem(row, 1, new QStandardItem(kStates.at(row)));
        }
        QTableView view;
        view.setModel(&model);
        view.setFont(font);
        auto *delegate = ui::makeStateBadgeDelegate(&view);
        view.setItemDelegateForColumn(1, delegate);
        view.verticalHeader()->hide();
        view.setShowGrid(false);
        view.setFocusPolicy(Qt::NoFocus);
        for (QTableView *page :
             {models.findChild<QTableView *>(), datasets.findChild<QTableView *>()}) {
            QVERIFY(page);
            QStyleOptionViewItem option;
            option.initFrom(page);
            option.font = page->font();
            const int needed = delegate->sizeHint(option, model.index(0, 1)).height();
            const int rowHeight = page->verticalHeader()->defaultSectionSize();
            QVERIFY2(rowHeight >= needed,
                     qPrintable(QStringLiteral("%1: rows %2 px, badge %3 px")
                                    .arg(page->parentWidget() ? page->parentWidget()->objectName()
                                                              : QString())
                                    .arg(rowHeight)
                                    .arg(needed)));
            view.verticalHeader()->setDefaultSectionSize(rowHeight); // as the pages do
        }
        view.resizeColumnsToContents();
        view.resize(view.horizontalHeader()->length() + 40,
                    view.verticalHeader()->length() + view.horizontalHeader()->height() + 20);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QPixmap shot = view.viewport()->grab();
        const qreal dpr = shot.devicePixelRatio();
        QCOMPARE(dpr, view.devicePixelRatio());
        if (qEnvironmentVariable("QT_SCALE_FACTOR") == QLatin1String("2"))
            QCOMPARE(dpr, 2.0); // the second ctest run really renders at scale 2
        const QImage image = shot.toImage();
        const QFontMetrics fm(font);
        for (int row = 0; row < kStates.size(); ++row) {
            const QRect logical = view.visualRect(model.index(row, 1));
            const QRect cell(qRound(logical.left() * dpr), qRound(logical.top() * dpr),
                             qRound(logical.width() * dpr), qRound(logical.height() * dpr));
            const QRect pill = inkBox(image, cell);
            const QString what = QStringLiteral("%1 at %2 pt, scale %3: cell %4,%5 %6x%7, pill "
                                                "%8,%9 %10x%11")
                                     .arg(kStates.at(row))
                                     .arg(pointSize)
                                     .arg(dpr)
                                     .arg(cell.x())
                                     .arg(cell.y())
                                     .arg(cell.width())
                                     .arg(cell.height())
                                     .arg(pill.x())
                                     .arg(pill.y())
                                     .arg(pill.width())
                                     .arg(pill.height());
            QVERIFY2(pill.isValid(), qPrintable(what));
            // Whole: a margin above, below and to the right of the pill.
            QVERIFY2(pill.top() > cell.top() && pill.bottom() < cell.bottom(), qPrintable(what));
            QVERIFY2(pill.right() < cell.right(), qPrintable(what));
            // Tall enough for a line of text, wide enough for the whole text (not elided).
            QVERIFY2(pill.height() >= fm.height() * dpr - 1, qPrintable(what));
            QVERIFY2(pill.width() >= fm.horizontalAdvance(kStates.at(row)) * dpr, qPrintable(what));
        }
    }
};

QTEST_MAIN(BadgeMetricsTest)
#include "tst_badgemetrics.moc"
