#include "badgedelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace fb::ui {

namespace {
// The badge's padding, as setBadge's style sheet: 2px by 8px, radius 4px.
constexpr int kPadX = 8;
constexpr int kPadY = 2;
constexpr qreal kRadius = 4;
} // namespace

BadgeDelegate::BadgeDelegate(QObject *parent) : QStyledItemDelegate(parent)
{
}

void BadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const
{
    const QVariant color = index.data(kBadgeColorRole);
    if (!color.canConvert<QColor>() || !color.value<QColor>().isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The cell's own background (selection, a highlighted row) first, without its text.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    QFont font = opt.font;
    font.setWeight(QFont::DemiBold);
    // Fractional widths, rounded up: an integer advance can be a fraction short of the drawn text, and
    // elidedText then cuts a word that fits.
    const QFontMetricsF metrics(font, painter->device());
    const QRect cell = option.rect.adjusted(kPadX / 2, 0, -kPadX / 2, 0);
    const int textWidth = int(std::ceil(metrics.horizontalAdvance(text)));
    const int width = qMin(cell.width(), textWidth + 2 * kPadX);
    const int height = qMin(cell.height() - 2, int(std::ceil(metrics.height())) + 2 * kPadY);
    const QRect badge(cell.left(), cell.top() + (cell.height() - height) / 2, width, height);
    const QString shown = textWidth + 2 * kPadX <= cell.width()
                              ? text
                              : metrics.elidedText(text, Qt::ElideRight, width - 2 * kPadX);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(QRectF(badge), kRadius, kRadius);
    painter->fillPath(path, color.value<QColor>());
    painter->setFont(font);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, shown);
    painter->restore();
}

QSize BadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(kBadgeColorRole).canConvert<QColor>()) {
        QFont font = option.font;
        font.setWeight(QFont::DemiBold);
        const QFontMetricsF metrics(font);
        const int textWidth = int(std::ceil(metrics.horizontalAdvance(index.data().toString())));
        size.setWidth(qMax(size.width(), textWidth + 3 * kPadX));
        size.setHeight(qMax(size.height(), int(std::ceil(metrics.height())) + 2 * kPadY + 4));
    }
    return size;
}

} // namespace fb::ui
