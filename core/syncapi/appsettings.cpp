#include "syncapi/appsettings.h"

#include <QLocale>
#include <QSettings>

#include <algorithm>

namespace fb {

namespace {

const QString kServerUrlKey = QStringLiteral("sync/serverUrl");
const QString kIntervalKey = QStringLiteral("sync/intervalMinutes");
const QString kCurrencyKey = QStringLiteral("business/currencySymbol");

} // namespace

AppSettings::AppSettings(QObject *parent) : QObject(parent)
{
    load();
}

void AppSettings::load()
{
    const QSettings settings;
    serverUrl = settings.value(kServerUrlKey).toString();
    syncIntervalMinutes = std::clamp(settings.value(kIntervalKey, kDefaultSyncIntervalMinutes).toInt(), 1,
                                     kMaxSyncIntervalMinutes);
    llm = LlmSettings::fromSettings(settings);
    currencySymbol = settings.value(kCurrencyKey).toString().trimmed();
    if (currencySymbol.isEmpty())
        currencySymbol = QLocale().currencySymbol();
}

QString AppSettings::savedCurrencySymbol()
{
    return QSettings().value(kCurrencyKey).toString().trimmed();
}

void AppSettings::save()
{
    QSettings settings;
    settings.setValue(kServerUrlKey, serverUrl);
    settings.setValue(kIntervalKey, syncIntervalMinutes);
    if (const QString symbol = currencySymbol.trimmed(); !symbol.isEmpty())
        settings.setValue(kCurrencyKey, symbol);
    llm.save(settings); // never the key
    settings.sync();
    Q_EMIT updated();
}

} // namespace fb
