#include "detailnames.h"

#include "common/humanize.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace fb::ui {

QString detailKeyFromWords(const QString &words)
{
    QString key = words.trimmed().toLower();
    static const QRegularExpression separators(QStringLiteral("[^a-z0-9]+"));
    key.replace(separators, QStringLiteral("_"));
    while (key.startsWith(QLatin1Char('_')))
        key.remove(0, 1);
    while (key.endsWith(QLatin1Char('_')))
        key.chop(1);
    // Letters the pattern does not know (an accent, another script) leave nothing to store: keep what was
    // typed so the key check names it.
    return key.isEmpty() ? words.trimmed() : key;
}

QStringList knownDetailNames(const QStringList &keys)
{
    // What the extraction's prompt asks for and what technicians record most (see AttributeExtractor).
    static const QStringList common{
        QStringLiteral("dog_name"),
        QStringLiteral("gate_code"),
        QStringLiteral("pet"),
        QStringLiteral("parking"),
        QStringLiteral("ladder_needed"),
        QStringLiteral("ladder_height_ft"),
        QStringLiteral("preferred_day"),
        QStringLiteral("preferred_time"),
        QStringLiteral("property_notes"),
        QStringLiteral("property_details"),
        QStringLiteral("equipment_needed"),
        QStringLiteral("service_preferences"),
        QStringLiteral("access_notes"),
        QStringLiteral("customer_demographic"),
    };
    QSet<QString> seen;
    QStringList names;
    for (const QString &key : common + keys) {
        const QString name = humanizeKey(key);
        if (!name.isEmpty() && !seen.contains(name.toLower())) {
            seen.insert(name.toLower());
            names.append(name);
        }
    }
    std::sort(names.begin(), names.end(),
              [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return names;
}

} // namespace fb::ui
