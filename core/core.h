#pragma once

#include "audit/auditlogger.h"
#include "db/database.h"
#include "db/store.h"
#include "events/eventbus.h"
#include "extraction/attributeextractor.h"
#include "extraction/extractionqueue.h"
#include "handlers/attributepersistencehandler.h"
#include "handlers/scheduledmessagehandler.h"
#include "services/addressservice.h"
#include "services/attributeservice.h"
#include "services/catalogservice.h"
#include "services/closeoutservice.h"
#include "services/conflictservice.h"
#include "services/contactservice.h"
#include "services/draftservice.h"
#include "services/invoiceservice.h"
#include "services/messageservice.h"
#include "services/noteservice.h"
#include "services/officechangeservice.h"
#include "services/ticketservice.h"
#include "services/userservice.h"

#include <memory>

namespace fb {

class ChangeFeed;

/// The core, composed for one thread: a connection, the audit trail, the event bus with its handlers and
/// every service. The GUI thread has one; the sync worker opens its own.
class Core final
{
    // Declared first so they are built before, and destroyed after, the services that hold references to
    // them.
    std::unique_ptr<Database> m_db;
    /// Announces every commit to the file, this connection's and others' (screens subscribe to it).
    std::unique_ptr<ChangeFeed> m_changes;
    AuditLogger m_audit;
    Store m_store;
    EventBus m_bus;
    std::unique_ptr<AttributeExtractor> m_extractor;

public:
    /// Opens `path` on connection `connectionName`. `llm` (optional, not owned) enables extraction.
    static Result<std::unique_ptr<Core>> open(const QString &path, const QString &connectionName,
                                              LlmClient *llm = nullptr);
    /// Opens `path` for reading only, as `userId` (null: nobody yet; see readAs): a second connection for a
    /// thread that runs reads which grow with the data (the window's searches), so the thread that shows
    /// them never waits on them. Writes are refused by SQLite (query_only); no event is delivered.
    static Result<std::unique_ptr<Core>> openReader(const QString &path, const QString &connectionName,
                                                    const QUuid &userId);
    ~Core();
    Core(const Core &) = delete;
    Core &operator=(const Core &) = delete;

    Database &db() { return *m_db; }
    AuditLogger &audit() { return m_audit; }
    Store &store() { return m_store; }
    EventBus &bus() { return m_bus; }
    ChangeFeed &changes() { return *m_changes; }
    /// The technician this connection acts as (null before setCurrentUser).
    QUuid currentUser() const { return m_db->currentUser(); }
    /// The database file this core opened.
    QString databasePath() const { return m_db->path(); }

    UserService users;
    AddressService addresses;
    ContactService contacts;
    CatalogService catalog;
    TicketService tickets;
    InvoiceService invoices;
    NoteService notes;
    AttributeService attributes;
    MessageService messages;
    /// Close-outs' extraction requests and the suggestions they produce (the sync worker runs the queue).
    ExtractionQueue extractionQueue;
    /// Close-outs the technician cancelled: UI state kept per ticket (not audited, not synced).
    DraftService drafts;
    /// The close-out of a ticket as one workflow: start, then finish all or nothing.
    CloseOutService closeOuts;
    /// Others' changes to the technician's jobs not yet seen here (the schedule's marks), and marking seen.
    OfficeChangeService officeChanges;
    /// The merge conflicts the sync layer recorded (the Sync screen).
    ConflictService conflicts;
    // After the services they call: built after them, destroyed before them.
    ScheduledMessageHandler scheduledMessageHandler;
    AttributePersistenceHandler attributePersistenceHandler;

    /// Selects the technician this connection acts as, and delivers events a crash may have left undelivered.
    Status setCurrentUser(const QUuid &userId);
    /// A reader's (openReader) technician: whose rows its reads see. Writes nothing, delivers nothing.
    void readAs(const QUuid &userId) { m_db->setCurrentUser(userId); }

private:
    Core(std::unique_ptr<Database> db, LlmClient *llm);
    ServiceContext context() { return ServiceContext{*m_db, m_store, m_audit, m_bus}; }
};

} // namespace fb
