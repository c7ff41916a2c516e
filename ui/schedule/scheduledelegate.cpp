#include "scheduledelegate.h"

#include "common/feedback.h"
#include "schedulemodel.h"

#include <QApplication>
#include <QPainter>

namespace fb::ui {

namespace {

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
    BadgeDelegate::paint(painter, option, index);
}

QSize ScheduleDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize size = BadgeDelegate::sizeHint(option, index);
    // A heading spans the row: its text must not widen the first column when it is sized to its contents.
    if (index.data(ScheduleModel::IsDayRole).toBool())
        return {0, size.height()};
    return size;
}

} // namespace fb::ui
