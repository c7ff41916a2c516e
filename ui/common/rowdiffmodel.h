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
    /// Every row kept is announced as changed (dataChanged over all rows).
    template <typename Row, typename KeyOf> void replaceRows(QList<Row> &rows, QList<Row> fresh, KeyOf keyOf)
    {
        if (!diffRows(rows, fresh, keyOf))
            return;
        rows = std::move(fresh); // same keys in the same order now: take the new values
        if (rows.isEmpty())
            return;
        // Through the base: a list model's columnCount() is private.
        const QAbstractItemModel *model = this;
        Q_EMIT this->dataChanged(this->index(0, 0),
                                 this->index(int(rows.size()) - 1, model->columnCount(QModelIndex()) - 1));
    }

    /// The same, announcing as changed only the kept rows for which `same(old, fresh)` is false (runs of them
    /// together): a list read again after a change elsewhere, with its rows as they were, costs the views
    /// nothing (a table sizing its columns to their contents measures every row of a dataChanged).
    template <typename Row, typename KeyOf, typename Same>
    void replaceRows(QList<Row> &rows, QList<Row> fresh, KeyOf keyOf, Same same)
    {
        if (!diffRows(rows, fresh, keyOf))
            return;
        QList<std::pair<int, int>> changed; // runs of rows, first and last
        for (qsizetype i = 0; i < fresh.size(); ++i) {
            if (same(rows.at(i), fresh.at(i)))
                continue;
            if (!changed.isEmpty() && changed.last().second == int(i) - 1)
                changed.last().second = int(i);
            else
                changed.append({int(i), int(i)});
        }
        rows = std::move(fresh);
        const QAbstractItemModel *model = this;
        const int lastColumn = model->columnCount(QModelIndex()) - 1;
        for (const auto &[first, last] : std::as_const(changed))
            Q_EMIT this->dataChanged(this->index(first, 0), this->index(last, lastColumn));
    }

    /// Replaces the row with `row`'s key by `row`, announcing it changed: a screen's own change shown at
    /// once, before the list is read again. False when no row has that key.
    template <typename Row, typename KeyOf> bool updateRow(QList<Row> &rows, const Row &row, KeyOf keyOf)
    {
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (!(keyOf(rows.at(i)) == keyOf(row)))
                continue;
            rows[i] = row;
            const QAbstractItemModel *model = this;
            Q_EMIT this->dataChanged(this->index(int(i), 0),
                                     this->index(int(i), model->columnCount(QModelIndex()) - 1));
            return true;
        }
        return false;
    }

private:
    /// Removes, moves and inserts rows of `rows` until it has `fresh`'s keys in `fresh`'s order (the rows
    /// kept hold their old values). False when it was a reset instead (nothing to keep): `rows` is `fresh`.
    template <typename Row, typename KeyOf> bool diffRows(QList<Row> &rows, QList<Row> &fresh, KeyOf keyOf)
    {
        if (rows.isEmpty() || fresh.isEmpty()) {
            // Nothing to keep: a reset is cheapest (a first load of many rows).
            this->beginResetModel();
            rows = std::move(fresh);
            this->endResetModel();
            return false;
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
        return true;
    }

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
