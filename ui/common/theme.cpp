#include "theme.h"

#include <QApplication>
#include <QFont>
#include <QKeySequence>
#include <QPalette>
#include <QStyleFactory>

namespace fb::ui {

ColorScheme systemColorScheme()
{
    const QByteArray forced = qgetenv("FIELDBOOK_THEME").toLower();
    if (forced == "dark")
        return ColorScheme::Dark;
    if (forced == "light")
        return ColorScheme::Light;
    const QColor window = QGuiApplication::palette().color(QPalette::Window);
    return window.lightness() < 128 ? ColorScheme::Dark : ColorScheme::Light;
}

void applyTheme(QApplication &app, ColorScheme scheme)
{
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    // One accent (a calm blue) for selection and focus in both schemes; contrast of text on base >= 7:1.
    if (scheme == ColorScheme::Dark) {
        const QColor window(0x23, 0x27, 0x2e), base(0x1b, 0x1e, 0x23), text(0xe6, 0xe9, 0xee);
        const QColor button(0x2d, 0x32, 0x3a), accent(0x4c, 0x8d, 0xf6);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(0x22, 0x26, 0x2c));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, button);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, button);
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x93, 0x9f));
        p.setColor(QPalette::Highlight, accent);
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x7a, 0xaa, 0xff));
        p.setColor(QPalette::Mid, QColor(0x3a, 0x40, 0x4a));
        p.setColor(QPalette::Dark, QColor(0x15, 0x18, 0x1c));
        p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x4a));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7a, 0x82, 0x8c));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x82, 0x8c));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7a, 0x82, 0x8c));
    } else {
        const QColor window(0xf4, 0xf5, 0xf7), text(0x1f, 0x23, 0x28), accent(0x1f, 0x6f, 0xeb);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfc));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x77, 0x85));
        p.setColor(QPalette::Highlight, accent);
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, accent);
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8a, 0x93, 0x9f));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8a, 0x93, 0x9f));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x8a, 0x93, 0x9f));
    }
    app.setPalette(p);
    app.setProperty("fieldbookDark", scheme == ColorScheme::Dark);
}

QIcon themedIcon(const QString &name)
{
    return QIcon::fromTheme(name, QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
}

QString withShortcut(const QString &text, const QKeySequence &shortcut)
{
    if (shortcut.isEmpty())
        return text;
    return QStringLiteral("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText));
}

} // namespace fb::ui
