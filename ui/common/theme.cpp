#include "theme.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFont>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLayout>
#include <QMainWindow>
#include <QPainter>
#include <QPalette>
#include <QPointer>
#include <QProxyStyle>
#include <QScreen>
#include <QScrollArea>
#include <QStyleFactory>
#include <QStyleOption>
#include <QVBoxLayout>
#include <QWizard>

#include <cmath>

namespace fb::ui {

namespace {

/// Fusion, with check box and radio button borders people can see (see applyTheme()).
class FieldbookStyle final : public QProxyStyle
{
public:
    FieldbookStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        if (element != PE_IndicatorCheckBox && element != PE_IndicatorRadioButton)
            return;
        // The border in the placeholder colour, which both palettes keep at >= 4:1 against the window and the
        // base (theme.cpp); a disabled one in the disabled text colour.
        const bool enabled = option->state & State_Enabled;
        const QColor border = enabled ? option->palette.color(QPalette::PlaceholderText)
                                      : option->palette.color(QPalette::Disabled, QPalette::Text);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, element == PE_IndicatorRadioButton);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(border, 1));
        if (element == PE_IndicatorRadioButton) {
            const QRectF circle = QRectF(option->rect).adjusted(1.5, 1.5, -1.5, -1.5);
            painter->drawEllipse(circle);
        } else {
            painter->drawRect(option->rect.adjusted(0, 0, -1, -1));
        }
        painter->restore();
    }
};

double relativeLuminance(const QColor &color)
{
    const auto channel = [](double c) {
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = color.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

/// The part of a window that may scroll when the window does not fit its screen.
void makeScrollable(QWidget *window)
{
    if (window->property("fieldbookScrolls").toBool())
        return;
    window->setProperty("fieldbookScrolls", true);
    const auto scrollArea = [](QWidget *content) {
        auto *area = new QScrollArea;
        area->setObjectName(QStringLiteral("screenFitScroll"));
        area->setFrameShape(QFrame::NoFrame);
        area->setWidgetResizable(true);
        area->setWidget(content);
        return area;
    };
    // Moves `host`'s layout (and with it the widgets it holds) into a scrolling widget inside `host`.
    const auto wrapLayout = [&scrollArea](QWidget *host, bool keepButtonsOutside) {
        QLayout *content = host->layout();
        if (!content)
            return;
        QList<QDialogButtonBox *> buttons;
        if (keepButtonsOutside) {
            for (int i = 0; i < content->count(); ++i) {
                if (auto *box = qobject_cast<QDialogButtonBox *>(content->itemAt(i)->widget()))
                    buttons.append(box);
            }
            for (QDialogButtonBox *box : buttons)
                content->removeWidget(box);
        }
        const QMargins margins = content->contentsMargins();
        auto *inner = new QWidget;
        inner->setLayout(content); // takes the layout off `host`, with its widgets
        auto *outer = new QVBoxLayout(host);
        outer->setContentsMargins(0, 0, 0, buttons.isEmpty() ? 0 : margins.bottom());
        outer->addWidget(scrollArea(inner), 1);
        for (QDialogButtonBox *box : buttons) {
            auto *row = new QHBoxLayout;
            row->setContentsMargins(margins.left(), 0, margins.right(), 0);
            row->addWidget(box);
            outer->addLayout(row);
        }
    };
    if (auto *wizard = qobject_cast<QWizard *>(window)) {
        for (const int id : wizard->pageIds())
            wrapLayout(wizard->page(id), false);
        // QWizard sets its own minimum size from its pages' layouts when its layout is redone.
        QEvent styleChange(QEvent::StyleChange);
        QCoreApplication::sendEvent(wizard, &styleChange);
    } else if (auto *main = qobject_cast<QMainWindow *>(window)) {
        if (QWidget *central = main->takeCentralWidget())
            main->setCentralWidget(scrollArea(central));
    } else {
        wrapLayout(window, true);
    }
    window->setMinimumSize(0, 0);
    if (QLayout *layout = window->layout())
        layout->activate();
}

/// Fits each main window and dialog to its screen when it is shown (keepWindowsOnScreen()).
class ScreenFit final : public QObject
{
public:
    using QObject::QObject;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Show && watched->isWidgetType()) {
            auto *widget = static_cast<QWidget *>(watched);
            // Main windows, dialogs and windows of their own (the first start's), not popups or tool tips; a
            // maximized or full-screen window is sized by the window manager already.
            const Qt::WindowType type = widget->windowType();
            if (widget->isWindow() && (type == Qt::Window || type == Qt::Dialog) &&
                !(widget->windowState() & (Qt::WindowMaximized | Qt::WindowFullScreen)))
                fit(widget);
        }
        return false;
    }

private:
    static void fit(QWidget *window)
    {
        const QScreen *screen = window->screen();
        if (!screen)
            return;
        const QRect available = screen->availableGeometry();
        // The frame: as the window manager drew it once shown, else room for a title bar and borders.
        QSize frame = window->frameGeometry().size() - window->geometry().size();
        if (frame.width() <= 0 && frame.height() <= 0)
            frame = QSize(kFrameAllowanceWidth, kFrameAllowanceHeight);
        const QSize room = available.size() - frame;
        if (window->width() <= room.width() && window->height() <= room.height() &&
            available.contains(window->frameGeometry()))
            return;
        QSize needed = window->minimumSizeHint().expandedTo(window->minimumSize());
        if (needed.width() > room.width() || needed.height() > room.height()) {
            makeScrollable(window);
            needed = window->minimumSizeHint().expandedTo(window->minimumSize());
        }
        window->resize(window->size().boundedTo(room).expandedTo(needed));
        // Onto the screen: the top-left corner kept inside, the frame included.
        const QSize outer = window->size() + frame;
        QPoint corner = window->frameGeometry().topLeft();
        corner.setX(std::clamp(corner.x(), available.left(),
                               std::max(available.left(), available.right() + 1 - outer.width())));
        corner.setY(std::clamp(corner.y(), available.top(),
                               std::max(available.top(), available.bottom() + 1 - outer.height())));
        window->move(corner);
    }
};

/// selectFirstRowFirst().
class FirstRowFirst final : public QObject
{
public:
    using QObject::QObject;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::KeyPress)
            return false;
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() != Qt::Key_Down || key->modifiers() != Qt::NoModifier)
            return false;
        auto *view = qobject_cast<QAbstractItemView *>(watched);
        if (!view || !view->model() || !view->selectionModel() ||
            view->selectionMode() == QAbstractItemView::NoSelection || view->selectionModel()->hasSelection())
            return false;
        // No current row, or the first one made current unseen on focus: a current row further down (a row
        // deselected with Ctrl+click) is the user's place, and Down goes on from it.
        const QModelIndex current = view->currentIndex();
        if (current.isValid() && current.row() != 0)
            return false;
        const QModelIndex first = view->model()->index(0, std::max(0, current.column()), view->rootIndex());
        if (!first.isValid())
            return false;
        view->setCurrentIndex(first); // selects it as a click would (rows in a row-selecting view)
        view->scrollTo(first);
        return true;
    }
};

} // namespace

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
    app.setStyle(new FieldbookStyle);
    keepWindowsOnScreen(app);
    selectFirstRowFirst(app);
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

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void keepWindowsOnScreen(QApplication &app)
{
    if (app.findChild<ScreenFit *>(QStringLiteral("fieldbookScreenFit"), Qt::FindDirectChildrenOnly))
        return;
    auto *fit = new ScreenFit(&app);
    fit->setObjectName(QStringLiteral("fieldbookScreenFit"));
    app.installEventFilter(fit);
}

void selectFirstRowFirst(QApplication &app)
{
    if (app.findChild<FirstRowFirst *>(QStringLiteral("fieldbookFirstRowFirst"), Qt::FindDirectChildrenOnly))
        return;
    auto *filter = new FirstRowFirst(&app);
    filter->setObjectName(QStringLiteral("fieldbookFirstRowFirst"));
    app.installEventFilter(filter);
}

QSize sizeWithinScreen(const QWidget *widget, QSize preferred)
{
    const QScreen *screen = widget->screen();
    if (!screen)
        return preferred;
    const QSize room =
        screen->availableGeometry().size() - QSize(kFrameAllowanceWidth, kFrameAllowanceHeight);
    return preferred.boundedTo(room);
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
