#pragma once

#include "common/fielderror.h"
#include "syncapi/llmsettings.h"

#include <QMap>
#include <QString>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace fb {
class AppSettings;
class SettingsBackend;
} // namespace fb

namespace fb::ui {

class UiContext;

/// The app's settings (issue 6 part 6): the sync server (URL, password, interval) and the model (provider,
/// model, base URL, API key), each with a "Test connection" that never blocks the window; and the business's
/// currency, the one amounts are shown with (issue 15: default the locale's). A value Save refuses is said
/// under its field, in words; Escape with changes asks before discarding them (EditDialog).
///
/// The dialog edits a settings object (AppSettings, core: copied to the fields on open, from them on Save,
/// after Zeal's settings dialog) and asks a SettingsBackend (core's interface, implemented by sync and handed
/// in by app) for everything that needs the network, the keychain or the server URL's rules: it holds no
/// network or keychain code itself, and ui never links sync (issue 13).
///
/// Where things go: AppSettings writes sync/serverUrl, sync/intervalMinutes and the llm/* keys, never a
/// secret. The password and the key go to the platform keychain (through the backend); the fields show
/// whether one is stored but never its text. Without a keychain the dialog says so: a typed secret is used
/// until the app closes, and ~/.pgpass (the password) or the environment (the key) keep one for good. A
/// password typed into the URL is moved out of it before the URL is stored.
///
/// Save writes, then has the backend apply it to the running sync (when there is one): a new server or
/// password restarts its worker, a new interval is set, the model client is made again.
class SettingsDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    /// `settings` and `backend` outlive the dialog.
    SettingsDialog(UiContext &context, AppSettings &settings, SettingsBackend &backend,
                   QWidget *parent = nullptr);
    ~SettingsDialog() override;

public Q_SLOTS:
    void save();
    void testServer();
    void testLlm();

Q_SIGNALS:
    /// After Save wrote everything and applied it (the dialog then closes, unless the keychain refused a
    /// secret: it stays open to say so).
    void saved();
    /// A connection test ended; its result is on the dialog.
    void serverTestFinished(bool ok);
    void llmTestFinished(bool ok);

private:
    QGroupBox *buildServerBox();
    QGroupBox *buildModelBox();
    QGroupBox *buildBusinessBox();
    void showCurrencyExample();
    QDialogButtonBox *buildButtons();
    void connectFields();
    void load();
    void readStoredSecrets();
    void readStoredKey(LlmProvider provider);
    /// The keychain cannot keep the password (`password`) or the key (`key`); empty: not said for that one.
    void keychainUnavailable(const QString &password, const QString &key);
    void showNotes();
    void showProviderDefaults();
    LlmProvider provider() const;
    /// The URL as typed, without a password typed into it; that password in `password`.
    QString typedUrl(QString *password = nullptr) const;
    /// The password the server test and Save use: typed, else the URL's, else the one stored for this
    /// server (empty: libpq looks in ~/.pgpass and PGPASSWORD).
    QString effectivePassword() const;
    /// The model settings as the fields say, with the key they would use.
    LlmSettings typedLlmSettings() const;
    bool validate();
    enum class Secret
    {
        Password,
        Key,
    };
    /// A keychain write answered; `problem` is empty when it kept the secret.
    void secretWritten(Secret which, const QString &problem);
    void finishSave();
    void setServerResult(bool ok, const QString &text);
    void setLlmResult(bool ok, const QString &text);

    UiContext &m_context;
    AppSettings &m_settings;
    SettingsBackend &m_backend;
    QFormLayout *m_serverForm = nullptr;
    QLineEdit *m_serverUrl;
    QLineEdit *m_serverPassword;
    QLabel *m_serverUrlNote;
    QLabel *m_passwordNote;
    QSpinBox *m_interval;
    QPushButton *m_testServer;
    QLabel *m_serverResult;
    QComboBox *m_provider;
    QLineEdit *m_model;
    QLineEdit *m_baseUrl;
    QLineEdit *m_key;
    QLabel *m_keyNote;
    QPushButton *m_testLlm;
    QLabel *m_llmResult;
    QLineEdit *m_currency;
    QLabel *m_currencyExample;
    QPushButton *m_save;
    FieldErrors m_fieldErrors{this};

    /// What was loaded, to tell what Save changes.
    QString m_loadedUrl;
    int m_loadedInterval = 5;
    /// Secrets read from the keychain: kept in memory for the tests and Save, never shown.
    std::optional<QString> m_storedPassword; ///< for m_loadedUrl's server
    QMap<LlmProvider, QString> m_storedKeys;
    bool m_keychainWorks = true; ///< false once the keychain said it cannot be used
    QString m_passwordProblem;   ///< why the keychain cannot keep the password, in the store's words
    QString m_keyProblem;        ///< why it cannot keep the key

    // Save in progress: the keychain writes still to answer, and what they refused.
    int m_pendingWrites = 0;
    QStringList m_writeProblems;
    QString m_savedUrl;
    QString m_savedPassword;

    // Only the latest test's answer counts (a second click, or the dialog closing, drops the first's).
    quint64 m_serverTest = 0;
    quint64 m_llmTest = 0;
};

} // namespace fb::ui
