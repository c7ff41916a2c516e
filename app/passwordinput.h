#pragma once

#include "util/result.h"

#include <QString>

class QTextStream;

namespace fb::cli {

/// Where a command takes a new password from. Never the command line: every local user can read a running
/// command's arguments in /proc.
///
/// In order: the first line of `passwordFile` when one is given (--password-file); else, when standard input
/// is a terminal, a prompt on `prompt` (standard error) read without echo, asked twice; else the first line
/// of standard input (a pipe, a redirected file). The line ending is not part of the password; an empty one
/// is refused, and so is one longer than kMaxPasswordLength. Errors are Validation errors on "password" that
/// never quote what was read.
class PasswordInput final
{
public:
    static constexpr int kMaxPasswordLength = 1024;

    static Result<QString> readNew(const QString &passwordFile, QTextStream &prompt, const QString &what);
};

} // namespace fb::cli
