#include "syncapi/outbox.h"

#include "db/database.h"
#include "db/transaction.h"
#include "util/timeutil.h"

#include <QStringList>

namespace fb::outbox {

Status acknowledge(Database &db, const QUuid &userId, const QList<qint64> &seqs, const QString &now)
{
    FB_TRANSACTION(tx, db);
    for (qsizetype start = 0; start < seqs.size(); start += 500) {
        QStringList listed;
        for (const qint64 seq : seqs.mid(start, 500))
            listed.append(QString::number(seq));
        // seq values are integers: safe to list inline.
        auto marked = db.exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = ?, attempts = attempts + 1 "
                                             "WHERE seq IN (%1)")
                                  .arg(listed.join(QLatin1Char(','))),
                              {now});
        if (!marked)
            return marked.error();
    }
    auto state =
        db.exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, 'last_push_at', "
                               "?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                {idText(userId), now});
    if (!state)
        return state.error();
    return tx.commit();
}

} // namespace fb::outbox
