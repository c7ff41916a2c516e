#pragma once

#include "common/badgedelegate.h"

namespace fb::ui {

/// Paints the schedule's day headings (bold, on the window colour, across the row); ticket rows as any list,
/// the status as a badge (BadgeDelegate).
class ScheduleDelegate final : public BadgeDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleDelegate)

public:
    using BadgeDelegate::BadgeDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace fb::ui
