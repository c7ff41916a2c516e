#pragma once

#include <QStyledItemDelegate>

namespace fb::ui {

/// Paints the schedule's day headings (bold, on the window colour, across the row) and each ticket's status
/// as a coloured badge; every other cell as usual.
class ScheduleDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace fb::ui
