#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QSet>

#include <utility>

namespace fb::ui {

/// A flat model whose rows have a key (an id): replaceRows() turns "here is the list as it is now" into the
/// removals, moves and insertions that lead there, instead of a reset. Views keep their selection, current
/// row and scroll position when core announces a change and the screen reads its rows again (a row changed by
/// the sync worker updates in place under the technician's cursor).
///
/// Design choice: the screens read a screen's worth of rows again and the model works out what changed,
/// rather than each model patching single rows from the announcement: one code path for the first load and
/// every update, and rows derived from several tables (a contact's last visit) are always right.
template <typename Base> class RowDiffModel : public Base
{
public:
    using Base::Base;

protected:
    /// Makes `rows` equal to `fresh`, announcing each step to the views. Keys are unique within each list.
    template <typename Row, typename KeyOf> void replaceRows(QList<Row> &rows, QList<Row> fresh, KeyOf keyOf)
    {
        if (rows.isEmpty() || fresh.isEmpty()) {
            // Nothing to keep: a reset is cheapest (a first load of many rows).
            this->beginResetModel();
            rows = std::move(fresh);
            this->endResetModel();
            return;
        }
        using Key = decltype(keyOf(fresh.first()));
        QSet<Key> wanted;
        wanted.reserve(fresh.size());
        for (const Row &row : std::as_const(fresh))
            wanted.insert(keyOf(row));
        removeRowsNotIn(rows, wanted, keyOf);

        QSet<Key> present;
        present.reserve(rows.size());
        for (const Row &row : std::as_const(rows))
            present.insert(keyOf(row));
        for (qsizetype i = 0; i < fresh.size(); ++i) {
            const Key key = keyOf(fresh.at(i));
            if (i < rows.size() && keyOf(rows.at(i)) == key)
                continue;
            if (present.contains(key)) {
                moveRowTo(rows, key, i, keyOf);
                continue;
            }
            // A run of new rows: inserted together.
            qsizetype last = i;
            while (last + 1 < fresh.size() && !present.contains(keyOf(fresh.at(last + 1))))
                ++last;
            this->beginInsertRows(QModelIndex(), int(i), int(last));
            for (qsizetype k = i; k <= last; ++k)
                rows.insert(k, fresh.at(k));
            this->endInsertRows();
            i = last;
        }
        rows = std::move(fresh); // same keys in the same order now: take the new values
        if (rows.isEmpty())
            return;
        // Through the base: a list model's columnCount() is private.
        const QAbstractItemModel *model = this;
        Q_EMIT this->dataChanged(this->index(0, 0),
                                 this->index(int(rows.size()) - 1, model->columnCount(QModelIndex()) - 1));
    }

private:
    template <typename Row, typename Key, typename KeyOf>
    void removeRowsNotIn(QList<Row> &rows, const QSet<Key> &wanted, KeyOf keyOf)
    {
        qsizetype last = rows.size() - 1;
        while (last >= 0) {
            if (wanted.contains(keyOf(rows.at(last)))) {
                --last;
                continue;
            }
            qsizetype first = last;
            while (first > 0 && !wanted.contains(keyOf(rows.at(first - 1))))
                --first;
            this->beginRemoveRows(QModelIndex(), int(first), int(last));
            rows.remove(first, last - first + 1);
            this->endRemoveRows();
            last = first - 1;
        }
    }

    template <typename Row, typename Key, typename KeyOf>
    void moveRowTo(QList<Row> &rows, const Key &key, qsizetype to, KeyOf keyOf)
    {
        qsizetype from = to + 1;
        while (from < rows.size() && !(keyOf(rows.at(from)) == key))
            ++from;
        if (from >= rows.size())
            return;
        // Qt's destination is the row before which the moved row lands, counted before the move.
        this->beginMoveRows(QModelIndex(), int(from), int(from), QModelIndex(), int(to));
        rows.move(from, to);
        this->endMoveRows();
    }
};

} // namespace fb::ui
