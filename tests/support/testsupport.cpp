#include "support/testsupport.h"

#include "db/schema.h"

#include <QAtomicInt>
#include <QFile>
#include <QTest>

#include <sqlite3.h>

namespace fb::test {

qint64 sqliteMemoryCounted()
{
    return sqlite3_memory_used();
}

QString uniqueConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("test-%1").arg(counter.fetchAndAddRelaxed(1));
}

bool createDatabaseAtVersion(const QString &path, int version)
{
    sqlite3 *db = nullptr;
    bool ok = sqlite3_open(QFile::encodeName(path).constData(), &db) == SQLITE_OK;
    for (const schema::Migration &migration : schema::bundledMigrations()) {
        if (!ok || migration.version > version)
            break;
        QFile file(migration.file);
        const QByteArray script = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        const QByteArray step = QByteArrayLiteral("BEGIN;") + script +
                                QByteArrayLiteral(";PRAGMA user_version = ") +
                                QByteArray::number(migration.version) + QByteArrayLiteral(";COMMIT;");
        ok = !script.isEmpty() && sqlite3_exec(db, step.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
        if (!ok)
            qWarning("migration %s: %s", qPrintable(migration.file), sqlite3_errmsg(db));
    }
    sqlite3_close(db);
    return ok;
}

CoreFixture::CoreFixture(LlmClient *llm)
{
    if (!m_dir.isValid())
        qFatal("cannot create a temporary directory");
    auto core = Core::open(path(), uniqueConnectionName(), llm);
    if (!core)
        qFatal("cannot open the test database: %s", qPrintable(core.error().toString()));
    m_core = std::move(core).value();
    auto alice =
        m_core->users.create({QStringLiteral("Alice Able"), QStringLiteral("alice@example.com"), {}});
    if (!alice)
        qFatal("cannot create Alice: %s", qPrintable(alice.error().toString()));
    m_alice = alice->id;
    if (auto selected = m_core->setCurrentUser(m_alice); !selected)
        qFatal("cannot select Alice: %s", qPrintable(selected.error().toString()));
}

QString CoreFixture::path() const
{
    return m_dir.filePath(QStringLiteral("fieldbook.db"));
}

QUuid CoreFixture::addUser(const QString &name, const QString &email)
{
    auto user = m_core->users.create({name, email, {}});
    if (!user)
        qFatal("cannot create %s: %s", qPrintable(name), qPrintable(user.error().toString()));
    return user->id;
}

CoreFixture::Customer CoreFixture::addCustomer(const QString &name)
{
    auto contact = m_core->contacts.create(
        {name, QStringLiteral("margaret@example.com"), QStringLiteral("555-0100"), std::nullopt});
    if (!contact)
        qFatal("cannot create a contact: %s", qPrintable(contact.error().toString()));
    AddressCreate address;
    address.contactId = contact->id;
    address.label = QStringLiteral("Home");
    address.street = QStringLiteral("12 Elm Street");
    address.city = QStringLiteral("Springfield");
    address.state = QStringLiteral("IL");
    address.zip = QStringLiteral("62701");
    auto created = m_core->addresses.create(address);
    if (!created)
        qFatal("cannot create an address: %s", qPrintable(created.error().toString()));
    return {*contact, *created};
}

std::unique_ptr<Core> CoreFixture::reopen(LlmClient *llm) const
{
    auto core = Core::open(path(), uniqueConnectionName(), llm);
    if (!core)
        qFatal("cannot reopen the test database: %s", qPrintable(core.error().toString()));
    return std::move(core).value();
}

qint64 scalar(CoreFixture &f, const QString &sql, const QVariantList &values)
{
    auto query = f->db().exec(sql, values);
    if (!query || !query->next())
        qFatal("query failed: %s", qPrintable(sql));
    return query->value(0).toLongLong();
}

int announced(const QSignalSpy &spy, const QString &entityType)
{
    int count = 0;
    for (const QList<QVariant> &arguments : spy)
        count += arguments.at(0).value<ChangeSet>().touchesAny({entityType}) ? 1 : 0;
    return count;
}

} // namespace fb::test
