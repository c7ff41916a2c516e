#pragma once

#include "util/result.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QUuid>

#include <functional>
#include <memory>
#include <optional>

namespace fb {
class Core;
}

namespace fb::ui {

/// A thread of the window's own for the reads that grow with the data (a search over every customer), so
/// the GUI thread never waits on them: its own read-only Core on the file (Core::openReader), opened there
/// on the first read. Reads run one at a time, in the order asked; each answer comes back on the asker's
/// thread, and not at all once the asker is gone.
///
/// Design choice: a connection of its own rather than the GUI's (a Qt SQL connection belongs to one thread),
/// and read-only (query_only), so nothing done here needs the file's write lock or could write: a read sees
/// what was committed when it started (WAL), the GUI's own writes included, since they commit before the
/// screens ask again.
class ReadWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReadWorker)

public:
    /// Reads `path` (the GUI Core's file). Nothing is opened until the first read.
    explicit ReadWorker(QString path, QObject *parent = nullptr);
    /// Interrupts the read in flight, if any, drops the reads still queued and stops the thread; the reader
    /// connection is closed on its thread. Bounded: an interrupted statement stops within microseconds.
    ~ReadWorker() override;

    struct Shared; ///< what the GUI thread may reach of the reader (readworker.cpp)

    /// Runs `read` on the reader as `userId` (the technician whose rows it sees), then `done` with its result
    /// on this object's thread (the GUI thread, where `receiver` must live), unless `receiver` is gone by
    /// then. When the file cannot be opened, `read` gets the error instead of a Core.
    ///
    /// The answer is posted to this object, not to `receiver`: the receiver may be deleted on the GUI thread
    /// (a dialog closed with Esc) while the read thread posts, and only on the GUI thread is "is it still
    /// there?" answered without a race. This object outlives every read: its destructor stops the thread.
    template <typename T>
    void post(const QUuid &userId, QObject *receiver, std::function<T(Result<Core *>)> read,
              std::function<void(T)> done)
    {
        Q_ASSERT(receiver->thread() == thread());
        QPointer<QObject> target(receiver);
        runOnReader(userId,
                    [this, target, read = std::move(read), done = std::move(done)](Result<Core *> core) {
                        auto result = std::make_shared<T>(read(std::move(core)));
                        QMetaObject::invokeMethod(this, [target, result, done] {
                            if (target)
                                done(std::move(*result));
                        });
                    });
    }

private:
    void runOnReader(const QUuid &userId, std::function<void(Result<Core *>)> task);

    QString m_path;
    std::shared_ptr<Shared> m_shared;
    QThread m_thread;
    QObject *m_reader = nullptr; ///< lives on m_thread; holds the reader Core
};

} // namespace fb::ui
