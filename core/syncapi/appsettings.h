#pragma once

#include "syncapi/llmsettings.h"

#include <QObject>
#include <QString>

namespace fb {

/// The settings a person edits in the settings dialog, as plain data (after Zeal's Core::Settings): the sync
/// server and its interval, and the model. load() reads QSettings, save() writes them and says `updated`;
/// the dialog copies its fields to and from this object and knows nothing of QSettings keys.
///
/// Never a secret: the server password and the model key live in the keychain (SettingsBackend) or in
/// memory for the session. The environment (FIELDBOOK_SERVER_URL, FIELDBOOK_LLM_*) is not applied here:
/// this is what is saved, and what Save writes back.
class AppSettings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppSettings)

public:
    static constexpr int kDefaultSyncIntervalMinutes = 5;
    static constexpr int kMaxSyncIntervalMinutes = 24 * 60;

    /// Loads the saved settings.
    explicit AppSettings(QObject *parent = nullptr);

    /// sync/serverUrl as saved (empty: changes stay on this laptop). Should carry no password.
    QString serverUrl;
    /// sync/intervalMinutes, within 1 .. kMaxSyncIntervalMinutes.
    int syncIntervalMinutes = kDefaultSyncIntervalMinutes;
    /// business/currencySymbol: the currency amounts are shown with ("$", "€", "CHF"). Not saved yet: the
    /// locale's (QLocale::currencySymbol).
    QString currencySymbol;
    /// The currency symbol saved in the settings file, empty when none was saved.
    static QString savedCurrencySymbol();
    /// llm/*: provider, model, base URL and the rest; never the key (LlmSettings::save leaves it out).
    LlmSettings llm;

    void load();
    /// Writes everything to QSettings (synced to disk), then emits updated().
    void save();

Q_SIGNALS:
    void updated();
};

} // namespace fb
