// The facts come from resources/migrations/local/*.sql (columns, references, soft delete, the write guards
// that scope every table by its user_id) and resources/migrations/server/001_initial.sql (which tables the
// server has, and the server types behind the kinds). tests/core/db/test_table_catalog.cpp compares them.
#include "db/tablecatalog.h"

#include <initializer_list>

namespace fb::catalog {

namespace {

using enum ColumnKind;

Column required(const char *name, ColumnKind kind)
{
    return {QLatin1String(name), kind, false};
}

Column optional(const char *name, ColumnKind kind)
{
    return {QLatin1String(name), kind, true};
}

/// A table whose rows carry their technician in user_id. `columns` lists the columns between user_id and the
/// timestamps; `stamps` the trailing created_at/updated_at/... columns as the migration declares them.
Table ownedTable(const char *name, const char *entityType, std::initializer_list<Column> columns,
                 std::initializer_list<Column> stamps, std::initializer_list<Reference> parents,
                 bool onServer)
{
    Table table{QLatin1String(name),
                QLatin1String(entityType),
                {required("id", Uuid), required("user_id", Uuid)},
                false,
                {{QStringLiteral("user_id"), QStringLiteral("users")}},
                Ownership::UserIdColumn,
                QStringLiteral("user_id"),
                onServer};
    table.columns.append(QList<Column>(columns));
    table.columns.append(QList<Column>(stamps));
    table.references.append(QList<Reference>(parents));
    table.softDelete = table.column(QStringLiteral("deleted_at")) != nullptr;
    return table;
}

Reference ref(const char *column, const char *table)
{
    return {QLatin1String(column), QLatin1String(table)};
}

const Column kCreated = required("created_at", Timestamp);
const Column kUpdated = required("updated_at", Timestamp);
const Column kDeleted = optional("deleted_at", Timestamp);

constexpr bool kOnServer = true;
constexpr bool kLocalOnly = false;

QList<Table> buildTables()
{
    return {
        ownedTable("contacts", "contact",
                   {required("name", Text), optional("email", Text), optional("phone", Text),
                    optional("notes", Text)},
                   {kCreated, kUpdated, kDeleted}, {}, kOnServer),
        ownedTable("addresses", "address",
                   {required("contact_id", Uuid), optional("label", Text), required("street", Text),
                    required("city", Text), required("state", Text), required("zip", Text),
                    optional("notes", Text)},
                   {kCreated, kUpdated}, {ref("contact_id", "contacts")}, kOnServer),
        ownedTable("services", "service",
                   {required("name", Text), optional("description", Text), required("pricing_type", Text),
                    optional("default_price", Cents), optional("unit_price", Cents),
                    optional("unit_label", Text), required("is_active", Boolean)},
                   {kCreated, kUpdated, kDeleted}, {}, kOnServer),
        ownedTable("tickets", "ticket",
                   {required("contact_id", Uuid), required("address_id", Uuid), required("status", Text),
                    required("scheduled_at", Timestamp), optional("scheduled_duration_minutes", Integer),
                    optional("clock_in_at", Timestamp), optional("clock_out_at", Timestamp),
                    optional("actual_duration_minutes", Integer), optional("notes", Text)},
                   {kCreated, kUpdated, optional("closed_at", Timestamp), kDeleted},
                   {ref("contact_id", "contacts"), ref("address_id", "addresses")}, kOnServer),
        ownedTable("line_items", "line_item",
                   {required("ticket_id", Uuid), required("service_id", Uuid), optional("description", Text),
                    optional("quantity", Integer), optional("unit_price", Cents),
                    required("total_price", Cents), optional("duration_minutes", Integer)},
                   {kCreated, kUpdated, kDeleted},
                   {ref("ticket_id", "tickets"), ref("service_id", "services")}, kOnServer),
        ownedTable("invoices", "invoice",
                   {required("contact_id", Uuid), optional("ticket_id", Uuid), required("status", Text),
                    required("total_amount", Cents), optional("sent_at", Timestamp),
                    optional("paid_at", Timestamp)},
                   // number: added by local migration 009 and server migration 006, after the stamps.
                   {kCreated, kUpdated, kDeleted, optional("number", Text)},
                   {ref("contact_id", "contacts"), ref("ticket_id", "tickets")}, kOnServer),
        ownedTable("notes", "note",
                   {optional("contact_id", Uuid), optional("ticket_id", Uuid), required("content", Text)},
                   {kCreated, kDeleted}, {ref("contact_id", "contacts"), ref("ticket_id", "tickets")},
                   kOnServer),
        ownedTable("attributes", "attribute",
                   {required("contact_id", Uuid), required("key", Text), required("value", Json),
                    optional("source_note_id", Uuid)},
                   {kCreated, kUpdated}, {ref("contact_id", "contacts"), ref("source_note_id", "notes")},
                   kOnServer),
        ownedTable("scheduled_messages", "scheduled_message",
                   {required("contact_id", Uuid), optional("template_name", Text),
                    optional("custom_content", Text), required("scheduled_for", Timestamp),
                    required("status", Text), optional("sent_at", Timestamp),
                    optional("error_message", Text)},
                   {kCreated}, {ref("contact_id", "contacts")}, kOnServer),
        // The offline extraction queue and its suggestions (migration 004): synced nowhere yet, but scoped
        // and audited like the rest.
        ownedTable("extraction_requests", "extraction_request",
                   {optional("ticket_id", Uuid), required("contact_id", Uuid), optional("note_id", Uuid),
                    required("notes", Text), required("status", Text), required("attempts", Integer),
                    optional("last_error", Text), optional("locked_until", Timestamp)},
                   {kCreated, kUpdated, optional("completed_at", Timestamp)},
                   {ref("ticket_id", "tickets"), ref("contact_id", "contacts"), ref("note_id", "notes")},
                   kLocalOnly),
        ownedTable("attribute_suggestions", "attribute_suggestion",
                   {required("contact_id", Uuid), optional("ticket_id", Uuid), optional("note_id", Uuid),
                    required("request_id", Uuid), required("key", Text), required("value", Json),
                    required("status", Text)},
                   {kCreated, optional("decided_at", Timestamp)},
                   {ref("contact_id", "contacts"), ref("ticket_id", "tickets"), ref("note_id", "notes"),
                    ref("request_id", "extraction_requests")},
                   kLocalOnly),
    };
}

} // namespace

QString kindName(ColumnKind kind)
{
    switch (kind) {
    case Uuid:
        return QStringLiteral("uuid");
    case Text:
        return QStringLiteral("text");
    case Integer:
        return QStringLiteral("integer");
    case Cents:
        return QStringLiteral("cents");
    case Timestamp:
        return QStringLiteral("timestamp");
    case Boolean:
        return QStringLiteral("boolean");
    case Json:
        return QStringLiteral("json");
    }
    return {};
}

const Column *Table::column(const QString &columnName) const
{
    for (const Column &candidate : columns)
        if (candidate.name == columnName)
            return &candidate;
    return nullptr;
}

QStringList Table::columnNames() const
{
    QStringList names;
    for (const Column &candidate : columns)
        names.append(candidate.name);
    return names;
}

const QList<Table> &tables()
{
    static const QList<Table> list = buildTables();
    return list;
}

const Table *table(const QString &name)
{
    for (const Table &candidate : tables())
        if (candidate.name == name)
            return &candidate;
    return nullptr;
}

const Table *tableForEntity(const QString &entityType)
{
    for (const Table &candidate : tables())
        if (candidate.entityType == entityType)
            return &candidate;
    return nullptr;
}

} // namespace fb::catalog
