#include "syncapi/appsettings.h"

#include <QSettings>

#include <algorithm>

namespace fb {

namespace {

const QString kServerUrlKey = QStringLiteral("sync/serverUrl");
const QString kIntervalKey = QStringLiteral("sync/intervalMinutes");

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
}

void AppSettings::save()
{
    QSettings settings;
    settings.setValue(kServerUrlKey, serverUrl);
    settings.setValue(kIntervalKey, syncIntervalMinutes);
    llm.save(settings); // never the key
    settings.sync();
    Q_EMIT updated();
}

} // namespace fb
