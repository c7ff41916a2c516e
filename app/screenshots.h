#pragma once

#include <QStringList>

class QTextStream;

namespace fb::app {

/// `fieldbook screenshots [--db FILE] --out DIR`: renders every main screen and each close-out wizard page to
/// PNG files, so anyone can look at the app without running it. Works on a copy of FILE (or on fresh demo
/// data), never on the file itself. Needs a QApplication (offscreen is fine).
int runScreenshots(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace fb::app
