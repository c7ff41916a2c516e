#pragma once

#include <QStyledItemDelegate>

namespace fb::ui {

/// Edits the review table's decision column with a combo box (Accept, Edit, Reject), from the keyboard (F2,
/// arrows, Enter) or the mouse; the other columns use the default editors.
class DecisionDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DecisionDelegate)

public:
    explicit DecisionDelegate(QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

} // namespace fb::ui
