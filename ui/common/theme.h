#pragma once

#include <QIcon>
#include <QKeySequence>
#include <QString>

class QApplication;

namespace fb::ui {

enum class ColorScheme
{
    Light,
    Dark
};

/// The one look of Fieldbook: the Fusion style with a tuned palette, light or dark.
///
/// The scheme follows the system: FIELDBOOK_THEME=light|dark forces one; otherwise the platform's own
/// palette (what the desktop theme gives Qt before Fusion replaces it) decides: a dark window colour means
/// dark. Qt 6.4 has no colour-scheme hint yet (QStyleHints::colorScheme is 6.5).
ColorScheme systemColorScheme();
void applyTheme(QApplication &app, ColorScheme scheme);

/// The icon named `name` in the desktop's icon theme, else the bundled fallback :/icons/<name>.svg.
QIcon themedIcon(const QString &name);

/// "Text (Ctrl+N)": tooltips show an action's shortcut.
QString withShortcut(const QString &text, const QKeySequence &shortcut);

} // namespace fb::ui
