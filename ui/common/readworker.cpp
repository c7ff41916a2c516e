#include "readworker.h"

#include "core.h"

#include <QAtomicInteger>
#include <QMutex>

#include <atomic>

namespace fb::ui {

/// What the GUI thread may reach of the reader while it runs: whether the worker is stopping, and the
/// reader's connection to interrupt (guarded: the reader opens and closes it on its own thread).
struct ReadWorker::Shared
{
    QMutex mutex;
    Database *db = nullptr; ///< the reader's connection while it is open
    std::atomic<bool> stopping = false;
};

namespace {

/// The reader connection, on the worker's thread: opened on first use, again after a failure.
class Reader final : public QObject
{
public:
    Reader(QString path, std::shared_ptr<ReadWorker::Shared> shared)
        : m_path(std::move(path)), m_shared(std::move(shared))
    {
    }
    ~Reader() override
    {
        QMutexLocker locker(&m_shared->mutex);
        m_shared->db = nullptr;
    }
    Reader(const Reader &) = delete;
    Reader &operator=(const Reader &) = delete;

    Result<Core *> core(const QUuid &userId)
    {
        if (!m_core) {
            static QAtomicInteger<int> readers = 0;
            auto opened =
                Core::openReader(m_path, QStringLiteral("fieldbook-reader-%1").arg(++readers), userId);
            if (!opened)
                return opened.error();
            m_core = std::move(opened).value();
            QMutexLocker locker(&m_shared->mutex);
            m_shared->db = &m_core->db();
        }
        if (m_core->currentUser() != userId)
            m_core->readAs(userId);
        return m_core.get();
    }

private:
    QString m_path;
    std::shared_ptr<ReadWorker::Shared> m_shared;
    std::unique_ptr<Core> m_core;
};

} // namespace

ReadWorker::ReadWorker(QString path, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_shared(std::make_shared<Shared>())
{
    auto *reader = new Reader(m_path, m_shared);
    reader->moveToThread(&m_thread);
    m_reader = reader;
    // Deleted on its thread, with its connection, as the thread finishes.
    connect(&m_thread, &QThread::finished, reader, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("fieldbook-reads"));
    m_thread.start();
}

ReadWorker::~ReadWorker()
{
    // A read in flight (a cold file's first page of customers, read ahead at start) must not hold up a quit:
    // it is interrupted, and the reads still queued are not started. Nobody waits for their answers now.
    // sqlite3_interrupt stops only the statements running when it is called: a read of several statements
    // may start its next one after it, so the interrupt is repeated until the thread has ended.
    m_shared->stopping = true;
    m_thread.quit();
    do {
        QMutexLocker locker(&m_shared->mutex);
        if (m_shared->db)
            m_shared->db->interrupt();
    } while (!m_thread.wait(10));
}

void ReadWorker::runOnReader(const QUuid &userId, std::function<void(Result<Core *>)> task)
{
    auto *reader = static_cast<Reader *>(m_reader);
    QMetaObject::invokeMethod(reader, [reader, shared = m_shared, userId, task = std::move(task)] {
        if (!shared->stopping)
            task(reader->core(userId));
    });
}

} // namespace fb::ui
