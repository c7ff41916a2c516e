#pragma once

#include <QString>
#include <QStringList>

namespace fb::ui {

/// A customer detail's name as a person writes it ("Gate code") to the key the extraction and the core store
/// it under ("gate_code"): lowercase, each run of spaces and punctuation one "_". A key typed as a key stays
/// as it is. Whatever is left is checked as any key (validate::attributeKey).
QString detailKeyFromWords(const QString &words);

/// The detail names the add-a-detail field offers, in words and sorted: the ones close-outs commonly record
/// and `keys` (the customer's own and those on the page).
QStringList knownDetailNames(const QStringList &keys = {});

} // namespace fb::ui
