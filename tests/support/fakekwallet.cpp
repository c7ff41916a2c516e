#include "support/fakekwallet.h"

#include <QDBusConnection>
#include <QDBusError>
#include <QUuid>

namespace fb::test {

namespace {

constexpr int kHandle = 7;

QString entryKey(const QString &folder, const QString &key)
{
    return folder + QLatin1Char('/') + key;
}

} // namespace

FakeKWallet::FakeKWallet(Wallet wallet, QObject *parent) : QObject(parent), m_wallet(wallet)
{
}

FakeKWallet::~FakeKWallet()
{
    if (!m_connection.isEmpty())
        QDBusConnection::disconnectFromBus(m_connection);
}

bool FakeKWallet::registerOn(const QByteArray &address, QString *error)
{
    m_connection = QStringLiteral("fake-kwallet-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QDBusConnection bus = QDBusConnection::connectToBus(QString::fromUtf8(address), m_connection);
    if (!bus.isConnected()) {
        *error = bus.lastError().message();
        return false;
    }
    if (!bus.registerObject(QStringLiteral("/modules/kwalletd5"), this,
                            QDBusConnection::ExportScriptableSlots) ||
        !bus.registerService(QStringLiteral("org.kde.kwalletd5"))) {
        *error = bus.lastError().message();
        return false;
    }
    return true;
}

QString FakeKWallet::networkWallet()
{
    return QStringLiteral("kdewallet");
}

int FakeKWallet::open(const QString &, qlonglong, const QString &)
{
    ++m_opens;
    switch (m_wallet) {
    case Wallet::Opens:
        return kHandle;
    case Wallet::Denies:
        return -1;
    case Wallet::NeverOpens:
        setDelayedReply(true);
        m_unanswered.append(message()); // kept, so that the call stays open
        return 0;
    }
    return -1;
}

int FakeKWallet::entryType(int handle, const QString &folder, const QString &key, const QString &)
{
    // KWallet::EntryType: 0 unknown (no entry), 1 password.
    return handle == kHandle && entries.contains(entryKey(folder, key)) ? 1 : 0;
}

QString FakeKWallet::readPassword(int handle, const QString &folder, const QString &key, const QString &)
{
    return handle == kHandle ? entries.value(entryKey(folder, key)) : QString();
}

QByteArray FakeKWallet::readEntry(int handle, const QString &folder, const QString &key, const QString &)
{
    return handle == kHandle ? entries.value(entryKey(folder, key)).toUtf8() : QByteArray();
}

int FakeKWallet::writePassword(int handle, const QString &folder, const QString &key, const QString &value,
                               const QString &)
{
    if (handle != kHandle)
        return -1;
    entries.insert(entryKey(folder, key), value);
    return 0;
}

int FakeKWallet::removeEntry(int handle, const QString &folder, const QString &key, const QString &)
{
    if (handle != kHandle)
        return -1;
    entries.remove(entryKey(folder, key));
    return 0;
}

} // namespace fb::test
