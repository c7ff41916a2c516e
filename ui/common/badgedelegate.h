#pragma once

#include <QStyledItemDelegate>

namespace fb::ui {

/// The item-data role a model fills with a QColor for a cell that reads as a status badge (the cell's
/// DisplayRole is the badge's text).
constexpr int kBadgeColorRole = Qt::UserRole + 100;

/// Paints cells that carry a kBadgeColorRole colour as the same rounded badge setBadge() gives a QLabel, so
/// the lists and the screens show a status alike; other cells are painted as usual.
///
/// Design choice: a delegate rather than a QLabel per row (setIndexWidget): a list of hundreds of invoices
/// stays one view painting text, and sorting and selection keep working.
class BadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BadgeDelegate)

public:
    explicit BadgeDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace fb::ui
