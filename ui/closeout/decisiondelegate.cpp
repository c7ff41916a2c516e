#include "decisiondelegate.h"

#include "attributereviewmodel.h"

#include <QComboBox>

namespace fb::ui {

DecisionDelegate::DecisionDelegate(QObject *parent) : QStyledItemDelegate(parent)
{
}

QWidget *DecisionDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                        const QModelIndex &index) const
{
    if (index.column() != AttributeReviewModel::DecisionColumn)
        return QStyledItemDelegate::createEditor(parent, option, index);
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("decisionEditor"));
    using Decision = AttributeReviewModel::Decision;
    for (Decision decision : {Decision::Accept, Decision::Edit, Decision::Reject})
        combo->addItem(AttributeReviewModel::decisionLabel(decision), int(decision));
    // A choice is the whole edit: commit it at once instead of waiting for the editor to lose focus.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        auto *self = const_cast<DecisionDelegate *>(this);
        Q_EMIT self->commitData(combo);
        Q_EMIT self->closeEditor(combo);
    });
    return combo;
}

void DecisionDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo) {
        QStyledItemDelegate::setEditorData(editor, index);
        return;
    }
    combo->setCurrentIndex(combo->findData(index.data(Qt::EditRole)));
}

void DecisionDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                    const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo) {
        QStyledItemDelegate::setModelData(editor, model, index);
        return;
    }
    model->setData(index, combo->currentData(), Qt::EditRole);
}

} // namespace fb::ui
