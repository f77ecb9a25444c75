#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPainter>
#include <QPalette>
#include <QProxyStyle>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>

namespace ui {

namespace {

struct Platform
{
    QString style;
    QPalette palette;
};

const Platform &platform()
{
    static const Platform p{QApplication::style()->name(), QApplication::palette()};
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x80, 0x80, 0x80);
    const QColor highlight(0x35, 0x74, 0xf0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    // Links at 4.5:1 or more on both the window and the base (the palette's default blue is
    // about 2:1 on this grey); a visited link a lighter violet, as readable.
    p.setColor(QPalette::Link, QColor(0x7c, 0xb0, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc3, 0x9b, 0xff));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, window.lighter(150));
    p.setColor(QPalette::Midlight, window.lighter(125));
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, window.lighter(130));
    return p;
}

//! The outline of check boxes, radio buttons and input fields in the dark theme. Fusion draws
//! them in the window colour made darker, which on a dark window is all but invisible (an
//! unchecked box was a blank square); this grey stands 3:1 off the window and the base.
const QColor kDarkOutline(0x80, 0x84, 0x8c);

//! Fusion, with the outlines of check boxes, radio buttons and input fields drawn again in a
//! colour that shows on a dark palette. Used for Dark only; Light is Fusion as it is.
class DarkFusionStyle : public QProxyStyle
{
public:
    DarkFusionStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        const bool focused = option->state & State_HasFocus;
        switch (element) {
        case PE_IndicatorCheckBox:
        case PE_IndicatorItemViewItemCheck: {
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing, true);
            painter->setBrush(Qt::NoBrush);
            painter->setPen(outlinePen(option));
            painter->drawRect(QRectF(option->rect).adjusted(0.5, 0.5, -0.5, -0.5));
            painter->restore();
            break;
        }
        case PE_IndicatorRadioButton: {
            // Fusion's circle: centred one pixel right and down, radius half the width less 1.
            const QRect r = option->rect;
            const QPointF centre = QPointF(r.center()) + QPointF(1.0, 1.0);
            const qreal radius = (r.width() + (r.width() + 1) % 2) / 2.0 - 1;
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing, true);
            painter->setBrush(Qt::NoBrush);
            painter->setPen(outlinePen(option));
            painter->drawEllipse(centre, radius, radius);
            painter->restore();
            break;
        }
        case PE_FrameLineEdit:
            if (!focused)
                drawFieldOutline(option->rect, option, painter);
            break;
        default:
            break;
        }
    }

    void drawComplexControl(ComplexControl control, const QStyleOptionComplex *option,
                            QPainter *painter, const QWidget *widget) const override
    {
        QProxyStyle::drawComplexControl(control, option, painter, widget);
        if (control == CC_SpinBox && !(option->state & State_HasFocus)) {
            const auto *spin = qstyleoption_cast<const QStyleOptionSpinBox *>(option);
            if (spin && spin->frame)
                drawFieldOutline(option->rect, option, painter);
        }
    }

private:
    static QPen outlinePen(const QStyleOption *option)
    {
        QColor color = kDarkOutline;
        if (!(option->state & State_Enabled))
            color.setAlpha(110);
        return QPen(color, 1.0);
    }

    static void drawFieldOutline(const QRect &rect, const QStyleOption *option, QPainter *painter)
    {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setBrush(Qt::NoBrush);
        QColor color = kDarkOutline;
        color.setAlpha(option->state & State_Enabled ? 170 : 90); // quieter than a check box
        painter->setPen(QPen(color, 1.0));
        painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        painter->restore();
    }
};

} // namespace

Theme savedTheme()
{
    const QString name = QSettings().value(QStringLiteral("appearance/theme")).toString();
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void saveTheme(Theme theme)
{
    static const char *names[] = {"system", "light", "dark"};
    QSettings().setValue(QStringLiteral("appearance/theme"),
                         QString::fromLatin1(names[int(theme)]));
}

void applyTheme(Theme theme)
{
    const Platform &p = platform();
    switch (theme) {
    case Theme::System:
        QApplication::setStyle(QStyleFactory::create(p.style));
        QApplication::setPalette(p.palette);
        break;
    case Theme::Light: {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    }
    case Theme::Dark:
        QApplication::setStyle(new DarkFusionStyle);
        QApplication::setPalette(darkPalette());
        break;
    }
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QCoreApplication::translate("ui::Theme", "System");
    case Theme::Light:
        return QCoreApplication::translate("ui::Theme", "Light");
    case Theme::Dark:
        return QCoreApplication::translate("ui::Theme", "Dark");
    }
    return {};
}

} // namespace ui
