#include "icons.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QRegularExpression>
#include <QSvgRenderer>

namespace ui::icons {

namespace {

QString bundledPath(const QString &name)
{
    return QStringLiteral(":/firedeck/icons/%1.svg").arg(name);
}

//! Draws a symbolic SVG in the colour the palette gives the icon's mode, or the desktop
//! theme's icon of the same name while the palette is light. Adwaita's symbolic icons are
//! one grey (#2e3436) meant to be recoloured; drawn as they are they vanish on a dark
//! window. The desktop theme's icons have no such guarantee on a dark palette that the app
//! chose itself (Settings → Dark on a light desktop), so the bundled ones are used there.
class SymbolicIconEngine : public QIconEngine
{
public:
    explicit SymbolicIconEngine(const QString &name)
        : m_name(name), m_desktop(QIcon::fromTheme(name))
    {
        QFile file(bundledPath(name));
        if (file.open(QIODevice::ReadOnly))
            m_svg = file.readAll();
    }

    QIconEngine *clone() const override { return new SymbolicIconEngine(*this); }
    QString key() const override { return QStringLiteral("FiredeckSymbolic"); }
    QString iconName() override { return m_name; }
    bool isNull() override { return m_svg.isEmpty() && m_desktop.isNull(); }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal scale = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        painter->drawPixmap(rect, scaledPixmap(rect.size() * scale, mode, state, scale));
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    //! `size` is in device pixels: Qt 6.4's QIcon::pixmap(size, dpr) passes size * dpr.
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override
    {
        const QPalette palette = QApplication::palette();
        const bool darkWindow = palette.color(QPalette::Window).lightness() < 128;
        if (!m_desktop.isNull() && (!darkWindow || m_svg.isEmpty()))
            return m_desktop.pixmap(size / scale, scale, mode, state);
        if (m_svg.isEmpty())
            return {};
        const QColor color = colorFor(palette, mode);
        const QString cacheKey = QStringLiteral("%1x%2@%3 %4")
                                     .arg(size.width())
                                     .arg(size.height())
                                     .arg(scale)
                                     .arg(color.name(QColor::HexArgb));
        if (const auto it = m_cache.constFind(cacheKey); it != m_cache.constEnd())
            return *it;
        QPixmap pixmap = render(size, scale, color);
        if (m_cache.size() > 32) // sizes and colours seen so far; a theme switch adds a few
            m_cache.clear();
        m_cache.insert(cacheKey, pixmap);
        return pixmap;
    }

private:
    static QColor colorFor(const QPalette &palette, QIcon::Mode mode)
    {
        switch (mode) {
        case QIcon::Disabled:
            return palette.color(QPalette::Disabled, QPalette::WindowText);
        case QIcon::Selected:
            return palette.color(QPalette::Active, QPalette::HighlightedText);
        case QIcon::Normal:
        case QIcon::Active:
            break;
        }
        return palette.color(QPalette::Active, QPalette::WindowText);
    }

    QPixmap render(const QSize &size, qreal scale, const QColor &color) const
    {
        // Symbolic icons are one colour by design: every fill becomes the palette's.
        static const QRegularExpression fill(QStringLiteral("fill=\"#[0-9a-fA-F]{3,6}\""));
        QString text = QString::fromUtf8(m_svg);
        text.replace(fill, QStringLiteral("fill=\"%1\"").arg(color.name(QColor::HexRgb)));
        QSvgRenderer renderer(text.toUtf8());
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        {
            QPainter p(&pixmap);
            p.setRenderHint(QPainter::Antialiasing);
            p.setOpacity(color.alphaF());
            renderer.render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
        }
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }

    QString m_name;
    QIcon m_desktop;
    QByteArray m_svg;
    QHash<QString, QPixmap> m_cache;
};

//! Renders a full-colour SVG (the application icon) at any size without the SVG icon plugin,
//! so the package needs no plugin that dpkg-shlibdeps cannot see.
class SvgIconEngine : public QIconEngine
{
public:
    explicit SvgIconEngine(const QString &path) : m_path(path) {}

    QIconEngine *clone() const override { return new SvgIconEngine(*this); }
    QString key() const override { return QStringLiteral("FiredeckSvg"); }
    bool isNull() override { return !QFile::exists(m_path); }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal scale = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        painter->drawPixmap(rect, scaledPixmap(rect.size() * scale, mode, state, scale));
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode, QIcon::State, qreal scale) override
    {
        QSvgRenderer renderer(m_path);
        QPixmap pixmap(size); // device pixels, as above
        pixmap.fill(Qt::transparent);
        {
            QPainter p(&pixmap);
            p.setRenderHint(QPainter::Antialiasing);
            renderer.render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
        }
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override
    {
        return {QSize(16, 16), QSize(32, 32),   QSize(48, 48),
                QSize(64, 64), QSize(128, 128), QSize(256, 256)};
    }

private:
    QString m_path;
};

} // namespace

QIcon themed(const QString &name)
{
    return QIcon(new SymbolicIconEngine(name));
}

QString nameForPage(const QString &pageId)
{
    static const QHash<QString, QString> names = {
        {QStringLiteral("overview"), QStringLiteral("view-grid")},
        {QStringLiteral("models"), QStringLiteral("applications-science")},
        {QStringLiteral("datasets"), QStringLiteral("x-office-spreadsheet")},
        {QStringLiteral("deployments"), QStringLiteral("network-server")},
        {QStringLiteral("apikeys"), QStringLiteral("dialog-password")},
        {QStringLiteral("secrets"), QStringLiteral("changes-prevent")},
        {QStringLiteral("settings"), QStringLiteral("preferences-system")},
    };
    if (const auto it = names.constFind(pageId); it != names.constEnd())
        return *it;
    // Pages still being written (training monitor, playground, dataset wizard) by the words
    // their ids are likely to contain; anything else gets the generic list icon.
    if (pageId.contains(QLatin1String("train")) || pageId.contains(QLatin1String("job")))
        return QStringLiteral("system-run");
    if (pageId.contains(QLatin1String("play")) || pageId.contains(QLatin1String("chat")))
        return QStringLiteral("chat-message-new");
    if (pageId.contains(QLatin1String("local")))
        return QStringLiteral("computer");
    if (pageId.contains(QLatin1String("wizard")))
        return QStringLiteral("accessories-text-editor");
    return QStringLiteral("view-list");
}

QString nameForAction(Action action)
{
    switch (action) {
    case Action::New:
        return QStringLiteral("document-new");
    case Action::Upload:
        return QStringLiteral("document-send");
    case Action::Edit:
        return QStringLiteral("document-edit");
    case Action::Delete:
        return QStringLiteral("edit-delete");
    case Action::Undelete:
        return QStringLiteral("edit-undo");
    case Action::Refresh:
        return QStringLiteral("view-refresh");
    case Action::Download:
    case Action::Save:
        return QStringLiteral("document-save");
    case Action::Deploy:
    case Action::Resume:
        return QStringLiteral("media-playback-start");
    case Action::Scale:
        return QStringLiteral("document-properties");
    case Action::Copy:
        return QStringLiteral("edit-copy");
    case Action::Open:
        return QStringLiteral("document-open");
    case Action::Cancel:
        return QStringLiteral("process-stop");
    case Action::Compare:
        return QStringLiteral("view-dual");
    case Action::Preview:
        return QStringLiteral("view-reveal");
    case Action::Browse:
        return QStringLiteral("folder-open");
    case Action::Load:
        return QStringLiteral("list-add");
    case Action::Unload:
    case Action::Remove:
        return QStringLiteral("list-remove");
    case Action::Wizard:
        return QStringLiteral("accessories-text-editor");
    case Action::Playground:
        return nameForPage(QStringLiteral("playground"));
    }
    return {};
}

QIcon forAction(Action action)
{
    return themed(nameForAction(action));
}

void setActionIcon(QAction *action, Action identity)
{
    action->setIcon(forAction(identity));
}

QIcon application()
{
    return QIcon(new SvgIconEngine(QStringLiteral(":/firedeck/firedeck.svg")));
}

bool isBundled(const QString &name)
{
    return QFile::exists(bundledPath(name));
}

} // namespace ui::icons
