#pragma once

#include <QAbstractItemView>
#include <QKeySequence>
#include <QShortcut>

#include <initializer_list>

class QLabel;
class QTableView;

namespace fb::ui {

// The look and keys the customers screen's lists share.

/// A read-only table of whole rows, one selected at a time, without a grid or row numbers.
QTableView *contactTableView(const char *objectName, QWidget *parent);

/// A bold section heading whose mnemonic focuses `buddy`.
QLabel *sectionLabel(const QString &text, QWidget *buddy, QWidget *parent);

/// Each of `keys` on `view` calls `slot`. A widget shortcut: active only while the view has focus, and the
/// key never travels on to a default button or to another list's shortcut.
template <typename Slot>
void onKeys(QAbstractItemView *view, std::initializer_list<QKeySequence> keys, QObject *context, Slot slot)
{
    for (const QKeySequence &key : keys)
        new QShortcut(key, view, context, slot, Qt::WidgetShortcut);
}

/// Enter and Return on `view` call `slot`.
template <typename Slot> void onEnter(QAbstractItemView *view, QObject *context, Slot slot)
{
    onKeys(view, {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}, context, slot);
}

} // namespace fb::ui
