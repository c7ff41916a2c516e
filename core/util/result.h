#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace fb {

/// What kind of expected failure happened; callers branch on this, users read the message.
enum class ErrorCode
{
    Validation,   ///< bad input; `field` names the offending field
    NotFound,     ///< the entity does not exist or is not visible to the current user
    InvalidState, ///< a lifecycle rule forbids the operation (closed ticket, paid invoice, ...)
    Forbidden,    ///< scoping: the row belongs to another user, or no user is set
    Database,     ///< SQLite reported an error
    Parse,        ///< an answer (e.g. from the LLM) could not be understood
    Unavailable,  ///< a dependency (LLM, network) cannot be reached now
};

QString errorCodeName(ErrorCode code);

/// An expected failure: a code, the field at fault when there is one, and a message for people.
struct Error
{
    ErrorCode code = ErrorCode::Database;
    QString field;
    QString message;
    /// What identifies the failure to whoever debugs it (an LLM client's kind, HTTP status and request-id),
    /// kept for the log and stored records; never shown to people. Usually empty.
    QString detail = {};

    static Error validation(const QString &field, const QString &message)
    {
        return {ErrorCode::Validation, field, message};
    }
    static Error notFound(const QString &what) { return {ErrorCode::NotFound, {}, what}; }
    static Error invalidState(const QString &message) { return {ErrorCode::InvalidState, {}, message}; }
    static Error database(const QString &message) { return {ErrorCode::Database, {}, message}; }

    /// "field: message" when a field is named, else the message.
    QString toString() const;
    /// toString() with the detail after it, when there is one: for logs and stored records.
    QString toLogString() const;
};

/// Either a value or an Error. Small on purpose: C++20 has no std::expected.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace fb

/// Early-return the error of an expression yielding a Result.
#define FB_TRY(expr)                                                                                         \
    do {                                                                                                     \
        if (auto fbTryResult_ = (expr); !fbTryResult_)                                                       \
            return fbTryResult_.error();                                                                     \
    } while (false)
