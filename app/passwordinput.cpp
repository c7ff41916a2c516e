#include "passwordinput.h"

#include <QFile>
#include <QTextStream>
#include <QUtf8StringView>

#include <cerrno>
#include <csignal>
#include <iterator>
#include <optional>

#include <termios.h>
#include <unistd.h>

namespace fb::cli {

namespace {

// What the terminal was before the prompt turned echo off: a signal handler puts it back (Ctrl+C at the
// prompt must not leave the shell without echo).
termios g_saved{};
volatile sig_atomic_t g_echoOff = 0;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void restoreAndRaise(int signal)
{
    if (g_echoOff)
        tcsetattr(STDIN_FILENO, TCSANOW, &g_saved);
    struct sigaction fallback = {};
    fallback.sa_handler = SIG_DFL;
    sigaction(signal, &fallback, nullptr);
    raise(signal);
}

/// Echo off on the terminal on standard input for its lifetime.
class EchoOff final
{
public:
    EchoOff()
    {
        if (tcgetattr(STDIN_FILENO, &g_saved) != 0)
            return;
        struct sigaction handler = {};
        handler.sa_handler = restoreAndRaise;
        sigemptyset(&handler.sa_mask);
        for (int i = 0; i < int(std::size(kSignals)); ++i)
            sigaction(kSignals[i], &handler, &m_previous[i]);
        termios quiet = g_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= tcflag_t(ECHONL); // the Enter key still moves to the next line
        // TCSAFLUSH: what was typed before the prompt (not meant as the password) is dropped, as getpass
        // does.
        m_active = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        g_echoOff = m_active ? 1 : 0;
    }
    ~EchoOff()
    {
        if (m_active)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
        g_echoOff = 0;
        for (int i = 0; i < int(std::size(kSignals)); ++i)
            sigaction(kSignals[i], &m_previous[i], nullptr);
    }
    EchoOff(const EchoOff &) = delete;
    EchoOff &operator=(const EchoOff &) = delete;

private:
    bool m_active = false;
    struct sigaction m_previous[std::size(kSignals)] = {};
};

Error refused(const QString &message)
{
    return Error::validation(QStringLiteral("password"), message);
}

/// The longest line worth reading: the longest password in UTF-8 and its line ending.
constexpr qint64 kMaxLineBytes = qint64(PasswordInput::kMaxPasswordLength) * 4 + 2;

/// One line of the terminal, read byte by byte so nothing after it is consumed; nullopt on end of input.
std::optional<QByteArray> terminalLine()
{
    QByteArray line;
    char c = 0;
    while (true) {
        const ssize_t got = ::read(STDIN_FILENO, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return line.isEmpty() ? std::nullopt : std::optional<QByteArray>(line);
        if (c == '\n')
            return line;
        if (line.size() <= kMaxLineBytes)
            line.append(c);
    }
}

/// The password in `line` (its ending taken off), or why it is refused.
Result<QString> password(QByteArray line, const QString &where)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return refused(QStringLiteral("is empty (%1): give it in --password-file FILE, on standard input, or "
                                      "at the prompt on a terminal")
                           .arg(where));
    if (!QUtf8StringView(line).isValidUtf8())
        return refused(QStringLiteral("is not UTF-8 text (%1)").arg(where));
    const QString text = QString::fromUtf8(line);
    if (text.size() > PasswordInput::kMaxPasswordLength)
        return refused(QStringLiteral("is longer than %1 characters (%2)")
                           .arg(PasswordInput::kMaxPasswordLength)
                           .arg(where));
    return text;
}

} // namespace

Result<QString> PasswordInput::readNew(const QString &passwordFile, QTextStream &prompt, const QString &what)
{
    if (!passwordFile.isEmpty()) {
        QFile file(passwordFile);
        if (!file.open(QIODevice::ReadOnly))
            return refused(QStringLiteral("cannot read the --password-file %1: %2")
                               .arg(passwordFile, file.errorString()));
        return password(file.readLine(kMaxLineBytes),
                        QStringLiteral("the first line of the --password-file"));
    }
    if (!isatty(STDIN_FILENO)) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return refused(QStringLiteral("cannot read standard input"));
        return password(in.readLine(kMaxLineBytes), QStringLiteral("the first line of standard input"));
    }
    std::optional<QByteArray> first;
    std::optional<QByteArray> second;
    {
        EchoOff quiet;
        prompt << what << ": " << Qt::flush;
        first = terminalLine();
        if (first && !first->isEmpty()) {
            prompt << "Type it again: " << Qt::flush;
            second = terminalLine();
        }
    }
    if (!first || (!first->isEmpty() && !second))
        return refused(QStringLiteral("was not typed (the input ended at the prompt)"));
    if (!first->isEmpty() && *first != *second)
        return refused(QStringLiteral("the two typed at the prompt differ: nothing was changed"));
    return password(*first, QStringLiteral("typed at the prompt"));
}

} // namespace fb::cli
