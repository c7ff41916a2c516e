#include "servercredentialstore.h"

#include "keychain.h"

#include <libpq-fe.h>

#include <QHash>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace fb::sync {

namespace {

const keychain::Secret kSecret{QStringLiteral("password"),
                               QStringLiteral("the password comes from ~/.pgpass or PGPASSWORD")};

/// Every option libpq reads from `url` that has a value, in libpq's order; nullopt when it cannot parse it.
/// libpq's reason is dropped: it can quote the URL, password and all.
std::optional<QList<std::pair<QString, QString>>> parsed(const QString &url)
{
    char *error = nullptr;
    const QByteArray text = url.toUtf8();
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(text.constData(), &error), &PQconninfoFree);
    PQfreemem(error);
    if (!options)
        return std::nullopt;
    QList<std::pair<QString, QString>> values;
    for (const PQconninfoOption *option = options.get(); option->keyword; ++option) {
        if (option->val)
            values.append({QString::fromUtf8(option->keyword), QString::fromUtf8(option->val)});
    }
    return values;
}

QString valueOf(const QList<std::pair<QString, QString>> &options, const char *keyword)
{
    for (const auto &[key, value] : options) {
        if (key == QLatin1String(keyword))
            return value;
    }
    return {};
}

bool isUri(const QString &url)
{
    return url.startsWith(QLatin1String("postgres://")) || url.startsWith(QLatin1String("postgresql://"));
}

QString quoted(QString value)
{
    value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    value.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

} // namespace

bool ServerCredentialStore::compiledIn()
{
    return keychain::compiledIn();
}

bool ServerCredentialStore::enabled()
{
    return keychain::enabled();
}

QString ServerCredentialStore::entryFor(const QString &url)
{
    const auto options = parsed(url);
    if (!options || url.trimmed().isEmpty())
        return {};
    QString host = valueOf(*options, "host");
    if (host.isEmpty())
        host = valueOf(*options, "hostaddr");
    return QStringLiteral("server-password-%1@%2:%3/%4")
        .arg(valueOf(*options, "user"), host, valueOf(*options, "port"), valueOf(*options, "dbname"));
}

void ServerCredentialStore::read(const QString &url, std::function<void(Result<QString>)> done,
                                 std::chrono::milliseconds timeout)
{
    const QString entry = entryFor(url);
    if (entry.isEmpty()) {
        QTimer::singleShot(0, [done = std::move(done)] {
            done(Error::validation(QStringLiteral("server_url"), QStringLiteral("is not a PostgreSQL URL")));
        });
        return;
    }
    keychain::read(
        entry,
        [done = std::move(done)](const keychain::Answer &answer) {
            done(keychain::readResult(answer, kSecret));
        },
        timeout);
}

void ServerCredentialStore::write(const QString &url, const QString &password,
                                  std::function<void(Status)> done, std::chrono::milliseconds timeout)
{
    const QString entry = entryFor(url);
    if (entry.isEmpty()) {
        QTimer::singleShot(0, [done = std::move(done)] {
            done(Error::validation(QStringLiteral("server_url"), QStringLiteral("is not a PostgreSQL URL")));
        });
        return;
    }
    keychain::write(
        entry, password,
        [done = std::move(done)](const keychain::Answer &answer) {
            done(keychain::writeResult(answer, kSecret));
        },
        timeout);
}

void ServerCredentialStore::remove(const QString &url, std::function<void(Status)> done,
                                   std::chrono::milliseconds timeout)
{
    const QString entry = entryFor(url);
    if (entry.isEmpty()) {
        QTimer::singleShot(0, [done = std::move(done)] { done({}); });
        return;
    }
    keychain::remove(
        entry,
        [done = std::move(done)](const keychain::Answer &answer) {
            done(keychain::removeResult(answer, kSecret));
        },
        timeout);
}

QString ServerCredentialStore::withoutPassword(const QString &url, QString *password)
{
    if (password)
        password->clear();
    const auto options = parsed(url);
    if (!options)
        return url;
    const QString found = valueOf(*options, "password");
    if (found.isEmpty())
        return url;
    if (password)
        *password = found;
    if (isUri(url)) {
        QUrl parsedUrl(url, QUrl::StrictMode);
        if (parsedUrl.isValid()) {
            parsedUrl.setPassword({});
            QUrlQuery query(parsedUrl);
            query.removeAllQueryItems(QStringLiteral("password"));
            if (query.isEmpty())
                parsedUrl.setQuery(QString()); // null: no "?" left behind
            else
                parsedUrl.setQuery(query);
            return parsedUrl.toString(QUrl::FullyEncoded);
        }
    }
    // A key=value string, or a URL QUrl cannot hold (several hosts): libpq's key=value form of the same
    // options, which libpq reads the same way.
    QStringList parts;
    for (const auto &[key, value] : *options) {
        if (key != QLatin1String("password"))
            parts << key + QLatin1Char('=') + quoted(value);
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace fb::sync
