#include "serverurl.h"

#include <libpq-fe.h>

#include <QHostAddress>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QUtf8StringView>

#include <algorithm>
#include <memory>
#include <optional>

namespace fb::sync {

namespace {

const QString kExample = QStringLiteral("postgresql://login@host:5432/database");

/// The connection parameters libpq takes in a URL's query: every keyword it knows, and "ssl" (ssl=true is
/// sslmode=require in a URL).
const QSet<QByteArray> &knownParameters()
{
    static const QSet<QByteArray> names = [] {
        QSet<QByteArray> set{QByteArrayLiteral("ssl")};
        char *error = nullptr;
        // An empty string parses to every option libpq knows, without reading the environment.
        std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse("", &error),
                                                                             &PQconninfoFree);
        PQfreemem(error);
        for (const PQconninfoOption *option = options.get(); option && option->keyword; ++option)
            set.insert(QByteArray(option->keyword));
        return set;
    }();
    return names;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isSpaceOrControl(char c)
{
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
}

/// `part` percent-decoded as libpq decodes it, or an empty optional with `problem` saying (naming `where`,
/// quoting nothing) why libpq would refuse it or read it otherwise than meant.
std::optional<QByteArray> decoded(const QByteArray &part, const QString &where, QString &problem)
{
    QByteArray out;
    out.reserve(part.size());
    for (qsizetype i = 0; i < part.size(); ++i) {
        const char c = part.at(i);
        if (isSpaceOrControl(c)) {
            problem =
                QStringLiteral("has a space or a control character in %1: write a space as %20").arg(where);
            return std::nullopt;
        }
        if (c == '#') {
            problem = QStringLiteral("has a '#' in %1: write it as %23").arg(where);
            return std::nullopt;
        }
        if (c != '%') {
            out.append(c);
            continue;
        }
        if (i + 2 >= part.size() || !isHexDigit(part.at(i + 1)) || !isHexDigit(part.at(i + 2))) {
            problem =
                QStringLiteral("has a '%' in %1 that is not followed by two hexadecimal digits: write a "
                               "'%' itself as %25")
                    .arg(where);
            return std::nullopt;
        }
        const char byte = char(part.mid(i + 1, 2).toInt(nullptr, 16));
        if (byte == 0) {
            // Not arg(): "%00" would be taken for a place marker.
            problem = QStringLiteral("has %00 (a zero byte) in ") + where +
                      QStringLiteral(", which PostgreSQL cannot take");
            return std::nullopt;
        }
        out.append(byte);
        i += 2;
    }
    if (!QUtf8StringView(out).isValidUtf8()) {
        problem = QStringLiteral("has percent-encoded bytes in %1 that are not UTF-8 text").arg(where);
        return std::nullopt;
    }
    return out;
}

/// What is wrong with one host[:port] of the host list, or empty.
QString hostProblem(const QByteArray &host)
{
    QByteArray portPart;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return QStringLiteral("has a '[' before the host without its closing ']'");
        const QByteArray address = host.mid(1, close - 1);
        if (address.isEmpty())
            return QStringLiteral("has nothing between '[' and ']', where an IPv6 address goes");
        QHostAddress parsed;
        if (!parsed.setAddress(QString::fromLatin1(address)) ||
            parsed.protocol() != QAbstractSocket::IPv6Protocol)
            return QStringLiteral("has something between '[' and ']' that is not an IPv6 address");
        portPart = host.mid(close + 1);
        if (!portPart.isEmpty() && !portPart.startsWith(':'))
            return QStringLiteral("has something after the ']' of the IPv6 address: only ':port' may follow");
    } else {
        if (host.count(':') > 1)
            return QStringLiteral("has an IPv6 address without brackets: write it as [::1] or [::1]:5432");
        const qsizetype colon = host.indexOf(':');
        const QByteArray name = colon < 0 ? host : host.left(colon);
        portPart = colon < 0 ? QByteArray() : host.mid(colon);
        if (name.isEmpty())
            return QStringLiteral("names no host before the ':port': write %1").arg(kExample);
        if (name.contains(']'))
            return QStringLiteral("has a ']' in the host without an opening '['");
        QString problem;
        if (!decoded(name, QStringLiteral("the host"), problem))
            return problem;
        for (const char c : name) {
            const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                 c == '.' || c == '-' || c == '_' || c == '~' || c == '%' ||
                                 static_cast<unsigned char>(c) >= 0x80;
            if (!allowed)
                return QStringLiteral("has a character in the host that a host name cannot have (letters, "
                                      "digits, '.', '-' and '_'; an IPv6 address goes between '[' and ']')");
        }
    }
    if (portPart.isEmpty())
        return {};
    const QByteArray port = portPart.mid(1);
    if (port.isEmpty())
        return QStringLiteral("has a ':' after the host but no port number");
    const bool digits = std::all_of(port.cbegin(), port.cend(), [](char c) { return c >= '0' && c <= '9'; });
    const int number = digits && port.size() <= 5 ? port.toInt() : 0;
    if (number < 1 || number > 65535)
        return QStringLiteral("has a port that is not a number from 1 to 65535");
    return {};
}

/// `text` with valid %XX sequences decoded and anything else kept as it is.
QString leniently(const QString &text)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text.toUtf8()));
}

} // namespace

Status ServerUrl::check(const QString &url, const QString &field)
{
    const auto refuse = [&field](const QString &message) -> Status {
        return Error::validation(field, message);
    };
    if (url.trimmed().isEmpty())
        return refuse(QStringLiteral("is empty: type the server's URL, such as %1").arg(kExample));
    if (url.size() > kMaxLength)
        return refuse(QStringLiteral("is longer than %1 characters").arg(kMaxLength));
    if (url.trimmed() != url)
        return refuse(QStringLiteral("starts or ends with a space or a line break"));
    const QByteArray text = url.toUtf8();
    qsizetype prefix = 0;
    for (const QByteArray &scheme : {QByteArrayLiteral("postgresql://"), QByteArrayLiteral("postgres://")}) {
        if (text.startsWith(scheme))
            prefix = scheme.size();
    }
    if (prefix == 0) {
        if (!text.contains("://") && text.contains('='))
            return refuse(
                QStringLiteral("must be a postgresql:// URL, not a key=value connection string: write "
                               "it as %1")
                    .arg(kExample));
        return refuse(QStringLiteral("must be a postgresql:// URL, such as %1").arg(kExample));
    }
    const QByteArray rest = text.mid(prefix);

    // libpq: the userinfo ends at the first '@' before any '/'; the hosts end at the first '/' or '?'.
    const qsizetype slash = rest.indexOf('/');
    const QByteArray beforeSlash = slash < 0 ? rest : rest.left(slash);
    const qsizetype at = beforeSlash.indexOf('@');
    QByteArray afterUserinfo = rest;
    QString problem;
    if (at >= 0) {
        if (beforeSlash.indexOf('@', at + 1) >= 0)
            return refuse(
                QStringLiteral("has more than one '@' before the host: write an '@' in the login or "
                               "password as %40"));
        const QByteArray userinfo = beforeSlash.left(at);
        if (userinfo.contains('?'))
            return refuse(
                QStringLiteral("has a '?' before the '@': write a '?' in the login or password as %3F"));
        const qsizetype colon = userinfo.indexOf(':');
        if (!decoded(colon < 0 ? userinfo : userinfo.left(colon), QStringLiteral("the login"), problem))
            return refuse(problem);
        if (colon >= 0 && !decoded(userinfo.mid(colon + 1), QStringLiteral("the password"), problem))
            return refuse(problem);
        afterUserinfo = rest.mid(at + 1);
    }
    qsizetype hostsEnd = afterUserinfo.size();
    for (const char end : {'/', '?'}) {
        const qsizetype found = afterUserinfo.indexOf(end);
        if (found >= 0)
            hostsEnd = std::min(hostsEnd, found);
    }
    const QByteArray hosts = afterUserinfo.left(hostsEnd);
    const QByteArray tail = afterUserinfo.mid(hostsEnd);
    const qsizetype question = tail.indexOf('?');
    const QByteArray path =
        tail.startsWith('/') ? tail.mid(1, question < 0 ? -1 : question - 1) : QByteArray();
    const QByteArray query = question < 0 ? QByteArray() : tail.mid(question + 1);

    // A '/' in a password ends libpq's userinfo early: the rest of the password and its '@' land in the path
    // or the query. (An '@' of a query value must be written %40 too, then.)
    if (tail.contains('@'))
        return refuse(QStringLiteral("has an '@' after a '/' or '?': write a '/', '?' or '#' in the login or "
                                     "password as %2F, %3F or %23 (and an '@' as %40)"));

    bool hostInQuery = false;
    if (!query.isEmpty()) {
        const QList<QByteArray> parameters = query.split('&');
        for (const QByteArray &parameter : parameters) {
            if (parameter.isEmpty())
                return refuse(QStringLiteral("has an empty query parameter (a stray '&')"));
            const qsizetype equals = parameter.indexOf('=');
            if (equals < 0)
                return refuse(QStringLiteral("has a query parameter without '=' (an unfinished query): write "
                                             "?name=value&name=value"));
            const QByteArray value = parameter.mid(equals + 1);
            if (value.contains('='))
                return refuse(QStringLiteral("has a second '=' in a query parameter: write an '=' in a value "
                                             "as %3D"));
            const auto name =
                decoded(parameter.left(equals), QStringLiteral("a query parameter's name"), problem);
            if (!name)
                return refuse(problem);
            if (!knownParameters().contains(*name)) {
                static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
                const QString shown = QString::fromUtf8(*name);
                if (identifier.match(shown).hasMatch())
                    return refuse(QStringLiteral("has the query parameter '%1', which is not a PostgreSQL "
                                                 "connection parameter")
                                      .arg(shown));
                return refuse(
                    QStringLiteral("has a query parameter whose name is not a PostgreSQL connection "
                                   "parameter"));
            }
            const QString where = *name == "password"
                                      ? QStringLiteral("the password")
                                      : QStringLiteral("the value of '%1'").arg(QString::fromUtf8(*name));
            if (!decoded(value, where, problem))
                return refuse(problem);
            if (*name == "host" || *name == "hostaddr" || *name == "service")
                hostInQuery = true;
        }
    }

    if (hosts.isEmpty()) {
        if (!hostInQuery)
            return refuse(QStringLiteral("names no host: write %1").arg(kExample));
    } else {
        for (const QByteArray &host : hosts.split(',')) {
            if (host.isEmpty())
                return refuse(QStringLiteral("has an empty host in its list of hosts"));
            if (const QString wrong = hostProblem(host); !wrong.isEmpty())
                return refuse(wrong);
        }
    }
    if (!decoded(path, QStringLiteral("the database name"), problem))
        return refuse(problem);
    return {};
}

QString ServerUrl::scrub(QString text, const QString &url, const QStringList &passwords)
{
    QStringList typed = passwords;
    const qsizetype scheme = url.indexOf(QLatin1String("://"));
    const QString rest = scheme < 0 ? url : url.mid(scheme + 3);
    // A URL that passes check() splits one way only, libpq's. One that does not may be split otherwise by
    // whatever quotes it, so every split counts, and so does each piece of its password between the
    // delimiters typed raw in it ("SeCrEt" of "SeCrEt/TaIl", which libpq reads as a port).
    const bool wellFormed = check(url).ok();
    static const QRegularExpression delimiters(QStringLiteral("[@/?#]"));
    // The password only: the login is no secret, and errors name it ("password authentication failed for user
    // ...").
    const auto addUserinfo = [&](const QString &userinfo) {
        const qsizetype colon = userinfo.indexOf(QLatin1Char(':'));
        if (colon < 0)
            return;
        const QString password = userinfo.mid(colon + 1);
        typed << password;
        if (!wellFormed)
            typed << password.split(delimiters, Qt::SkipEmptyParts);
    };
    // libpq's userinfo ends at the first '@' before any '/'.
    const QString beforeSlash = rest.section(QLatin1Char('/'), 0, 0);
    if (const qsizetype at = beforeSlash.indexOf(QLatin1Char('@')); at >= 0)
        addUserinfo(beforeSlash.left(at));
    if (!wellFormed) {
        // A browser's at the last '@' before any '/', '?' or '#'; a greedy reader's at the last '@' of all.
        static const QRegularExpression authorityEnd(QStringLiteral("[/?#]"));
        const QString authority = rest.left(rest.indexOf(authorityEnd));
        if (const qsizetype at = authority.lastIndexOf(QLatin1Char('@')); at >= 0)
            addUserinfo(authority.left(at));
        if (const qsizetype at = rest.lastIndexOf(QLatin1Char('@')); at >= 0)
            addUserinfo(rest.left(at));
    }
    // A password= parameter, in a URL's query or a key=value string.
    static const QRegularExpression parameter(
        QStringLiteral("(?:^|[?&\\s])password\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'?|[^&\\s]*)"));
    for (auto match = parameter.globalMatch(url); match.hasNext();) {
        const QString value = match.next().captured(1);
        typed << value;
        if (value.startsWith(QLatin1Char('\''))) {
            QString inner =
                value.mid(1).chopped(value.endsWith(QLatin1Char('\'')) && value.size() > 1 ? 1 : 0);
            typed << inner;
            inner.replace(QLatin1String("\\'"), QLatin1String("'"));
            inner.replace(QLatin1String("\\\\"), QLatin1String("\\"));
            typed << inner;
        }
    }

    QStringList secrets;
    for (const QString &secret : std::as_const(typed)) {
        const QString plain = leniently(secret);
        secrets << secret << plain << QString::fromLatin1(QUrl::toPercentEncoding(plain))
                << QString::fromLatin1(QUrl::toPercentEncoding(secret));
    }
    secrets.removeAll(QString());
    secrets.removeDuplicates();
    // Longest first: a password that holds another (or its encoded form) goes whole.
    std::sort(secrets.begin(), secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });

    for (const QString &whole : {url, url.trimmed()}) {
        if (!whole.isEmpty())
            text.replace(whole, QStringLiteral("<server URL>"));
    }
    for (const QString &secret : std::as_const(secrets))
        text.replace(secret, QStringLiteral("********"));
    return text;
}

} // namespace fb::sync
