#pragma once

#include <QDBusContext>
#include <QDBusMessage>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace fb::test {

/// KWallet (org.kde.kwalletd5 at /modules/kwalletd5, interface org.kde.KWallet) on a test's own session bus
/// (PrivateSessionBus): the methods qtkeychain calls, over a map in memory. qtkeychain uses KWallet first
/// when XDG_CURRENT_DESKTOP=KDE and KDE_SESSION_VERSION=5 and the service answers, whatever else the machine
/// has installed, so a child process with that environment and this bus reaches a keychain that works the
/// same on every machine.
class FakeKWallet final : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.kde.KWallet")
    Q_DISABLE_COPY_MOVE(FakeKWallet)

public:
    enum class Wallet
    {
        Opens,      ///< open() gives a handle
        Denies,     ///< open() gives -1: qtkeychain's "Access to keychain denied"
        NeverOpens, ///< open() never answers (a wallet waiting for a password nobody types)
    };

    explicit FakeKWallet(Wallet wallet, QObject *parent = nullptr);
    ~FakeKWallet() override;

    /// Connects to the bus at `address` and takes the service name; false, with the reason, when it cannot.
    bool registerOn(const QByteArray &address, QString *error);

    /// folder + "/" + key → password
    QHash<QString, QString> entries;
    /// open() calls so far, answered or not.
    int opens() const { return m_opens; }

public Q_SLOTS:
    Q_SCRIPTABLE QString networkWallet();
    Q_SCRIPTABLE int open(const QString &wallet, qlonglong wId, const QString &appid);
    Q_SCRIPTABLE int entryType(int handle, const QString &folder, const QString &key, const QString &appid);
    Q_SCRIPTABLE QString readPassword(int handle, const QString &folder, const QString &key,
                                      const QString &appid);
    Q_SCRIPTABLE QByteArray readEntry(int handle, const QString &folder, const QString &key,
                                      const QString &appid);
    Q_SCRIPTABLE int writePassword(int handle, const QString &folder, const QString &key,
                                   const QString &value, const QString &appid);
    Q_SCRIPTABLE int removeEntry(int handle, const QString &folder, const QString &key, const QString &appid);

private:
    Wallet m_wallet;
    QString m_connection;
    int m_opens = 0;
    QList<QDBusMessage> m_unanswered;
};

} // namespace fb::test
