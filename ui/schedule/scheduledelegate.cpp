#include "scheduledelegate.h"

#include "common/feedback.h"
#include "schedulemodel.h"

#include <QApplication>
#include <QPainter>

namespace fb::ui {

namespace {

constexpr int kBadgePadding = kSpacing;
constexpr int kBadgeVerticalMargin = kSpacing / 2;

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

} // namespace

void ScheduleDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    if (index.data(ScheduleModel::IsDayRole).toBool()) {
        // The heading spans the row (QTableView::setSpan), so option.rect is the whole row.
        painter->save();
        painter->fillRect(option.rect, option.palette.color(QPalette::Active, QPalette::Window));
        if (index.data(ScheduleModel::IsCurrentDayRole).toBool()) {
            // The day the page is on (where Left/Right move from and a new ticket goes): an accent bar.
            painter->fillRect(
                QRect(option.rect.left(), option.rect.top(), kSpacing / 2, option.rect.height()),
                option.palette.color(QPalette::Active, QPalette::Highlight));
        }
        painter->setPen(option.palette.color(QPalette::Active, QPalette::WindowText));
        painter->setFont(boldFont(option.font));
        const QRect text = option.rect.adjusted(kSpacing, 0, -kSpacing, 0);
        painter->drawText(
            text, Qt::AlignLeft | Qt::AlignVCenter,
            option.fontMetrics.elidedText(index.data().toString(), Qt::ElideRight, text.width()));
        painter->restore();
        return;
    }
    const QVariant badge = index.data(ScheduleModel::BadgeColorRole);
    if (!badge.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    // The selection and focus background as the style draws it, then the badge on top.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QFont font = boldFont(opt.font);
    const QFontMetrics metrics(font);
    const int width = qMin(metrics.horizontalAdvance(text) + 2 * kBadgePadding, opt.rect.width() - kSpacing);
    const int height = qMin(metrics.height() + kBadgeVerticalMargin, opt.rect.height());
    const QRect pill(opt.rect.left() + kSpacing / 2, opt.rect.center().y() - height / 2 + 1, width, height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(badge.value<QColor>());
    painter->drawRoundedRect(pill, 4, 4);
    painter->setPen(Qt::white); // badgeColor() guarantees white text contrast on every badge colour
    painter->setFont(font);
    painter->drawText(pill, Qt::AlignCenter,
                      metrics.elidedText(text, Qt::ElideRight, pill.width() - kBadgePadding));
    painter->restore();
}

QSize ScheduleDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    // A heading spans the row: its text must not widen the first column when it is sized to its contents.
    if (index.data(ScheduleModel::IsDayRole).toBool())
        return {0, size.height()};
    if (index.data(ScheduleModel::BadgeColorRole).isValid()) {
        const QFontMetrics metrics(boldFont(option.font));
        size.setWidth(metrics.horizontalAdvance(index.data().toString()) + 2 * kBadgePadding + kSpacing);
    }
    return size;
}

} // namespace fb::ui
