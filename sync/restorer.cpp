#include "restorer.h"

#include "core.h"
#include "crashpoint.h"
#include "db/database.h"
#include "db/tablecatalog.h"
#include "db/transaction.h"
#include "deviceid.h"
#include "pgconnection.h"
#include "servervalues.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <optional>

Q_LOGGING_CATEGORY(lcRestore, "fieldbook.sync.restore")

namespace fb::sync {

namespace {

const QString kNil = QStringLiteral("00000000-0000-0000-0000-000000000000");

Error serverError(const PgResult &result, PgConnection &server)
{
    if (result.sqlState() == "42883")
        return Error{ErrorCode::Database,
                     {},
                     QStringLiteral("%1 does not have what a restore needs (server schema %2 or later): run "
                                    "fieldbook server-init on it")
                         .arg(server.describe())
                         .arg(Restorer::kMinimumServerSchema)};
    return result.toError(QStringLiteral("restore"));
}

Error connectionLost()
{
    return PgResult(nullptr, {}, QStringLiteral("the connection to the server was lost"), true)
        .toError(QStringLiteral("restore"));
}

} // namespace

/// The next page, asked for as soon as the current one has arrived (its last key is the next one's start;
/// after a table's last page, the next table's first, and after the last table's, the history's first), so
/// that the server reads it while this side writes the current one. Its answer is taken before the connection
/// is used again, also when the restore stops early.
class Restorer::PageAhead final
{
public:
    explicit PageAhead(PgConnection &server) : m_server(server) {}
    ~PageAhead()
    {
        if (m_pending)
            (void)m_server.takeResult();
    }
    PageAhead(const PageAhead &) = delete;
    PageAhead &operator=(const PageAhead &) = delete;

    bool pending() const { return m_pending; }
    bool ask(const QByteArray &sql)
    {
        m_pending = m_server.sendScript(sql);
        return m_pending;
    }
    PgResult take()
    {
        m_pending = false;
        return m_server.takeResult();
    }

private:
    PgConnection &m_server;
    bool m_pending = false;
};

/// The restore's writes in durable commits of several pages each (kPagesPerCommit), each with the step it
/// reached: a commit waits for the disk, and a restore is resumed from the last one. Pages are fetched
/// smaller than that so that the server reads the next while this side writes (PageAhead).
class Restorer::Batch final
{
public:
    Batch(Restorer &restorer, const char *beforeCommit, const char *afterCommit)
        : m_restorer(restorer), m_beforeCommit(beforeCommit), m_afterCommit(afterCommit)
    {
    }

    /// Opens the batch's transaction unless one is open.
    Status begin()
    {
        if (!m_tx) {
            m_tx.emplace(m_restorer.m_core.db());
            m_pages = 0;
        }
        return m_tx->began();
    }
    /// A page is written and `step` is where a resumed restore starts; commits every few pages, and with
    /// `last`.
    Status pageDone(const QString &step, bool last)
    {
        FB_TRY(m_restorer.setState(QStringLiteral("restore_step"), step));
        if (++m_pages < kPagesPerCommit && !last)
            return {};
        return finish();
    }
    /// Commits what the batch holds, if anything.
    Status finish()
    {
        if (!m_tx)
            return {};
        crashPoint(m_beforeCommit);
        FB_TRY(m_tx->commit());
        m_tx.reset();
        if (m_afterCommit)
            crashPoint(m_afterCommit);
        return {};
    }

private:
    Restorer &m_restorer;
    const char *m_beforeCommit;
    const char *m_afterCommit;
    std::optional<Transaction> m_tx;
    int m_pages = 0;
};

QByteArray Restorer::tablePage(PgConnection &server, const QString &table, const QString &after,
                               bool withCount) const
{
    // A table's first page also says how many rows are left to restore in it (all of them, or after the row a
    // resumed restore stopped at), for the progress: an InitPlan, counted once, in the same round trip.
    const QByteArray name = server.identifier(table.toUtf8());
    const QByteArray start = server.literal(after.toUtf8()) + "::uuid";
    return "SELECT fieldbook_convention(to_jsonb(t))::text, t.id::text" +
           (withCount ? ", (SELECT count(*) FROM " + name + " c WHERE c.id > " + start + ")" : QByteArray()) +
           " FROM " + name + " t WHERE t.id > " + start + " ORDER BY t.id LIMIT " +
           QByteArray::number(m_pageSize);
}

QByteArray Restorer::historyPage(PgConnection &server, qint64 afterSeq) const
{
    return "SELECT feed_seq, entry::text FROM fieldbook_audit_page(" +
           server.literal(idText(m_userId).toUtf8()) + "::uuid, " + QByteArray::number(afterSeq) + ", " +
           QByteArray::number(m_pageSize) + ")";
}

Restorer::Restorer(Core &core, int pageSize) : m_core(core), m_pageSize(pageSize)
{
}

Result<QString> Restorer::state(const QString &key) const
{
    auto stored =
        m_core.db().exec(QStringLiteral("SELECT value FROM main.sync_state WHERE user_id = ? AND key = ?"),
                         {idText(m_userId), key});
    if (!stored)
        return stored.error();
    return stored->next() ? stored->value(0).toString() : QString();
}

Status Restorer::setState(const QString &key, const QString &value)
{
    auto stored =
        m_core.db().exec(QStringLiteral("INSERT INTO main.sync_state (user_id, key, value) VALUES (?, ?, ?) "
                                        "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                         {idText(m_userId), key, value});
    return stored ? Status{} : Status{stored.error()};
}

Status Restorer::claimInvoiceLetter(PgConnection &server)
{
    // This device's letter in its invoice numbers ("SK-2026-C014"), claimed from the server before the first
    // page so that no two devices of the technician share one (server migration 007). Asked again by a
    // resumed restore that stopped before storing it: the server gives this device the letter it claimed.
    auto stored = state(InvoiceService::kDeviceLetterKey);
    if (!stored)
        return stored.error();
    if (!stored->isEmpty())
        return {};
    auto device = deviceId(m_core.db(), m_userId);
    if (!device)
        return device.error();
    const PgResult claimed = server.exec(QStringLiteral("SELECT fieldbook_claim_invoice_letter($1, $2)"),
                                         {device->toUtf8(), InvoiceService::kClaimableLetters.toUtf8()});
    if (!claimed.ok())
        return serverError(claimed, server);
    if (claimed.isNull(0, 0))
        return {}; // every letter is claimed: InvoiceService shares one rather than not number
    return setState(InvoiceService::kDeviceLetterKey, claimed.value(0, 0));
}

Result<QUuid> Restorer::prepareProfile(PgConnection &server, RestoreReport &report)
{
    const PgResult who =
        server.exec(QStringLiteral("SELECT id::text, name, email, kind, created_at FROM fieldbook_whoami()"));
    if (!who.ok())
        return serverError(who, server);
    if (who.rows() != 1)
        return Error{
            ErrorCode::Forbidden,
            {},
            QStringLiteral("the login of %1 is not a Fieldbook technician's: ask the office for yours "
                           "(fieldbook server-add-technician)")
                .arg(server.describe())};
    if (who.value(0, 3) != QLatin1String("technician"))
        return Error{ErrorCode::Forbidden,
                     {},
                     QStringLiteral("the login of %1 is the office's (a dispatcher's): a laptop restores a "
                                    "technician's history with the technician's own login")
                         .arg(server.describe())};
    const QUuid id(who.value(0, 0));
    report.userId = id;
    report.name = who.value(0, 1);

    auto users = m_core.users.list();
    if (!users)
        return users.error();
    for (const User &user : *users)
        if (user.id != id)
            return Error{ErrorCode::InvalidState,
                         {},
                         QStringLiteral("%1 already holds the profile of %2: a restore needs a new file")
                             .arg(m_core.db().path(), user.name)};
    m_userId = id;
    if (users->isEmpty()) {
        // The profile as the server has it, without an audit entry of its own: its creation is in the trail
        // the restore brings down, as the original laptop wrote it. With the first step, so that a file with
        // this profile and no step is one a restore did not make.
        FB_TRANSACTION(tx, m_core.db());
        auto made = m_core.db().exec(
            QStringLiteral("INSERT INTO main.users (id, name, email, created_at) VALUES (?, ?, ?, ?)"),
            {idText(id), report.name, who.value(0, 2), servervalues::timeFromServer(who.value(0, 4))});
        if (!made)
            return made.error();
        FB_TRY(setState(QStringLiteral("restore_step"), QStringLiteral("start")));
        FB_TRY(tx.commit());
    } else if (auto step = state(QStringLiteral("restore_step")); !step || step->isEmpty()) {
        if (!step)
            return step.error();
        return Error{ErrorCode::InvalidState,
                     {},
                     QStringLiteral("%1 already holds %2's work: bring it up to date with fieldbook sync; a "
                                    "restore needs a new file")
                         .arg(m_core.db().path(), report.name)};
    } else {
        report.resumed = true; // the profile is here with a step of an interrupted restore
    }
    FB_TRY(m_core.setCurrentUser(id));
    return id;
}

Status Restorer::restoreTables(PgConnection &server, PageAhead &pages, const QString &from,
                               RestoreReport &report, const Progress &progress)
{
    // from: "" (the start), "<table>:<last id>", or "history:..." / "pull" (tables done).
    const QString startTable = from.section(QLatin1Char(':'), 0, 0);
    QList<const catalog::Table *> tables;
    for (const catalog::Table &table : catalog::tables())
        if (table.onServer && (!tables.isEmpty() || from.isEmpty() || table.name == startTable))
            tables.append(&table);
    if (tables.isEmpty())
        return setState(QStringLiteral("restore_step"), QStringLiteral("history:0"));

    ServerWriter writer(m_core.db()); // its statements prepared once for the whole restore
    Batch batch(*this, "restore-page", "restore-page-committed");
    QString after = from.isEmpty() ? kNil : from.section(QLatin1Char(':'), 1, 1);
    if (!pages.ask(tablePage(server, tables.first()->name, after, true)))
        return connectionLost();
    for (qsizetype index = 0; index < tables.size(); ++index) {
        const catalog::Table &table = *tables.at(index);
        qint64 total = 0;
        qint64 done = 0;
        for (;;) {
            const PgResult page = pages.take();
            if (!page.ok())
                return serverError(page, server);
            const int count = page.rows();
            const bool more = count >= m_pageSize;
            if (done == 0 && count > 0)
                total = page.value(0, 2).toLongLong();
            const bool asked = more
                                   ? pages.ask(tablePage(server, table.name, page.value(count - 1, 1), false))
                               : index + 1 < tables.size()
                                   ? pages.ask(tablePage(server, tables.at(index + 1)->name, kNil, true))
                                   : pages.ask(historyPage(server, 0));
            if (!asked)
                return connectionLost();
            if (count == 0)
                break;
            FB_TRY(batch.begin());
            QList<QJsonObject> states;
            states.reserve(count);
            for (int i = 0; i < count; ++i)
                states.append(QJsonDocument::fromJson(page.bytes(i, 0)).object());
            // The page whole under one savepoint first, inserted without looking for rows already there (the
            // restore's position is committed with each page, so the rows after it are new to the file); when
            // a row is refused (its parent was added after the restore began, or the office wrote a value the
            // laptop refuses), again row by row, leaving out only the refused rows: the final pull brings
            // them with their parents.
            bool whole = true;
            {
                Transaction attempt(m_core.db());
                if (!attempt.began())
                    return attempt.began().error();
                for (const QJsonObject &state : std::as_const(states))
                    if (!writer.insertRow(table, state)) {
                        whole = false;
                        break;
                    }
                if (whole)
                    FB_TRY(attempt.commit());
            }
            if (!whole)
                for (const QJsonObject &state : std::as_const(states))
                    if (auto applied = writer.applyRow(table, state); !applied) {
                        // Only a refused row is left out; a failure of the file stops the restore (it resumes
                        // from the last commit).
                        if (!isRefusal(applied.error()))
                            return applied.error();
                        qCWarning(lcRestore).noquote() << "left out for now:" << applied.error().message;
                        report.leftOut.append(applied.error().message);
                    }
            after = page.value(count - 1, 1);
            FB_TRY(
                batch.pageDone(table.name + QLatin1Char(':') + after, !more && index + 1 == tables.size()));
            report.rows += count;
            done += count;
            if (progress)
                progress(table.name, done, total);
            if (!more)
                break;
        }
    }
    FB_TRY(batch.finish());
    return setState(QStringLiteral("restore_step"), QStringLiteral("history:0"));
}

Status Restorer::restoreHistory(PgConnection &server, PageAhead &pages, qint64 afterSeq,
                                RestoreReport &report, const Progress &progress)
{
    qint64 done = 0;
    ServerWriter writer(m_core.db());
    Batch batch(*this, "restore-history-page", nullptr);
    const auto ask = [&](qint64 after) { return pages.ask(historyPage(server, after)); };
    // The first page was asked for with the tables' last one, unless the restore resumes here.
    if (!pages.pending() && !ask(afterSeq))
        return connectionLost();
    for (;;) {
        const PgResult page = pages.take();
        if (!page.ok())
            return serverError(page, server);
        const int count = page.rows();
        if (count == 0)
            break;
        const bool more = count >= m_pageSize;
        if (more && !ask(page.value(count - 1, 0).toLongLong()))
            return connectionLost();
        FB_TRY(batch.begin());
        for (int i = 0; i < count; ++i)
            FB_TRY(writer.addEntry(QJsonDocument::fromJson(page.bytes(i, 1)).object()));
        afterSeq = page.value(count - 1, 0).toLongLong();
        FB_TRY(batch.pageDone(QStringLiteral("history:%1").arg(afterSeq), !more));
        report.entries += count;
        done += count;
        if (progress)
            progress(QStringLiteral("history"), done, 0);
        if (!more)
            break;
    }
    FB_TRY(batch.finish());
    return setState(QStringLiteral("restore_step"), QStringLiteral("pull"));
}

Result<RestoreReport> Restorer::restore(PgConnection &server, const Progress &progress)
{
    RestoreReport report;
    // The session's identity and the deleted rows for every read of this connection (it is the restore's
    // own).
    // Bounded waits, as for the push: a table locked by another session, or a statement that does not end.
    const PgResult session =
        server.execScript("SET TIME ZONE 'UTC'; SET lock_timeout = '5s'; SET statement_timeout = '2min';");
    if (!session.ok())
        return serverError(session, server);
    auto user = prepareProfile(server, report);
    if (!user)
        return user.error();
    const PgResult identity =
        server.exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, false), "
                                   "set_config('app.include_deleted', 'on', false), fieldbook_user_id()"),
                    {idText(*user).toUtf8()});
    if (!identity.ok())
        return serverError(identity, server);

    auto step = state(QStringLiteral("restore_step"));
    if (!step)
        return step.error();
    if (*step == QLatin1String("start")) {
        const PgResult boundary =
            server.exec(QStringLiteral("SELECT pg_snapshot_xmin(pg_current_snapshot())::text"));
        if (!boundary.ok())
            return serverError(boundary, server);
        FB_TRY(setState(QStringLiteral("restore_boundary"), boundary.value(0, 0)));
    } else if (*step == QLatin1String("done")) {
        return Error{ErrorCode::InvalidState,
                     {},
                     QStringLiteral("%1 is already restored: bring it up to date with fieldbook sync")
                         .arg(m_core.db().path())};
    }

    FB_TRY(claimInvoiceLetter(server));

    PageAhead pages(server);
    if (!step->startsWith(QLatin1String("history:")) && *step != QLatin1String("pull"))
        FB_TRY(restoreTables(server, pages, *step == QLatin1String("start") ? QString() : *step, report,
                             progress));
    auto reached = state(QStringLiteral("restore_step"));
    if (!reached)
        return reached.error();
    if (reached->startsWith(QLatin1String("history:")))
        FB_TRY(restoreHistory(server, pages, reached->section(QLatin1Char(':'), 1, 1).toLongLong(), report,
                              progress));

    auto boundary = state(QStringLiteral("restore_boundary"));
    if (!boundary)
        return boundary.error();
    auto current = Puller(m_core.db(), *user).position();
    if (!current)
        return current.error();
    if (*current == QLatin1String("0:0"))
        FB_TRY(Puller::setPosition(m_core.db(), *user, *boundary + QStringLiteral(":0")));
    auto pulled = Puller(m_core.db(), *user).pullAll(server);
    if (!pulled)
        return pulled.error();
    report.pull = *pulled;
    // Nothing restored is news: the schedule marks only what the office changes from now on.
    FB_TRY(m_core.officeChanges.markAllSeen());
    FB_TRY(setState(QStringLiteral("restore_step"), QStringLiteral("done")));
    qCInfo(lcRestore).noquote() << "restored" << report.rows << "rows and" << report.entries
                                << "audit entries of" << report.name;
    return report;
}

} // namespace fb::sync
