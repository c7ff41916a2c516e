#include "readworker.h"

#include "core.h"

#include <QAtomicInteger>

namespace fb::ui {

namespace {

/// The reader connection, on the worker's thread: opened on first use, again after a failure.
class Reader final : public QObject
{
public:
    explicit Reader(QString path) : m_path(std::move(path)) {}
    ~Reader() override = default;
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
        }
        if (m_core->currentUser() != userId)
            m_core->readAs(userId);
        return m_core.get();
    }

private:
    QString m_path;
    std::unique_ptr<Core> m_core;
};

} // namespace

ReadWorker::ReadWorker(QString path, QObject *parent) : QObject(parent), m_path(std::move(path))
{
    auto *reader = new Reader(m_path);
    reader->moveToThread(&m_thread);
    m_reader = reader;
    // Deleted on its thread, with its connection, as the thread finishes.
    connect(&m_thread, &QThread::finished, reader, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("fieldbook-reads"));
    m_thread.start();
}

ReadWorker::~ReadWorker()
{
    m_thread.quit();
    m_thread.wait();
}

void ReadWorker::runOnReader(const QUuid &userId, std::function<void(Result<Core *>)> task)
{
    auto *reader = static_cast<Reader *>(m_reader);
    QMetaObject::invokeMethod(reader,
                              [reader, userId, task = std::move(task)] { task(reader->core(userId)); });
}

} // namespace fb::ui
