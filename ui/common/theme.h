#pragma once

#include <QIcon>
#include <QKeySequence>
#include <QString>

class QApplication;
class QColor;
class QSize;
class QWidget;

namespace fb::ui {

enum class ColorScheme
{
    Light,
    Dark
};

/// The one look of Fieldbook: the Fusion style with a tuned palette, light or dark. Check boxes and radio
/// buttons get a border of at least 3:1 contrast against the window in both schemes (Fusion's own border is a
/// shade of the window colour: about 1.3:1 in the dark scheme, so an empty box all but disappeared).
///
/// The scheme follows the system: FIELDBOOK_THEME=light|dark forces one; otherwise the platform's own
/// palette (what the desktop theme gives Qt before Fusion replaces it) decides: a dark window colour means
/// dark. Qt 6.4 has no colour-scheme hint yet (QStyleHints::colorScheme is 6.5).
ColorScheme systemColorScheme();
void applyTheme(QApplication &app, ColorScheme scheme);

/// The contrast ratio of two colours (WCAG 2: (L1 + 0.05) / (L2 + 0.05) of their relative luminances), 1
/// to 21.
double contrastRatio(const QColor &a, const QColor &b);

/// Keeps every window on its screen, at any scale (QT_SCALE_FACTOR=2 on a 1366x768 screen leaves 683x384
/// logical pixels): when a main window, dialog or other window is shown, it is shrunk to the screen's
/// available geometry (with room for the window manager's title bar) and moved onto it; if its content cannot
/// shrink that far, the content scrolls: a wizard's pages, a main window's central widget, a dialog's content
/// with its buttons kept below, always reachable. Windows that fit are left exactly as they are. Applied once
/// per application (applyTheme() installs it; installing again does nothing).
void keepWindowsOnScreen(QApplication &app);

/// In every list and table, the first Down selects the first row when no row is selected: Qt makes the
/// first row current, unselected and unseen, when a view takes the focus, so the first Down went to the
/// second row. Applied once per application (applyTheme() installs it).
void selectFirstRowFirst(QApplication &app);

/// `preferred` shrunk to what fits the available geometry of `widget`'s screen, title bar included: the size
/// to open a top-level window at.
QSize sizeWithinScreen(const QWidget *widget, QSize preferred);

/// Room kept for the window manager's frame around a top-level window not yet shown (its frame size is
/// unknown until then): a title bar and borders.
inline constexpr int kFrameAllowanceWidth = 8;
inline constexpr int kFrameAllowanceHeight = 32;

/// The icon named `name` in the desktop's icon theme, else the bundled fallback :/icons/<name>.svg.
QIcon themedIcon(const QString &name);

/// "Text (Ctrl+N)": tooltips show an action's shortcut.
QString withShortcut(const QString &text, const QKeySequence &shortcut);

} // namespace fb::ui
