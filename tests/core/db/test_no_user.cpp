#include "support/testsupport.h"

#include <QTest>

using namespace fb;

/// With no current user, scoped reads fail loudly instead of returning everything (or nothing).
class TestNoUser final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Fail loudly even where a per-row check would never run: an empty table, or a look-up that matches
    // nothing.
    void readWithoutUserFailsOnEmptyTables()
    {
        test::CoreFixture f;
        f->db().setCurrentUser(QUuid());
        for (const QString &sql :
             {QStringLiteral("SELECT * FROM notes"), QStringLiteral("SELECT * FROM line_items"),
              QStringLiteral("SELECT * FROM addresses WHERE id = 'nothing'"),
              QStringLiteral("SELECT count(*) FROM tickets")}) {
            auto result = f->db().exec(sql);
            QVERIFY2(!result.ok(), qPrintable(sql));
            QVERIFY2(result.error().message.contains(QStringLiteral("no current user")), qPrintable(sql));
            QCOMPARE(result.error().code, ErrorCode::Forbidden);
        }
    }
};

QTEST_GUILESS_MAIN(TestNoUser)
#include "test_no_user.moc"
